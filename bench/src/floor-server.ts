/**
 * The floor: the same answers as the service's read paths with a floor from a minimal Fastify app running the best
 * hand-written SQL (no Nest, no ORM, no authorisation, no validation). Started by the benchmark as its own
 * process beside the service and measured with the same load; service / floor is the price of the framework,
 * the checks and the service's SQL. Listens on `FLOOR_PORT`; reads PostgreSQL at `FLOOR_DATABASE_URL` through
 * a `pg` pool of 10 (as the service), or, with `FLOOR_PGLITE_DIR`, an embedded PGlite opened in this process
 * on a copy of the service's data (as the service opens its own).
 */
import type { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { openPglite, pgSessionOptions } from '@cdp/platform';

interface Queryable {
  query<T>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
  end(): Promise<void>;
}

let pool: Queryable;
const app = Fastify({ logger: false });

async function connect(): Promise<Queryable> {
  const dir = process.env.FLOOR_PGLITE_DIR;
  if (!dir) return new Pool({ connectionString: process.env.FLOOR_DATABASE_URL, max: 10, options: pgSessionOptions() });
  const db: PGlite = await openPglite({ dataDir: dir });
  return {
    query: async <T>(text: string, values?: unknown[]) => ({ rows: (await db.query<T>(text, values ?? [])).rows }),
    end: () => db.close(),
  };
}

const COLUMNS = `c.id, c.channel_id, ch.type as channel_type, ch.name as channel_name, c.identifier, c.name, c.email,
  c.phone_number, c.source, c.platform, c.tags, c.properties, c.profile_id, c.main_channel, c.consent_status,
  c.consent_updated_at, c.consent_source, ca.last_activity_at, c.created_at, c.updated_at`;
const FROM = `customers c
  join channels ch on ch.app_id = c.app_id and ch.id = c.channel_id
  left join customer_activity ca on ca.app_id = c.app_id and ca.customer_id = c.id`;
const PAGE = 25;

type Row = Record<string, unknown> & {
  id: string;
  created_at: Date;
  updated_at: Date;
  last_activity_at: Date | null;
  profile_id: string | null;
  consent_updated_at: Date | null;
};

const customer = (r: Row) => ({
  id: r.id,
  name: r.name,
  identifier: r.identifier,
  email: r.email,
  phoneNumber: r.phone_number,
  channel: { id: r.channel_id, type: r.channel_type, name: r.channel_name },
  source: r.source,
  platform: r.platform,
  tags: r.tags,
  properties: r.properties,
  linked: r.profile_id !== null,
  mainChannel: r.main_channel,
  profileId: r.profile_id,
  consent: {
    status: r.consent_status,
    updatedAt: r.consent_updated_at ? r.consent_updated_at.toISOString() : null,
    source: r.consent_source,
  },
  lastActivityAt: r.last_activity_at ? r.last_activity_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

// The cursor is only a marker here: the floor serves first pages, as the scenarios ask.
const page = (rows: Row[]) => ({
  data: rows.slice(0, PAGE).map(customer),
  nextCursor: rows.length > PAGE ? Buffer.from(rows[PAGE - 1].id).toString('base64url') : null,
});

interface FilterBody {
  app: string;
  channelIds: string[];
  sources: string[];
  contains: Record<string, unknown>;
  activity: { types: string[]; from: string; to: string };
}

/**
 * The app's property slots (key → slot number), read once per app: the best hand-written SQL compares the slot
 * columns where a property has one (a schema without slots answers an empty map, and containment is used).
 */
const slotMaps = new Map<string, Promise<Map<string, number>>>();
function slotsOf(appId: string): Promise<Map<string, number>> {
  let m = slotMaps.get(appId);
  if (!m) {
    m = pool
      .query<{ key: string; slot: number }>(`select key, slot from customer_properties where app_id = $1 and slot is not null`, [appId])
      .then((r) => new Map(r.rows.map((x) => [x.key, Number(x.slot)])))
      .catch(() => new Map<string, number>());
    slotMaps.set(appId, m);
  }
  return m;
}

async function filterWhere(b: FilterBody): Promise<{ sql: string; values: unknown[] }> {
  const slots = await slotsOf(b.app);
  const values: unknown[] = [b.app, b.channelIds, b.sources, b.activity.types, b.activity.from, b.activity.to];
  const rest: Record<string, unknown> = {};
  const slotted: string[] = [];
  for (const [key, value] of Object.entries(b.contains)) {
    const slot = slots.get(key);
    if (slot && typeof value !== 'object') {
      values.push(String(value));
      slotted.push(`c.slot${slot} = $${values.length}`);
    } else rest[key] = value;
  }
  if (Object.keys(rest).length) {
    values.push(JSON.stringify(rest));
    slotted.push(`c.properties @> $${values.length}::jsonb`);
  }
  return {
    sql: `c.app_id = $1 and c.channel_id = any($2::uuid[]) and c.source = any($3::text[])${slotted.map((x) => ` and ${x}`).join('')}
      and c.id in (select customer_id from activities where app_id = $1 and type = any($4::text[]) and occurred_at >= $5::timestamptz and occurred_at < $6::timestamptz)`,
    values,
  };
}

let withGroups = false;

app.get<{ Querystring: { app: string; q: string } }>('/search', async (req) => {
  const r = await pool.query<Row>(
    `select ${COLUMNS} from ${FROM} where c.app_id = $1 and c.search_text like '%' || $2 || '%' order by c.created_at desc, c.id desc limit ${PAGE + 1}`,
    [req.query.app, req.query.q],
  );
  return page(r.rows);
});

app.get<{ Querystring: { app: string } }>('/list', async (req) => {
  const r = await pool.query<Row>(
    `select ${COLUMNS} from ${FROM} where c.app_id = $1 order by c.created_at desc, c.id desc limit ${PAGE + 1}`,
    [req.query.app],
  );
  return page(r.rows);
});

app.post<{ Body: FilterBody }>('/filter', async (req) => {
  const w = await filterWhere(req.body);
  const r = await pool.query<Row>(
    `select ${COLUMNS} from ${FROM} where ${w.sql} order by c.created_at desc, c.id desc limit ${PAGE + 1}`,
    w.values,
  );
  return page(r.rows);
});

app.post<{ Body: FilterBody }>('/count', async (req) => {
  const w = await filterWhere(req.body);
  const r = await pool.query<{ n: number }>(`select count(*)::int as n from customers c where ${w.sql}`, w.values);
  return { count: r.rows[0].n, capped: false };
});

// Consent statuses on the channels of some types, newest first: the (app_id, consent_status, created_at, id) index
// gives the candidates in order, the channel condition filters them.
app.post<{ Body: { app: string; statuses: string[]; channelTypes: string[] } }>('/consent', async (req) => {
  const b = req.body;
  const r = await pool.query<Row>(
    `select ${COLUMNS} from ${FROM}
      where c.app_id = $1 and c.consent_status = any($2::text[])
        and c.channel_id = any(array(select id from channels where app_id = $1 and type = any($3::text[])))
      order by c.created_at desc, c.id desc limit ${PAGE + 1}`,
    [b.app, b.statuses, b.channelTypes],
  );
  return page(r.rows);
});

app.get<{ Params: { id: string }; Querystring: { app: string } }>('/customers/:id', async (req, reply) => {
  const { app: appId } = req.query;
  const r = await pool.query<Row>(`select ${COLUMNS} from ${FROM} where c.app_id = $1 and c.id = $2`, [appId, req.params.id]);
  const row = r.rows[0];
  if (!row) return reply.code(404).send({ code: 'not_found' });
  const linked = row.profile_id
    ? (
        await pool.query<Row>(`select ${COLUMNS} from ${FROM} where c.app_id = $1 and c.profile_id = $2 and c.id <> $3 order by c.id`, [
          appId,
          row.profile_id,
          row.id,
        ])
      ).rows
    : [];
  const groups = withGroups
    ? (
        await pool.query(
          `select g.id, g.name from group_members m join groups g on g.app_id = m.app_id and g.id = m.group_id where m.app_id = $1 and m.customer_id = $2 order by g.name`,
          [appId, row.id],
        )
      ).rows
    : [];
  return { ...customer(row), linkedCustomers: linked.map(customer), groups };
});

app.get<{ Params: { id: string }; Querystring: { app: string } }>('/customers/:id/activities', async (req) => {
  const r = await pool.query<{ id: string; type: string; type_name: string; customer_id: string; occurred_at: Date; data: unknown }>(
    `select a.id, a.type, coalesce(t.name, a.type) as type_name, a.customer_id, a.occurred_at, a.data
       from activities a left join activity_types t on t.app_id in ('', a.app_id) and t.key = a.type
      where a.app_id = $1 and a.customer_id = $2 order by a.occurred_at desc, a.id desc limit ${PAGE + 1}`,
    [req.query.app, req.params.id],
  );
  const rows = r.rows.slice(0, PAGE).map((a) => ({
    id: a.id,
    type: a.type,
    typeName: a.type_name,
    customerId: a.customer_id,
    occurredAt: a.occurred_at.toISOString(),
    data: a.data,
  }));
  return { data: rows, nextCursor: r.rows.length > PAGE ? rows[PAGE - 1].id : null };
});

/** The app's zone (its settings; the analytics answer in it), read once per app. */
const zones = new Map<string, Promise<string>>();
function zoneOf(appId: string): Promise<string> {
  let z = zones.get(appId);
  if (!z) {
    z = pool
      .query<{ timezone: string }>(`select timezone from app_settings where app_id = $1`, [appId])
      .then((r) => r.rows[0]?.timezone ?? 'UTC');
    zones.set(appId, z);
  }
  return z;
}

interface RangeQuery {
  app: string;
  from: string;
  to: string;
}

const SOURCE_LABELS: Record<string, string> = { admin: 'Added by Admin', ads: 'Ads', organic: 'Organic', broadcast: 'Broadcast' };

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Series of per-day counts, one per key, a point for every day (zeros included). */
function series(days: string[], keys: { key: string; label: string }[], rows: { day: string; key: string; n: number }[]) {
  const at = new Map(days.map((d, i) => [d, i]));
  const counts = new Map(keys.map((k) => [k.key, new Array<number>(days.length).fill(0)]));
  for (const r of rows) {
    const c = counts.get(r.key);
    const i = at.get(r.day);
    if (c && i !== undefined) c[i] += r.n;
  }
  return keys.map((k) => ({ key: k.key, label: k.label, points: days.map((d, i) => ({ start: d, count: counts.get(k.key)![i] })) }));
}

const total = (xs: { points: { count: number }[] }[]) => xs.reduce((s, x) => s + x.points.reduce((t, p) => t + p.count, 0), 0);

// Analytics by day in the app's zone, from the same read models as the service: the zone's day rows (customers and
// activities per day and key, active customers per day), and for chosen types the quarter-hour presence rows,
// distinct customers per local day (local midnights fall on the quarter-hour grid).
app.get<{ Querystring: RangeQuery }>('/analytics/customers', async (req) => {
  const { app: appId, from, to } = req.query;
  const zone = await zoneOf(appId);
  const r = await pool.query<{ day: string; source: string; n: number }>(
    `select day::text as day, source, sum(n)::int as n from analytics_zone_customer_days
      where app_id = $1 and zone = $2 and day >= $3::date and day <= $4::date group by 1, 2`,
    [appId, zone, from, to],
  );
  const keys = Object.entries(SOURCE_LABELS).map(([key, label]) => ({ key, label }));
  const s = series(
    daysOf(from, to),
    keys,
    r.rows.map((x) => ({ day: x.day, key: x.source, n: x.n })),
  );
  return { from, to, interval: 'day', timezone: zone, total: total(s), series: s };
});

app.get<{ Querystring: RangeQuery & { types?: string } }>('/analytics/activities', async (req) => {
  const { app: appId, from, to } = req.query;
  const types = req.query.types ? req.query.types.split(',') : null;
  const zone = await zoneOf(appId);
  const days = daysOf(from, to);
  const [counts, names, active] = await Promise.all([
    pool.query<{ day: string; type: string; n: number }>(
      `select day::text as day, type, n from analytics_zone_activity_days
        where app_id = $1 and zone = $2 and day >= $3::date and day <= $4::date and ($5::text[] is null or type = any($5::text[]))`,
      [appId, zone, from, to, types],
    ),
    pool.query<{ key: string; name: string }>(`select key, name from activity_types where app_id in ('', $1)`, [appId]),
    types
      ? pool.query<{ day: string; n: number }>(
          types.length === 1
            ? `select day::text as day, n from analytics_active_type_day_counts
                where app_id = $1 and zone = $2 and type = ($5::text[])[1] and day >= $3::date and day <= $4::date`
            : `select day::text as day, count(distinct customer_id)::int as n from analytics_active_type_days
                where app_id = $1 and zone = $2 and type = any($5::text[]) and day >= $3::date and day <= $4::date group by 1`,
          [appId, zone, from, to, types],
        )
      : pool.query<{ day: string; n: number }>(
          `select day::text as day, n from analytics_active_day_counts where app_id = $1 and zone = $2 and day >= $3::date and day <= $4::date`,
          [appId, zone, from, to],
        ),
  ]);
  const label = new Map(names.rows.map((x) => [x.key, x.name]));
  const keys = (types ?? [...new Set([...label.keys(), ...counts.rows.map((x) => x.type)])].sort()).map((key) => ({
    key,
    label: label.get(key) ?? key,
  }));
  const s = series(
    days,
    keys,
    counts.rows.map((x) => ({ day: x.day, key: x.type, n: x.n })),
  );
  const perDay = new Map(active.rows.map((x) => [x.day, x.n]));
  return {
    from,
    to,
    interval: 'day',
    timezone: zone,
    total: total(s),
    series: s,
    activeCustomers: days.map((d) => ({ start: d, count: perDay.get(d) ?? 0 })),
  };
});

async function main(): Promise<void> {
  pool = await connect();
  const t = await pool.query<{ n: number }>(
    `select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name in ('groups', 'group_members')`,
  );
  withGroups = t.rows[0].n === 2;
  await app.listen({ port: Number(process.env.FLOOR_PORT), host: '127.0.0.1' });
  process.stdout.write('floor ready\n');
}

for (const s of ['SIGTERM', 'SIGINT'] as const)
  process.once(
    s,
    () =>
      void app
        .close()
        .then(() => pool.end())
        .then(() => process.exit(0)),
  );

main().catch((e: unknown) => {
  process.stderr.write(`floor: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
