import { Migration } from '@mikro-orm/migrations';

/**
 * Consent per channel customer and the suppression of erased identities (FEATURES.md X9, X10; API.md "Consent",
 * "Data rights"). The current consent lives on the customer row (a constant default: no table rewrite); every
 * change is kept in `customer_consent_changes`, which goes with its customer. A suppression keeps only a keyed
 * hash (HMAC-SHA256 with the server's suppression secret) of an erased identity, e-mail or phone, never the value.
 */
export class Migration20261206000000ConsentPrivacy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table customers
      add column consent_status text not null default 'unknown' check (consent_status in ('opted_in', 'opted_out', 'unknown')),
      add column consent_updated_at timestamptz(3),
      add column consent_source text check (consent_source in ('api', 'import', 'event', 'console'));`);
    // The consent filter (any of the three statuses) in the default order of the list: the index gives the
    // matching customers newest first, and counts of one status read only the index.
    this.addSql('create index customers_app_consent_created_idx on customers (app_id, consent_status, created_at desc, id desc);');

    this.addSql(`create table customer_consent_changes (
      app_id text not null,
      id uuid not null,
      customer_id uuid not null,
      status text not null check (status in ('opted_in', 'opted_out', 'unknown')),
      source text not null check (source in ('api', 'import', 'event', 'console')),
      note text,
      actor jsonb,
      at timestamptz(3) not null,
      applied boolean not null,
      recorded_at timestamptz(3) not null,
      primary key (app_id, id),
      constraint customer_consent_changes_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create index customer_consent_changes_customer_idx on customer_consent_changes (app_id, customer_id, at desc, id desc);');

    this.addSql(`create table suppressions (
      app_id text not null,
      id uuid not null,
      kind text not null check (kind in ('identity', 'email', 'phone')),
      channel_id uuid,
      hash text not null,
      actor jsonb not null,
      created_at timestamptz(3) not null,
      primary key (app_id, id)
    );`);
    this.addSql('create unique index suppressions_app_hash_key on suppressions (app_id, hash);');
    this.addSql('create index suppressions_app_created_idx on suppressions (app_id, created_at desc, id desc);');

    this.addSql(`insert into activity_types (app_id, key, name, description, kind, position) values
      ('', 'consent.opted_in', 'Opted in', 'The customer agreed to receive business-initiated messages on this channel; sets its consent (newest time wins). data: { "note"? }.', 'available', 100),
      ('', 'consent.opted_out', 'Opted out', 'The customer refused business-initiated messages on this channel; sets its consent (newest time wins). data: { "note"? }.', 'available', 101)
      on conflict do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from activity_types where app_id = '' and key in ('consent.opted_in', 'consent.opted_out');`);
    this.addSql('drop table if exists suppressions;');
    this.addSql('drop table if exists customer_consent_changes;');
    this.addSql('drop index if exists customers_app_consent_created_idx;');
    this.addSql('alter table customers drop column consent_source, drop column consent_updated_at, drop column consent_status;');
  }
}
