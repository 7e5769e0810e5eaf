import { Injectable } from '@nestjs/common';
import { isUuid, sql, sqlArray, type Tx } from '@cdp/platform';
import { CustomerDeletionHooks, CustomerErasureHooks } from './customer-deletion.hooks';
import { CustomersRepository } from './customers.repository';
import type { CustomerRow } from './dto/customer.dto';

/**
 * The customers lib's part of erasing people (FEATURES.md X10), in the caller's transaction: each customer goes
 * as a deletion does (the deletion hooks first — the merge lib ends a linked set left with one member, the
 * groups lib keeps member counts — then the row, and every row that references it cascades), and what this
 * lib keeps about them elsewhere is made unreadable: their rows of earlier import files are blanked (the row
 * that created or matched them, and any row naming their identifier, e-mail or phone number), and export
 * files that list them are withdrawn (their link stops working). Libs above keep copies of their own (rejected
 * events, webhook deliveries): their erasure hooks run first, with the ids and the values.
 */
@Injectable()
export class CustomerErasure {
  constructor(
    private readonly repo: CustomersRepository,
    private readonly deletionHooks: CustomerDeletionHooks,
    private readonly erasureHooks: CustomerErasureHooks,
  ) {}

  /** Locks the app's customers among `ids` (in id order) and answers their rows; unknown ids are left out. */
  async lock(tx: Tx, appId: string, ids: readonly string[]): Promise<CustomerRow[]> {
    const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))].sort();
    const rows: CustomerRow[] = [];
    for (const id of wanted) {
      const row = await this.repo.lockRow(tx, appId, id);
      if (row) rows.push(row);
    }
    return rows;
  }

  /** Erases locked customers (`lock` first); answers how many were removed. */
  async erase(tx: Tx, appId: string, rows: readonly CustomerRow[]): Promise<number> {
    let erased = 0;
    await this.erasureHooks.run(tx, appId, { ids: rows.map((r) => r.id), values: personalValues(rows) });
    await this.scrubImports(tx, appId, rows);
    await this.withdrawExports(
      tx,
      appId,
      rows.map((r) => r.id),
    );
    for (const row of rows) {
      // The link may have changed with the deletion of an earlier member of the same set.
      const current = await this.repo.lockRow(tx, appId, row.id);
      if (!current) continue;
      await this.deletionHooks.run(tx, appId, { id: current.id, profileId: current.profile_id });
      if (await this.repo.delete(tx, appId, current.id)) erased++;
    }
    return erased;
  }

  private async scrubImports(tx: Tx, appId: string, rows: readonly CustomerRow[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    const values = [
      ...new Set(
        rows
          .flatMap((r) => [r.identifier, r.email, r.phone_number])
          .filter((v): v is string => !!v)
          .map((v) => v.toLowerCase()),
      ),
    ];
    // A row is blanked (an empty list of cells) when its outcome names one of the customers, or when one of its
    // cells is one of their values (also a failed row, which names no customer).
    await tx.run(sql`
      with marked as (
        select ir.import_id, ir.row_no from import_rows ir
        where ir.app_id = ${appId} and ir.customer_id = any(${sqlArray(ids, 'uuid')})
      )
      update imports i set rows = (
        select coalesce(jsonb_agg(
          case
            when exists (select 1 from marked m where m.import_id = i.id and m.row_no = t.n) then '[]'::jsonb
            when exists (select 1 from jsonb_array_elements_text(t.r) cell where lower(trim(cell)) = any(${sqlArray(values, 'text')})) then '[]'::jsonb
            else t.r
          end order by t.n), '[]'::jsonb)
        from jsonb_array_elements(i.rows) with ordinality as t(r, n)
      ), updated_at = now()
      where i.app_id = ${appId}
        and (i.id in (select import_id from marked)
          or exists (select 1 from jsonb_array_elements(i.rows) r, jsonb_array_elements_text(r) cell
                     where lower(trim(cell)) = any(${sqlArray(values, 'text')})))`);
  }

  private async withdrawExports(tx: Tx, appId: string, ids: readonly string[]): Promise<void> {
    for (const id of ids)
      await tx.run(sql`
        update exports set csv = null, token_hash = null, token_expires_at = null, updated_at = now()
        where app_id = ${appId} and csv is not null and position(convert_to(${id}, 'UTF8') in csv) > 0`);
  }
}

/** The identifiers, e-mail addresses and phone numbers of erased rows, lower-cased and without repeats. */
function personalValues(rows: readonly CustomerRow[]): string[] {
  return [
    ...new Set(
      rows
        .flatMap((r) => [r.identifier, r.email, r.phone_number])
        .filter((v): v is string => !!v)
        .map((v) => v.toLowerCase()),
    ),
  ];
}
