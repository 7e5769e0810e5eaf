import { Migration } from '@mikro-orm/migrations';

/**
 * Outgoing webhooks (API.md "Webhooks", X12): the endpoints an app registered, and one delivery per endpoint
 * and event. A delivery keeps the exact body that is signed and sent (the same on every attempt); `seq` is
 * the order its event was handed on, which is the order deliveries of one endpoint go out in. `lease_until`
 * on an endpoint is held by the one worker sending its deliveries, `queued_until` by the dispatcher that
 * queued a job for it, so that neither two workers nor two replicas send for one endpoint at once.
 */
export class Migration20261205000000Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table webhooks (
      app_id text not null,
      id uuid not null,
      url text not null,
      description text,
      events text[] not null,
      enabled boolean not null default true,
      disabled_reason text,
      secret text not null,
      lease_until timestamptz(3),
      lease_token uuid,
      queued_until timestamptz(3),
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      primary key (app_id, id)
    );`);
    this.addSql('create index webhooks_app_created_idx on webhooks (app_id, created_at, id);');
    this.addSql(`create table webhook_deliveries (
      app_id text not null,
      id uuid not null,
      webhook_id uuid not null,
      seq bigint generated always as identity,
      event_id uuid,
      event_type text not null,
      body text not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      attempts integer not null default 0,
      last_status_code integer,
      last_error text,
      created_at timestamptz(3) not null,
      next_attempt_at timestamptz(3),
      finished_at timestamptz(3),
      primary key (app_id, id),
      foreign key (app_id, webhook_id) references webhooks (app_id, id) on delete cascade
    );`);
    // One delivery per endpoint and event, whatever the replays of the outbox.
    this.addSql(
      'create unique index webhook_deliveries_event_key on webhook_deliveries (app_id, webhook_id, event_id) where event_id is not null;',
    );
    // The head of an endpoint's queue (its oldest pending delivery) and the dispatcher's scan of what is due.
    this.addSql("create index webhook_deliveries_pending_idx on webhook_deliveries (app_id, webhook_id, seq) where status = 'pending';");
    // The delivery log, newest first.
    this.addSql('create index webhook_deliveries_log_idx on webhook_deliveries (app_id, webhook_id, created_at desc, id desc);');
    // What the purge deletes: finished deliveries past the log's 30 days.
    this.addSql("create index webhook_deliveries_finished_idx on webhook_deliveries (finished_at) where status <> 'pending';");
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists webhook_deliveries;');
    this.addSql('drop table if exists webhooks;');
  }
}
