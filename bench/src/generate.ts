import { buildSearchText } from '@cdp/customers';
import { CopyWriter, copyValue } from './copy';
import {
  ACTIVITY_MIX,
  ACTIVITY_TYPES,
  BIG_APP,
  BIG_APP_CHANNELS,
  BIG_APP_TIMEZONE,
  COHORT_MAX,
  COHORT_TAG,
  CONSENT_SOURCES,
  DATA_END,
  DATA_SPAN_MS,
  PROPERTIES,
  SMALL_APP_CHANNELS,
  SMALL_APPS,
  TAGS,
  EXPORT_PERSON,
  activityData,
  consentShares,
  contactFor,
  exportPersonActivities,
  pickName,
  pickSource,
  smallAppId,
  type ChannelSpec,
} from './dataset';
import { Prng, uuidv7 } from './prng';
import type { BenchSql } from './sql';

export interface GenerateOptions {
  scale: number;
  seed: number;
  /** `rebuild`: drop the indexes and keys of the loaded tables, COPY, build them again; `indexed`: COPY into them. */
  loadMode: 'rebuild' | 'indexed';
  log: (msg: string) => void;
}

export interface GenerateSummary {
  customers: number;
  activities: number;
  smallAppCustomers: number;
  smallAppActivities: number;
  conversations: number;
  linkedSets: number;
  cohortSize: number;
  /** Big app customers by consent status (the rest are `unknown`) and the consent history rows written. */
  consent: { optedIn: number; optedOut: number; changes: number };
  /** The data-export scenario's person: its customer id and number of activities. */
  exportPerson: { id: string; activities: number };
  /** `analytics` is the rebuild of the big app's read models, run after the load (store.ts). */
  seconds: { load: number; indexes: number; analyze: number; analytics: number; total: number };
}

/** The tables the generator fills with COPY (the others stay as the migrations left them). */
const LOADED = [
  'customers',
  'customer_activity',
  'customer_activity_types',
  'activities',
  'conversations',
  'merge_profiles',
  'customer_consent_changes',
];

const SOURCES = ['admin', 'ads', 'organic', 'broadcast'];
const TYPE_INDEX = new Map(ACTIVITY_TYPES.map((t, i) => [t, i]));
const NTYPES = ACTIVITY_TYPES.length;
const iso = (ms: number) => new Date(ms).toISOString();

interface AppPlan {
  appId: string;
  customers: number;
  activities: number;
  channels: ChannelSpec[];
}

/** The column lists COPY writes, checked against the migrated schema; absent tables are left out. */
interface Layout {
  customers: string[];
  activities: string[];
  /** Present when the conversations read model exists. */
  conversations?: string[];
  /** Present when the merge lib's table exists (the columns it has). */
  profiles?: string[];
  consentChanges: string[];
}

/** What one generation run shares between its steps. */
interface Run {
  main: BenchSql;
  side: BenchSql;
  rng: Prng;
  /** Consent has a PRNG of its own, so that the rest of the data set is the same as without it. */
  consentRng: Prng;
  seed: number;
  scale: number;
  layout: Layout;
  channelIds: Map<string, string[]>;
  summary: GenerateSummary;
  /** Global customer counter: contact details are unique across apps. */
  customerSeq: number;
}

/** An app's customers as later steps need them, indexed by creation order. */
interface AppCustomers {
  ids: string[];
  created: Float64Array;
  isWa: Uint8Array;
  channelOf: Uint8Array;
  sourceOf: Uint8Array;
}

/** Per-customer activity state, derived from the generated stream as the activity writer keeps it. */
interface ActivityState {
  lastAt: Float64Array;
  typeLast: Float64Array;
  typeCount: Int32Array;
}

