import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox (DESIGN.md "Domain events and the transactional outbox"): a transaction records
 * its domain events here with its other changes; the relay hands them on in `seq` order after the commit and
 * marks them handled. `seq` is the recording order; `id` is the event's stable id (handlers dedupe by it).
 */
export class Migration20261202000000Outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table outbox (
      app_id text not null,
      id uuid not null,
      seq bigint generated always as identity,
      type text not null,
      payload jsonb not null,
      recorded_at timestamptz(3) not null,
      handled_at timestamptz(3),
      attempts integer not null default 0,
      retry_at timestamptz(3),
      last_error text,
      failed_at timestamptz(3),
      primary key (app_id, id)
    );`);
    // What the relay reads: the events still waiting, oldest first.
    this.addSql('create index outbox_pending_idx on outbox (seq) where handled_at is null and failed_at is null;');
    // What the purge deletes: handled events older than a day.
    this.addSql('create index outbox_handled_idx on outbox (handled_at) where handled_at is not null;');
    this.addSql('create index outbox_seq_idx on outbox (seq);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists outbox;');
  }
}
