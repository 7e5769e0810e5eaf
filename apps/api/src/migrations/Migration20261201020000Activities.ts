import { Migration } from '@mikro-orm/migrations';

/**
 * The activity type catalogue (available types seeded here, platform-wide, under app id '' which no app can
 * have; custom types per app) and the apps' API keys for event ingestion.
 */
export class Migration20261201020000Activities extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table activity_types (
      app_id text not null,
      key text not null,
      name text not null,
      description text,
      kind text not null check (kind in ('available', 'custom')),
      position integer not null default 0,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      primary key (app_id, key),
      check ((kind = 'available') = (app_id = ''))
    );`);
    const seed: [string, string, string][] = [
      [
        'customer.created',
        'Customer created',
        'The customer was created: by an admin, by an import or by an event. data: { "via": "api|import|event", "channelId", "source" }.',
      ],
      [
        'conversation.started',
        'Conversation started',
        'A conversation started in a room of the inbox. data: { "roomId" (required), "lastMessage"?, "additionalInfo"?, "notes"? }.',
      ],
      [
        'conversation.resolved',
        'Conversation resolved',
        'A conversation of the inbox was resolved. data: { "roomId" (required), "lastMessage"?, "additionalInfo"?, "notes"? }.',
      ],
      [
        'message.inbound_from_ad',
        'Inbound message from an ad',
        'The customer wrote in from an ad (e.g. click-to-WhatsApp). data: { "adId"?, "campaign"?, "roomId"?, "text"? }.',
      ],
      [
        'broadcast.received',
        'Broadcast received',
        'A broadcast message reached the customer. data: { "broadcastId"?, "templateName"?, "status"? }.',
      ],
      [
        'purchase.completed',
        'Purchase completed',
        'A purchase from the chat shop was completed. data: { "orderId"?, "amount"?, "currency"?, "items"? }.',
      ],
      ['csat.submitted', 'CSAT submitted', 'The customer rated the service. data: { "rating"?, "comment"?, "roomId"? }.'],
      ['ticket.created', 'Ticket created', 'A support ticket was opened for the customer. data: { "ticketId"?, "subject"?, "url"? }.'],
      ['ticket.resolved', 'Ticket resolved', 'A support ticket of the customer was resolved. data: { "ticketId"?, "url"? }.'],
      ['crm.updated', 'CRM updated', 'A CRM record of the customer changed. data: { "system"?, "recordId"?, "fields"? }.'],
    ];
    seed.forEach(([key, name, description], i) => {
      this.addSql(
        `insert into activity_types (app_id, key, name, description, kind, position) values ('', ${quote(key)}, ${quote(name)}, ${quote(description)}, 'available', ${i});`,
      );
    });

    this.addSql(`create table api_keys (
      id uuid primary key,
      app_id text not null,
      name text not null,
      key_hash text not null,
      prefix text not null,
      created_at timestamptz(3) not null,
      last_used_at timestamptz(3),
      revoked_at timestamptz(3)
    );`);
    // A key is looked up by its hash before its app is known: the hash itself is the unique, global key.
    this.addSql('create unique index api_keys_key_hash_key on api_keys (key_hash);');
    this.addSql('create index api_keys_app_created_idx on api_keys (app_id, created_at, id) where revoked_at is null;');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists api_keys;');
    this.addSql('drop table if exists activity_types;');
  }
}

// Seed literals are constants of this file, never input.
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