/**
 * Fills an empty, migrated database: one big app (1,000,000 customers over 20 channels and 10,000,000
 * activities over a year at scale 1) and 50 small apps beside it, deterministic for a seed. Activities are
 * generated in time order (as a live system writes them), each customer's `customer.created` at its creation
 * time; the per-customer state tables (`customer_activity`, `customer_activity_types`) and the conversations
 * read model are derived from the same stream, so they agree with the activities exactly.
 */
export async function generate(main: BenchSql, side: BenchSql, o: GenerateOptions): Promise<GenerateSummary> {
  const t0 = Date.now();
  const columns = await tableColumns(main);
  const apps = planApps(o.scale);
  const rng = new Prng(o.seed);

  // PGlite's whole server lives in one WebAssembly heap: a smaller budget for the index builds there.
  const budget = main.backend === 'pglite' ? '256MB' : '1GB';
  await main.query(`set maintenance_work_mem = '${budget}'`);
  if (side !== main) await side.query(`set maintenance_work_mem = '${budget}'`);
  const saved =
    o.loadMode === 'rebuild'
      ? await dropIndexes(
          main,
          LOADED.filter((t) => columns.has(t)),
        )
      : undefined;

  const summary = emptySummary(apps);
  const channelIds = await insertChannelsAndProperties(main, apps, rng);

  const tLoad = Date.now();
  const run: Run = {
    main,
    side,
    rng,
    consentRng: new Prng(o.seed + 104_729),
    seed: o.seed,
    scale: o.scale,
    layout: copyLayout(columns),
    channelIds,
    summary,
    customerSeq: 0,
  };
  for (const app of apps) {
    await loadApp(run, app);
    if (app.appId === BIG_APP)
      o.log(
        `  ${app.appId}: ${app.customers} customers, ${app.activities} activities loaded in ${((Date.now() - tLoad) / 1000).toFixed(1)} s`,
      );
  }
  summary.seconds.load = (Date.now() - tLoad) / 1000;

  const tIdx = Date.now();
  if (saved) await restoreIndexes(side === main ? [main] : [main, side], saved, o.log);
  summary.seconds.indexes = (Date.now() - tIdx) / 1000;
  const tAn = Date.now();
  await analyzeLoaded(main, side, columns);
  summary.seconds.analyze = (Date.now() - tAn) / 1000;
  summary.seconds.total = (Date.now() - t0) / 1000;
  return summary;
}

/** The big app first, then the small ones; their sizes at `scale` (with floors, so tiny scales still work). */
function planApps(scale: number): AppPlan[] {
  const bigCustomers = Math.max(100, Math.round(1_000_000 * scale));
  const bigActivities = Math.max(bigCustomers * 2, Math.round(10_000_000 * scale));
  const smallCustomers = Math.max(5, Math.round(1000 * scale));
  return [
    { appId: BIG_APP, customers: bigCustomers, activities: bigActivities, channels: BIG_APP_CHANNELS },
    ...Array.from({ length: SMALL_APPS }, (_, i) => ({
      appId: smallAppId(i),
      customers: smallCustomers,
      activities: smallCustomers * 5,
      channels: SMALL_APP_CHANNELS,
    })),
  ];
}

function emptySummary(apps: AppPlan[]): GenerateSummary {
  const [big, small] = apps;
  return {
    customers: big.customers,
    activities: big.activities,
    smallAppCustomers: small.customers * SMALL_APPS,
    smallAppActivities: small.customers * 5 * SMALL_APPS,
    conversations: 0,
    linkedSets: 0,
    cohortSize: 0,
    consent: { optedIn: 0, optedOut: 0, changes: 0 },
    exportPerson: { id: '', activities: 0 },
    seconds: { load: 0, indexes: 0, analyze: 0, analytics: 0, total: 0 },
  };
}

