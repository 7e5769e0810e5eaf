import { Migration } from '@mikro-orm/migrations';

/**
 * Linked customers (FEATURES.md M1–M7, X4): merge profiles and remembered duplicate dismissals. Members of a
 * linked set are the customers whose `profile_id` points at its profile; the customers lib writes that column
 * for the merge lib, inside the merge's transaction.
 */
export class Migration20261201030000Merge extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table merge_profiles (
      id uuid primary key,
      app_id text not null,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null
    );`);
    this.addSql('create unique index merge_profiles_app_id_key on merge_profiles (app_id, id);');

    // A dismissal is stored in both directions, so either customer's suggestions leave the other out.
    this.addSql(`create table duplicate_dismissals (
      app_id text not null,
      customer_id uuid not null,
      other_id uuid not null,
      created_at timestamptz(3) not null,
      primary key (app_id, customer_id, other_id),
      constraint duplicate_dismissals_customer_fk foreign key (app_id, customer_id) references customers (app_id, id) on delete cascade,
      constraint duplicate_dismissals_other_fk foreign key (app_id, other_id) references customers (app_id, id) on delete cascade
    );`);
    this.addSql('create index duplicate_dismissals_other_idx on duplicate_dismissals (app_id, other_id);');

    // "Similar name" suggestions: a trigram probe on the name itself (search_text also holds e-mail, phone
    // and identifier, which would dilute the similarity).
    this.addSql('create index customers_name_trgm_idx on customers using gin (name gin_trgm_ops);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists customers_name_trgm_idx;');
    this.addSql('drop table if exists duplicate_dismissals;');
    this.addSql('drop table if exists merge_profiles;');
  }
}
