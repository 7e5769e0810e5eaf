import { Migration } from '@mikro-orm/migrations';

/**
 * How many times an import or an export was found unfinished at start-up (its process died while it ran). The
 * job is resumed where it stopped; one interrupted three times is ended `failed` with a reason instead, so a
 * job that takes the process down cannot do it forever.
 */
export class Migration20261203000000JobInterruptions extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table imports add column interrupted_count int not null default 0;');
    this.addSql('alter table exports add column interrupted_count int not null default 0;');
    this.addSql(`create index imports_unfinished_idx on imports (created_at) where status in ('queued', 'processing');`);
    this.addSql(
      `create index exports_unfinished_idx on exports (created_at) where status in ('queued', 'processing') or (status = 'completed' and mail_sent_at is null);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists exports_unfinished_idx;');
    this.addSql('drop index if exists imports_unfinished_idx;');
    this.addSql('alter table exports drop column interrupted_count;');
    this.addSql('alter table imports drop column interrupted_count;');
  }
}