/** Channels and property definitions of every app (a handful of rows each); answers each app's channel ids. */
async function insertChannelsAndProperties(c: BenchSql, apps: AppPlan[], rng: Prng): Promise<Map<string, string[]>> {
  const setupAt = new Date(DATA_END - DATA_SPAN_MS).toISOString();
  const channelIds = new Map<string, string[]>();
  for (const app of apps) {
    const ids: string[] = [];
    for (const spec of app.channels) {
      const id = uuidv7(DATA_END - DATA_SPAN_MS - 86400000 + ids.length, rng);
      ids.push(id);
      await c.query('insert into channels (id, app_id, type, name, config, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)', [
        id,
        app.appId,
        spec.type,
        spec.name,
        JSON.stringify(spec.config),
        setupAt,
      ]);
    }
    channelIds.set(app.appId, ids);
    if (app.appId === BIG_APP) {
      // The app's own zone, tracked by the analytics from the start (the rebuild after the load back-fills it).
      await c.query('insert into app_settings (app_id, timezone, updated_at) values ($1, $2, $3)', [app.appId, BIG_APP_TIMEZONE, setupAt]);
      await c.query('insert into analytics_active_zones (app_id, zone, ready, requested_at) values ($1, $2, false, $3)', [
        app.appId,
        BIG_APP_TIMEZONE,
        setupAt,
      ]);
    }
    for (const p of PROPERTIES) {
      await c.query(
        'insert into customer_properties (app_id, key, label, type, options, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)',
        [app.appId, p.key, p.label, p.type, p.options ? JSON.stringify(p.options) : null, setupAt],
      );
    }
  }
  return channelIds;
}

function copyLayout(columns: Map<string, Set<string>>): Layout {
  const customers = [
    'id',
    'app_id',
    'channel_id',
    'identifier',
    'name',
    'email',
    'phone_number',
    'source',
    'platform',
    'properties',
    'tags',
    'profile_id',
    'main_channel',
    'search_text',
    'consent_status',
    'consent_updated_at',
    'consent_source',
    'created_at',
    'updated_at',
  ];
  requireColumns(columns, 'customers', customers);
  const consentChanges = ['app_id', 'id', 'customer_id', 'status', 'source', 'note', 'actor', 'at', 'applied', 'recorded_at'];
  requireColumns(columns, 'customer_consent_changes', consentChanges);
  const activities = ['app_id', 'id', 'customer_id', 'type', 'occurred_at', 'data', 'idempotency_key', 'created_at'];
  requireColumns(columns, 'activities', activities);
  const conversations = [
    'app_id',
    'id',
    'customer_id',
    'room_id',
    'status',
    'started_at',
    'resolved_at',
    'last_message',
    'additional_info',
    'notes',
    'last_event_at',
    'created_at',
    'updated_at',
  ];
  const withConversations = columns.has('conversations');
  if (withConversations) requireColumns(columns, 'conversations', conversations);
  const profiles = columns.has('merge_profiles')
    ? ['id', 'app_id', 'created_at', 'updated_at'].filter((c) => columns.get('merge_profiles')!.has(c))
    : undefined;
  return { customers, activities, conversations: withConversations ? conversations : undefined, profiles, consentChanges };
}

/** One app's rows: linked sets, customers, the activity stream with its conversations, then the per-customer state. */
async function loadApp(run: Run, app: AppPlan): Promise<void> {
  const created = creationTimes(app.customers, run.rng);
  const profileOf = run.layout.profiles ? await writeLinkedSets(run, app, created, run.layout.profiles) : new Map<number, string>();
  const customers = await writeCustomers(run, app, created, profileOf);
  const state = await writeActivities(run, app, customers);
  await writeCustomerState(run, app, customers.ids, state);
  if (app.appId === BIG_APP) await writeExportPerson(run, app);
}

// Creation times first, so that the linked sets (pairs of neighbours, when the merge lib's table exists) can be
// written before the customers that point at them.
function creationTimes(n: number, rng: Prng): Float64Array {
  const start = DATA_END - DATA_SPAN_MS;
  const created = new Float64Array(n);
  for (let i = 0; i < n; i++) created[i] = Math.floor(start + (DATA_SPAN_MS - 3600_000) * ((i + rng.next()) / n));
  return created;
}

