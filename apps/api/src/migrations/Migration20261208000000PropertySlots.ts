import { Migration } from '@mikro-orm/migrations';

/** How many select/boolean properties of an app are promoted to typed columns (libs/customers README "Property slots"). */
const SLOTS = 4;

/**
 * Property slots (PERFORMANCE.md rule 3, second step): the first four `select` or `boolean` property definitions
 * of an app get a slot, and each customer carries the text of those values in `slot1`..`slot4`, kept by triggers
 * so that every writer (REST, import, events, merge, a definition removed, COPY in the benchmark) agrees with
 * `properties` by construction. One btree `(app_id, slot1..slot4, source, channel_id) include (created_at)`
 * answers the equality conditions of a combined filter from the index, reading a bounded number of entries
 * instead of candidate rows from the heap.
 */
export class Migration20261208000000PropertySlots extends Migration {
  override async up(): Promise<void> {
    const slots = Array.from({ length: SLOTS }, (_, i) => i + 1);
    this.addSql('alter table customer_properties add column slot smallint;');
    this.addSql(`alter table customer_properties add constraint customer_properties_slot_check check (slot between 1 and ${SLOTS});`);
    this.addSql('create unique index customer_properties_app_slot_idx on customer_properties (app_id, slot) where slot is not null;');
    this.addSql(`alter table customers ${slots.map((n) => `add column slot${n} text`).join(', ')};`);

    // A new select/boolean definition takes the lowest free slot; the app's definitions are serialised so two
    // concurrent creations never pick the same one.
    this.addSql(`create function customer_properties_take_slot() returns trigger language plpgsql as $$
      begin
        if new.slot is null and new.type in ('select', 'boolean') then
          perform pg_advisory_xact_lock(hashtext('customer_properties:' || new.app_id));
          select s into new.slot from generate_series(1, ${SLOTS}) s
           where not exists (select 1 from customer_properties p where p.app_id = new.app_id and p.slot = s)
           order by s limit 1;
        end if;
        return new;
      end $$;`);
    this.addSql(`create trigger customer_properties_take_slot before insert on customer_properties
      for each row execute function customer_properties_take_slot();`);

    // Each customer's slot columns follow its properties and the app's slot map.
    const assign = slots.map((n) => `new.slot${n} := case when keys[${n}] is null then null else new.properties ->> keys[${n}] end;`);
    this.addSql(`create function customers_fill_slots() returns trigger language plpgsql as $$
      declare keys text[] := array[${slots.map(() => 'null').join(', ')}]::text[];
      declare d record;
      begin
        for d in select key, slot from customer_properties where app_id = new.app_id and slot is not null loop
          keys[d.slot] := d.key;
        end loop;
        ${assign.join('\n        ')}
        return new;
      end $$;`);
    this.addSql(`create trigger customers_fill_slots before insert on customers
      for each row execute function customers_fill_slots();`);
    this.addSql(`create trigger customers_refill_slots before update of properties on customers
      for each row when (old.properties is distinct from new.properties) execute function customers_fill_slots();`);

    // Existing definitions: the first four select/boolean of each app, in creation order; then the values.
    this.addSql(`update customer_properties p set slot = r.n from (
        select app_id, key, row_number() over (partition by app_id order by created_at, key) as n
        from customer_properties where type in ('select', 'boolean')
      ) r where r.app_id = p.app_id and r.key = p.key and r.n <= ${SLOTS};`);
    // One pass over the customers of apps that have slots (a row rewritten once, not once per slot).
    this.addSql(`update customers c set ${slots.map((n) => `slot${n} = c.properties ->> k.k${n}`).join(', ')}
      from (select app_id, ${slots.map((n) => `max(key) filter (where slot = ${n}) as k${n}`).join(', ')}
            from customer_properties where slot is not null group by app_id) k
      where k.app_id = c.app_id and (${slots.map((n) => `c.properties ? k.k${n}`).join(' or ')});`);

    this.addSql(`create index customers_app_slots_idx on customers (app_id, ${slots.map((n) => `slot${n}`).join(', ')}, source, channel_id)
      include (id, created_at);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists customers_app_slots_idx;');
    this.addSql('drop trigger if exists customers_refill_slots on customers;');
    this.addSql('drop trigger if exists customers_fill_slots on customers;');
    this.addSql('drop function if exists customers_fill_slots();');
    this.addSql('drop trigger if exists customer_properties_take_slot on customer_properties;');
    this.addSql('drop function if exists customer_properties_take_slot();');
    this.addSql(`alter table customers ${Array.from({ length: SLOTS }, (_, i) => `drop column slot${i + 1}`).join(', ')};`);
    this.addSql('drop index if exists customer_properties_app_slot_idx;');
    this.addSql('alter table customer_properties drop column slot;');
  }
}
