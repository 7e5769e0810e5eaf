import { Migration } from '@mikro-orm/migrations';

/**
 * Segment-compatible ingestion and the dead-letter list (API.md "Segment-compatible ingestion", "Rejected
 * events are kept"; FEATURES.md X11, X13):
 * - an API key may be bound to one channel of its app (the channel Segment `userId`s are identifiers of);
 *   deleting the channel unbinds the key;
 * - `event_rejections`: every rejected event or Segment message, kept 30 days (a daily job deletes older ones);
 * - `segment_held_messages`: messages that named only an `anonymousId`, held until a message ties that
 *   anonymous id to a `userId` (then written as the customer's activities, with their original times);
 * - `alias_suggestions`: pairs of customers a Segment `alias` said are one person, offered as duplicate
 *   suggestions (never merged automatically).
 */
export class Migration20261204000000SegmentIngestion extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table api_keys add column channel_id uuid;');
    this.addSql(`alter table api_keys add constraint api_keys_channel_fk
      foreign key (app_id, channel_id) references channels (app_id, id) on delete set null (channel_id);`);

    this.addSql(`create table event_rejections (
      app_id text not null,
      id uuid not null,
      received_at timestamptz(3) not null,
      via text not null,
      api_key_id uuid,
      index integer not null,
      code text not null,
      message text not null,
      payload text not null,
      primary key (app_id, id)
    );`);
    // The list: newest first, keyset on (received_at, id).
    this.addSql('create index event_rejections_app_received_idx on event_rejections (app_id, received_at desc, id desc);');
    // The daily clean-up: everything older than 30 days, whatever the app.
    this.addSql('create index event_rejections_received_idx on event_rejections (received_at);');

    this.addSql(`create table segment_held_messages (
      app_id text not null,
      id uuid not null,
      channel_id uuid not null,
      anonymous_id text not null,
      message_id text not null,
      type text not null,
      occurred_at timestamptz(3) not null,
      data jsonb not null,
      received_at timestamptz(3) not null,
      primary key (app_id, id),
      constraint segment_held_messages_channel_fk foreign key (app_id, channel_id) references channels (app_id, id) on delete cascade
    );`);
    this.addSql('create unique index segment_held_messages_message_key on segment_held_messages (app_id, message_id);');
    this.addSql(
      'create index segment_held_messages_anonymous_idx on segment_held_messages (app_id, channel_id, anonymous_id, occurred_at);',
    );

    this.addSql(`create table alias_suggestions (
      app_id text not null,
      customer_id uuid not null,
      other_id uuid not null,
      created_at timestamptz(3) not null,
      primary key (app_id, customer_id, other_id),
      constraint alias_suggestions_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade,
      constraint alias_suggestions_other_fk foreign key (app_id, other_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create index alias_suggestions_other_idx on alias_suggestions (app_id, other_id);');

    this.addSql(`insert into activity_types (app_id, key, name, description, kind, position, created_at, updated_at) values
      ('', 'page.viewed', 'Page viewed', 'A page of a website was viewed (Segment page). data: { "name"?, "properties"?, "context"? }.', 'available', 10, now(), now()),
      ('', 'screen.viewed', 'Screen viewed', 'A screen of a mobile app was viewed (Segment screen). data: { "name"?, "properties"?, "context"? }.', 'available', 11, now(), now()),
      ('', 'account.associated', 'Account associated', 'The customer was associated with an account or company (Segment group). data: { "groupId", "traits"? }.', 'available', 12, now(), now()),
      ('', 'customer.identified', 'Customer identified', 'The customer was identified by a Segment-spec sender. data: { "traits" }.', 'available', 13, now(), now()),
      ('', 'customer.aliased', 'Customer aliased', 'Another id of the customer was given (Segment alias). data: { "previousId" }.', 'available', 14, now(), now())
      on conflict do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      "delete from activity_types where app_id = '' and key in ('page.viewed', 'screen.viewed', 'account.associated', 'customer.identified', 'customer.aliased');",
    );
    this.addSql('drop table if exists alias_suggestions;');
    this.addSql('drop table if exists segment_held_messages;');
    this.addSql('drop table if exists event_rejections;');
    this.addSql('alter table api_keys drop constraint if exists api_keys_channel_fk;');
    this.addSql('alter table api_keys drop column if exists channel_id;');
  }
}