/** Pairs of neighbours linked into one profile, every 200th customer from the 12th; answers customer index → profile. */
async function writeLinkedSets(run: Run, app: AppPlan, created: Float64Array, cols: string[]): Promise<Map<number, string>> {
  const n = app.customers;
  const profileOf = new Map<number, string>();
  // A PRNG of its own, so that the linked sets leave the main sequence as it was without them.
  const prng = new Prng(run.seed + 7919);
  const pw = CopyWriter.open(run.main, 'merge_profiles', cols);
  for (let i = 11; i + 1 < n; i += 200) {
    const pid = uuidv7(created[i], prng);
    profileOf.set(i, pid);
    profileOf.set(i + 1, pid);
    const row: Record<string, unknown> = { id: pid, app_id: app.appId, created_at: iso(created[i]), updated_at: iso(created[i]) };
    await pw.row(cols.map((c) => row[c]));
    run.summary.linkedSets++;
  }
  await pw.end();
  return profileOf;
}

/** Customers, in creation order (UUIDv7 ids of their creation time, as the service makes them). */
async function writeCustomers(run: Run, app: AppPlan, created: Float64Array, profileOf: Map<number, string>): Promise<AppCustomers> {
  const { rng } = run;
  const n = app.customers;
  const out: AppCustomers = {
    ids: new Array(n),
    created,
    isWa: new Uint8Array(n),
    channelOf: new Uint8Array(n),
    sourceOf: new Uint8Array(n),
  };
  const weights = app.channels.map((c) => c.weight);
  const channelIdx = app.channels.map((_, i) => i);
  const big = app.appId === BIG_APP;
  const cohort = big ? Math.min(COHORT_MAX, Math.floor(n / 100)) : 0;
  run.summary.cohortSize = big ? cohort : run.summary.cohortSize;
  const cw = CopyWriter.open(run.main, 'customers', run.layout.customers);
  // The history rows go in after the customers they reference (a COPY into indexed tables checks the keys).
  const history: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = created[i];
    const ci = rng.weighted(channelIdx, weights);
    const spec = app.channels[ci];
    out.isWa[i] = spec.type === 'wa' ? 1 : 0;
    out.channelOf[i] = ci;
    const name = pickName(rng);
    const contact = contactFor(rng, spec, run.customerSeq++, name);
    const props: Record<string, unknown> = {};
    for (const p of PROPERTIES) if (rng.chance(p.presence)) props[p.key] = p.value(rng);
    const tags: string[] = [];
    const nTags = rng.weighted([0, 1, 2, 3], [40, 35, 18, 7]);
    for (let t = 0; t < nTags; t++) {
      const tag = TAGS[rng.zipf(TAGS.length, 1)];
      if (!tags.includes(tag)) tags.push(tag);
    }
    if (big && i % 100 === 7 && Math.floor(i / 100) < cohort) tags.push(COHORT_TAG);
    const id = uuidv7(at, rng);
    out.ids[i] = id;
    const profileId = profileOf.get(i) ?? null;
    const platform = spec.type === 'qiscus' ? (rng.chance(0.6) ? 'web' : 'mobile') : null;
    const source = pickSource(rng, spec.type);
    out.sourceOf[i] = SOURCES.indexOf(source);
    const stamp = iso(at);
    const consent = pickConsent(run, app.appId, id, spec.type, at, history, big);
    await cw.row([
      id,
      app.appId,
      run.channelIds.get(app.appId)![ci],
      contact.identifier,
      name.full,
      contact.email,
      contact.phone,
      source,
      platform,
      props,
      tags,
      profileId,
      profileId !== null && profileOf.get(i - 1) !== profileId,
      buildSearchText({ name: name.full, email: contact.email, phoneNumber: contact.phone, identifier: contact.identifier }),
      consent.status,
      consent.at,
      consent.source,
      stamp,
      stamp,
    ]);
  }
  await cw.end();
  await writeLines(run.main, 'customer_consent_changes', run.layout.consentChanges, history);
  return out;
}

