import { Migration } from '@mikro-orm/migrations';

/**
 * Activities (the event log), the per-customer-and-type summary, and the conversation history read model.
 * Every key carries `app_id`; rows that name a customer go with it (`on delete cascade`).
 */
export class Migration20261201020000ActivitiesEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table activities (
      app_id text not null,
      id uuid not null,
      customer_id uuid not null,
      type text not null,
      occurred_at timestamptz(3) not null,
      data jsonb not null default '{}'::jsonb,
      idempotency_key text,
      created_at timestamptz(3) not null default now(),
      primary key (app_id, id),
      constraint activities_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade
    );`);
    // The timeline (newest first, keyset on occurred_at, id) and the cascade from customers.
    this.addSql('create index activities_app_customer_time_idx on activities (app_id, customer_id, occurred_at desc, id desc);');
    // The activity filter condition: an index-only semi-join (PERFORMANCE.md rule 5).
    this.addSql('create index activities_app_type_time_idx on activities (app_id, type, occurred_at, customer_id);');
    // Retries never duplicate; NULL keys (events sent without one) do not conflict.
    this.addSql('create unique index activities_app_idempotency_key on activities (app_id, idempotency_key);');

    this.addSql(`create table customer_activity_types (
      app_id text not null,
      customer_id uuid not null,
      type text not null,
      last_at timestamptz(3) not null,
      count integer not null,
      primary key (app_id, customer_id, type),
      constraint customer_activity_types_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create index customer_activity_types_app_type_last_idx on customer_activity_types (app_id, type, last_at, customer_id);');

    this.addSql(`create table conversations (
      app_id text not null,
      id uuid not null,
      customer_id uuid not null,
      room_id text not null,
      status text not null check (status in ('ongoing', 'resolved')),
      started_at timestamptz(3) not null,
      resolved_at timestamptz(3),
      last_message text,
      additional_info jsonb,
      notes jsonb,
      last_event_at timestamptz(3) not null,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      primary key (app_id, id),
      constraint conversations_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create unique index conversations_app_room_key on conversations (app_id, room_id);');
    this.addSql('create index conversations_app_customer_started_idx on conversations (app_id, customer_id, started_at desc, id desc);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists conversations;');
    this.addSql('drop table if exists customer_activity_types;');
    this.addSql('drop table if exists activities;');
  }
}