async function writeLines(db: BenchSql, table: string, columns: string[], lines: string[]): Promise<void> {
  if (!lines.length) return;
  const w = CopyWriter.open(db, table, columns);
  for (const line of lines) await w.raw(line);
  await w.end();
}

/**
 * A customer's consent as the service keeps it (libs/customers, CustomerConsent): the current status on the row,
 * every change in `customer_consent_changes` (applied, as each was the newest when it came). Most customers have
 * none (`unknown`); some opted in; a few opted out, a quarter of those after an opt-in. Changes fall between the
 * customer's creation and the end of the data.
 */
function pickConsent(
  run: Run,
  appId: string,
  customerId: string,
  type: string,
  created: number,
  history: string[],
  big: boolean,
): { status: string; at: string | null; source: string | null } {
  const r = run.consentRng;
  const [pIn, pOut] = consentShares(type);
  const x = r.next();
  if (x >= pIn + pOut) return { status: 'unknown', at: null, source: null };
  const status = x < pIn ? 'opted_in' : 'opted_out';
  const steps = status === 'opted_out' && r.chance(0.25) ? ['opted_in', 'opted_out'] : [status];
  let t = created;
  let last = { status, at: '', source: '' };
  for (const s of steps) {
    t = t + Math.floor((DATA_END - t) * r.next() * 0.8) + 1000;
    const who = r.weighted(
      CONSENT_SOURCES,
      CONSENT_SOURCES.map((c) => c.weight),
    );
    const at = iso(t);
    history.push([appId, uuidv7(t, r), customerId, s, who.source, null, who.actor, at, true, at].map((v) => copyValue(v)).join('\t'));
    last = { status: s, at, source: who.source };
  }
  if (big) {
    if (status === 'opted_in') run.summary.consent.optedIn++;
    else run.summary.consent.optedOut++;
    run.summary.consent.changes += steps.length;
  }
  return last;
}

/**
 * The data-export scenario's person (EXPORT_PERSON): a WhatsApp customer of the big app created at the start of
 * the year, opted in, with `exportPersonActivities(scale)` activities spread over the year (its conversations
 * and per-customer state derived from them, as for everyone). Its own PRNG: the rest of the data is unchanged.
 */
async function writeExportPerson(run: Run, app: AppPlan): Promise<void> {
  const r = new Prng(run.seed + 15_485_863);
  const n = exportPersonActivities(run.scale);
  const start = DATA_END - DATA_SPAN_MS;
  const created = start + 3_600_000;
  const id = uuidv7(created, r);
  const channelId = run.channelIds.get(app.appId)![0];
  const optedAt = iso(created + 86_400_000);
  const cw = CopyWriter.open(run.main, 'customers', run.layout.customers);
  await cw.row([
    id,
    app.appId,
    channelId,
    EXPORT_PERSON.identifier,
    EXPORT_PERSON.name,
    EXPORT_PERSON.email,
    `+${EXPORT_PERSON.identifier}`,
    'ads',
    null,
    { city: 'Jakarta', tier: 'platinum' },
    ['vip', 'loyal'],
    null,
    false,
    buildSearchText({
      name: EXPORT_PERSON.name,
      email: EXPORT_PERSON.email,
      phoneNumber: `+${EXPORT_PERSON.identifier}`,
      identifier: EXPORT_PERSON.identifier,
    }),
    'opted_in',
    optedAt,
    'api',
    iso(created),
    iso(created),
  ]);
  await cw.end();
  await writeLines(run.main, 'customer_consent_changes', run.layout.consentChanges, [
    [app.appId, uuidv7(created + 86_400_000, r), id, 'opted_in', 'api', null, CONSENT_SOURCES[0].actor, optedAt, true, optedAt]
      .map((v) => copyValue(v))
      .join('\t'),
  ]);

  const aw = CopyWriter.open(run.main, 'activities', run.layout.activities);
  const convs = run.layout.conversations ? CopyWriter.open(run.side, 'conversations', run.layout.conversations) : undefined;
  const mixTypes = ACTIVITY_MIX.map((a) => a.type);
  const mixWeights = ACTIVITY_MIX.map((a) => a.weight);
  const last = new Map<string, { at: number; count: number }>();
  const emit = async (type: string, at: number, data: Record<string, unknown>) => {
    const stamp = iso(at);
    await aw.raw(`${app.appId}\t${uuidv7(at, r)}\t${id}\t${type}\t${stamp}\t${copyValue(data)}\t\\N\t${stamp}`);
    const s = last.get(type) ?? { at: 0, count: 0 };
    last.set(type, { at: Math.max(s.at, at), count: s.count + 1 });
  };
  await emit('customer.created', created, { via: 'event', channelId, source: 'ads' });
  for (let j = 1; j < n; j++) {
    const t = Math.floor(created + (DATA_END - created - 60_000) * ((j + r.next()) / n));
    const type = r.weighted(mixTypes, mixWeights);
    const roomId = type.startsWith('conversation.') ? `room-${app.appId}-person-${j}` : undefined;
    await emit(type, t, activityData(r, type, roomId));
    if (convs && type === 'conversation.started') {
      await convs.row(conversationRow(r, app.appId, id, roomId!, t));
      run.summary.conversations++;
    }
  }
  await Promise.all([aw.end(), convs?.end()]);
  const lastAt = Math.max(...[...last.values()].map((v) => v.at));
  await writeLines(run.main, 'customer_activity', ['app_id', 'customer_id', 'last_activity_at'], [`${app.appId}\t${id}\t${iso(lastAt)}`]);
  await writeLines(
    run.main,
    'customer_activity_types',
    ['app_id', 'customer_id', 'type', 'last_at', 'count'],
    [...last.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, v]) => `${app.appId}\t${id}\t${type}\t${iso(v.at)}\t${v.count}`),
  );
  run.summary.exportPerson = { id, activities: n };
}

/**
 * The activity stream in time order, each customer's `customer.created` when it is created; conversations from
 * the `conversation.started` ones, on the side connection. Answers the per-customer state the stream leaves.
 */
async function writeActivities(run: Run, app: AppPlan, customers: AppCustomers): Promise<ActivityState> {
  const { rng } = run;
  const { ids, created, isWa, channelOf, sourceOf } = customers;
  const n = app.customers;
  const state: ActivityState = {
    lastAt: new Float64Array(n),
    typeLast: new Float64Array(n * NTYPES),
    typeCount: new Int32Array(n * NTYPES),
  };
  const start = DATA_END - DATA_SPAN_MS;
  const aw = CopyWriter.open(run.main, 'activities', run.layout.activities);
  const convs = run.layout.conversations ? CopyWriter.open(run.side, 'conversations', run.layout.conversations) : undefined;
  const others = app.activities - n;
  const mixTypes = ACTIVITY_MIX.map((a) => a.type);
  const mixWeights = ACTIVITY_MIX.map((a) => a.weight);
  const prefix = `${app.appId}\t`;
  let next = 0;
  let seq = 0;
  const emit = async (c: number, type: string, at: number, data: Record<string, unknown>) => {
    const stamp = iso(at);
    const key = rng.chance(0.3) ? `${app.appId}-e${seq}` : null;
    seq++;
    await aw.raw(`${prefix}${uuidv7(at, rng)}\t${ids[c]}\t${type}\t${stamp}\t${copyValue(data)}\t${key ?? '\\N'}\t${stamp}`);
    if (at > state.lastAt[c]) state.lastAt[c] = at;
    const k = c * NTYPES + TYPE_INDEX.get(type)!;
    state.typeCount[k]++;
    if (at > state.typeLast[k]) state.typeLast[k] = at;
  };
  const createdUpTo = async (t: number) => {
    while (next < n && created[next] <= t) {
      const channelId = run.channelIds.get(app.appId)![channelOf[next]];
      await emit(next, 'customer.created', created[next], {
        via: rng.chance(0.6) ? 'event' : 'import',
        channelId,
        source: SOURCES[sourceOf[next]],
      });
      next++;
    }
  };
  for (let j = 0; j < others; j++) {
    const t = Math.floor(start + DATA_SPAN_MS * ((j + rng.next()) / others));
    await createdUpTo(t);
    if (next === 0) continue;
    const c = pickActiveCustomer(rng, next);
    let type = rng.weighted(mixTypes, mixWeights);
    if (!isWa[c] && (type === 'message.inbound_from_ad' || type === 'broadcast.received')) type = 'csat.submitted';
    const roomId = type.startsWith('conversation.') ? `room-${app.appId}-${j}` : undefined;
    await emit(c, type, t, activityData(rng, type, roomId));
    if (convs && type === 'conversation.started') {
      await convs.row(conversationRow(rng, app.appId, ids[c], roomId!, t));
      run.summary.conversations++;
    }
  }
  await createdUpTo(Number.POSITIVE_INFINITY);
  await Promise.all([aw.end(), convs?.end()]);
  return state;
}

/** A customer among the first `created`: a tenth of them (the "hot" ones) receive 70% of the events. */
function pickActiveCustomer(rng: Prng, created: number): number {
  const hot = rng.chance(0.7);
  const c = hot ? rng.int(Math.ceil(created / 10)) * 10 : rng.int(created);
  return c >= created ? created - 1 : c;
}

/** The conversation a `conversation.started` at `t` opens: most are resolved within the hour. */
function conversationRow(rng: Prng, appId: string, customerId: string, roomId: string, t: number): unknown[] {
  const resolved = rng.chance(0.8) && t + 3600_000 < DATA_END ? t + 60_000 + rng.int(3600_000) : null;
  const stamp = iso(t);
  return [
    appId,
    uuidv7(t, rng),
    customerId,
    roomId,
    resolved ? 'resolved' : 'ongoing',
    stamp,
    resolved ? iso(resolved) : null,
    rng.chance(0.7) ? 'Terima kasih, pesanan saya sudah sampai' : null,
    null,
    null,
    iso(resolved ?? t),
    stamp,
    iso(resolved ?? t),
  ];
}

/** Per-customer state, exactly as the activity writer keeps it. */
async function writeCustomerState(run: Run, app: AppPlan, ids: string[], state: ActivityState): Promise<void> {
  const prefix = `${app.appId}\t`;
  const caw = CopyWriter.open(run.main, 'customer_activity', ['app_id', 'customer_id', 'last_activity_at']);
  const ctw = CopyWriter.open(run.side, 'customer_activity_types', ['app_id', 'customer_id', 'type', 'last_at', 'count']);
  for (let c = 0; c < app.customers; c++) {
    if (state.lastAt[c] > 0) await caw.raw(`${prefix}${ids[c]}\t${iso(state.lastAt[c])}`);
    for (let t = 0; t < NTYPES; t++) {
      const k = c * NTYPES + t;
      if (state.typeCount[k]) await ctw.raw(`${prefix}${ids[c]}\t${ACTIVITY_TYPES[t]}\t${iso(state.typeLast[k])}\t${state.typeCount[k]}`);
    }
  }
  await Promise.all([caw.end(), ctw.end()]);
}

async function analyzeLoaded(main: BenchSql, side: BenchSql, columns: Map<string, Set<string>>): Promise<void> {
  // Vacuumed as well as analysed on both backends, so that index-only scans find a visibility map: a stock
  // PostgreSQL's autovacuum vacuums a table after that many inserts (autovacuum_vacuum_insert_threshold), and the
  // embedded service's upkeep does the same (EmbeddedMaintenance in libs/platform). A server running without
  // autovacuum (the CI one) would otherwise be measured in a state stock settings never leave a table in.
  const verb = 'vacuum (analyze)';
  const each = (c: BenchSql, tables: string[]) =>
    tables.reduce((p, t) => p.then(() => c.query(`${verb} ${t}`)), Promise.resolve({ rows: [] }));
  await Promise.all([
    each(main, ['customers', 'customer_activity']),
    each(side, ['activities', 'customer_activity_types', 'channels', 'customer_properties']),
  ]);
  for (const t of ['conversations', 'merge_profiles', 'customer_consent_changes', 'app_settings'])
    if (columns.has(t)) await main.query(`${verb} ${t}`);
}

async function tableColumns(c: BenchSql): Promise<Map<string, Set<string>>> {
  const r = await c.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns where table_schema = 'public'`,
  );
  const out = new Map<string, Set<string>>();
  for (const row of r.rows) {
    if (!out.has(row.table_name)) out.set(row.table_name, new Set());
    out.get(row.table_name)!.add(row.column_name);
  }
  return out;
}

function requireColumns(columns: Map<string, Set<string>>, table: string, wanted: string[]): void {
  const have = columns.get(table);
  if (!have) throw new Error(`The migrations define no table "${table}"`);
  const missing = wanted.filter((c) => !have.has(c));
  if (missing.length)
    throw new Error(`Table "${table}" lacks column(s) ${missing.join(', ')}: the generator is out of date with the migrations`);
}

interface SavedSchema {
  constraints: { table: string; name: string; def: string; kind: string }[];
  indexes: { name: string; def: string }[];
}

/**
 * Drops the foreign keys touching the loaded tables, their primary/unique constraints and their indexes,
 * remembering the definitions (`pg_get_constraintdef` / `pg_get_indexdef`) to build them again after COPY.
 */
async function dropIndexes(c: BenchSql, tables: string[]): Promise<SavedSchema> {
  const cons = await c.query<{ table: string; name: string; def: string; kind: string }>(
    `select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as def, contype as kind
       from pg_constraint
      where contype in ('p', 'u', 'f')
        and (conrelid = any($1::regclass[]) or (contype = 'f' and confrelid = any($1::regclass[])))
      order by case contype when 'f' then 0 else 1 end`,
    [tables],
  );
  const idx = await c.query<{ name: string; def: string }>(
    `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = any($1::regclass[])
        and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.contype in ('p', 'u', 'x'))`,
    [tables],
  );
  for (const k of cons.rows) await c.query(`alter table ${k.table} drop constraint ${k.name}`);
  for (const i of idx.rows) await c.query(`drop index if exists ${i.name}`);
  return { constraints: cons.rows, indexes: idx.rows };
}

async function restoreIndexes(clients: BenchSql[], s: SavedSchema, log: (m: string) => void): Promise<void> {
  // Keys first (foreign keys need the referenced unique indexes), then indexes two at a time (GIN builds are
  // single-threaded), then the foreign keys.
  const keys = s.constraints.filter((k) => k.kind !== 'f');
  const indexes = s.indexes.map((i) => i.def);
  const queue = [...keys.map((k) => `alter table ${k.table} add constraint ${k.name} ${k.def}`), ...indexes];
  // Unique indexes that foreign keys reference must exist before those keys: all indexes are built before any FK.
  let i = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (i < queue.length) {
        const stmt = queue[i++];
        const t = Date.now();
        await c.query(stmt);
        const ms = Date.now() - t;
        if (ms > 2000) log(`  ${stmt.slice(0, 90)}… ${(ms / 1000).toFixed(1)} s`);
      }
    }),
  );
  for (const k of s.constraints.filter((k) => k.kind === 'f'))
    await clients[0].query(`alter table ${k.table} add constraint ${k.name} ${k.def}`);
}
