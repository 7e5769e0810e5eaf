import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { PG_SESSION_SETTINGS, pgSessionOptions } from '@cdp/platform';
import { mintToken } from '../../apps/api/src/cli/mint';
import { BIG_APP, EXPORT_PERSON } from './dataset';
import type { GenerateSummary } from './generate';
import { joined, type Bounds, type Measured } from './load';
import { parseOptions, type BenchOptions } from './options';
import { MailSink, peakRssMb, startNode, waitHttp, type Child } from './processes';
import { markdown, summarise, verdicts, type Results, type RunNotes, type ScenarioResult } from './report';
import { SCENARIOS, type Fixture, type Scenario } from './scenarios';
import type { BenchSql } from './sql';
import type { TappedQuery } from './sql-tap';
import { benchStore, type BenchStore } from './store';

const ROOT = resolve(__dirname, '..', '..', '..');
const log = (m: string) => process.stdout.write(m + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The service under test and the floor beside it, both reading the bench database. */
interface Services {
  service: Child;
  base: string;
  floorBase: string;
  secret: string;
  /** Where the preloaded SQL tap writes the service's statements (bench/src/sql-tap.ts). */
  tapFile: string;
}

type Routes = Record<string, Record<string, unknown>>;

/**
 * `npm run bench`: creates its own database, migrates and fills it, starts the service, the floor and an SMTP
 * peer, runs every scenario at each concurrency, writes results.json, RESULTS.md and the plans, and drops
 * the database (unless `--keep`). `--check` is the quick CI variant: tiny bounds, results under bench/.work/,
 * exit code 1 when a scenario answered with errors. bench/README.md has the details.
 */
async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const store = benchStore(o);
  const outDir = o.out ? resolve(o.out) : o.check ? join(ROOT, 'bench', '.work') : join(ROOT, 'bench');
  const names = outputNames(o);
  mkdirSync(join(outDir, names.plans), { recursive: true });

  const genSummary = await store.prepare(log);
  const children: Child[] = [];
  const mail = new MailSink();
  const dataDir = mkdtempSync(join(tmpdir(), 'cdp-bench-'));
  try {
    await mail.start();
    const svc = await startServices(store, dataDir, mail, children);
    const routes = await openApiRoutes(svc.base);
    const sql = await store.open();
    let fixture: Fixture;
    let notes: RunNotes;
    let results: Results;
    try {
      fixture = await buildFixture(sql, svc, mail, genSummary, routes);
      notes = {
        requests: {},
        floorMatches: {},
        rssAfter: {},
        settings: await serverSettings(sql),
        planSource: '',
        generation: genSummary ? generationNote(genSummary, o) : undefined,
      };
      results = {
        scale: o.scale,
        customers: genSummary?.customers ?? (await countRows(sql, 'customers')),
        activities: genSummary?.activities ?? (await countRows(sql, 'activities')),
        machine: describeMachine(o, notes.settings),
        serviceRssMb: null,
        scenarios: [],
      };
    } catch (e) {
      await sql.close();
      throw e;
    }

    const selected = SCENARIOS.filter((s) => !o.only || o.only.includes(s.name));
    const missing = (s: Scenario) => !routes[s.route.path]?.[s.route.method];
    if (!fixture.apiKey && !missing(SCENARIOS.find((s) => s.name === 'ingest')!))
      log('warning: no API key could be created; ingest will fail');

    try {
      notes.planSource = await probeAnswersAndPlans(
        svc,
        fixture,
        selected.filter((x) => x.read && x.probe && !missing(x)),
        notes,
        join(outDir, names.plans),
        sql,
      );
    } finally {
      // The runner's own connection (or embedded copy) is closed before any measurement.
      await sql.close();
    }

    await measureScenarios(o, selected, missing, fixture, svc.service, notes, results);
    results.serviceRssMb = peakRssMb(svc.service.pid);
    return writeReport(o, outDir, results, notes);
  } finally {
    for (const c of children.reverse()) await c.stop();
    await mail.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await store.dispose();
  }
}

/** Where a backend's results go: PostgreSQL's under the historical names, PGlite's beside them. */
function outputNames(o: BenchOptions): { json: string; md: string; plans: string } {
  return o.backend === 'pglite'
    ? { json: 'results-pglite.json', md: 'RESULTS-pglite.md', plans: 'plans-pglite' }
    : { json: 'results.json', md: 'RESULTS.md', plans: 'plans' };
}

/** Starts the built service (with the SQL tap preloaded) and the floor server, and waits until both answer. */
async function startServices(store: BenchStore, dataDir: string, mail: MailSink, children: Child[]): Promise<Services> {
  const secret = randomBytes(24).toString('hex');
  const port = 4100 + Math.floor(Math.random() * 400);
  const floorPort = port + 500;
  const tapFile = join(dataDir, 'sql-tap.json');
  const service = startNode(
    join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js'),
    {
      NODE_ENV: 'production',
      ...store.serviceEnv(dataDir),
      JWT_SECRET: secret,
      SUPPRESSION_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATA_DIR: dataDir,
      SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      // webhookDelivery's receiver listens on 127.0.0.1 in the benchmark's process.
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      BENCH_SQL_TAP: tapFile,
    },
    ['--require', join(__dirname, 'sql-tap.js')],
  );
  children.push(service);
  const floor = startNode(join(__dirname, 'floor-server.js'), { ...store.floorEnv(dataDir), FLOOR_PORT: String(floorPort) });
  children.push(floor);
  const base = `http://127.0.0.1:${port}`;
  const floorBase = `http://127.0.0.1:${floorPort}`;
  await waitHttp(`${base}/health`, service, 90_000);
  await waitHttp(`${floorBase}/list?app=${BIG_APP}`, floor, 120_000);
  log(`service pid ${service.pid} on ${base}, floor on ${floorBase}`);
  return { service, base, floorBase, secret, tapFile };
}

/** The paths and methods the service's OpenAPI document lists (scenarios of routes not there yet are skipped). */
async function openApiRoutes(base: string): Promise<Routes> {
  const spec = (await (await fetch(`${base}/openapi.json`)).json()) as { paths?: Routes };
  return spec.paths ?? {};
}

/**
 * Plans and answers first, one request per read scenario, while the tap records the service's SQL: each
 * answer is compared with the floor's, then the tap is stopped and the plans of the statements each request
 * sent are saved. Answers where the plans came from.
 */
async function probeAnswersAndPlans(
  svc: Services,
  fixture: Fixture,
  reads: Scenario[],
  notes: RunNotes,
  plansDir: string,
  sql: BenchSql,
): Promise<string> {
  const windows: { name: string; from: number; to: number }[] = [];
  for (const s of reads) {
    const p = s.probe!(fixture);
    await call(svc.base, p.service); // warm
    const from = Date.now();
    await sleep(5);
    const answer = await call(svc.base, p.service);
    await sleep(5);
    windows.push({ name: s.name, from, to: Date.now() });
    if (!p.floor) continue;
    const fl = await call(svc.floorBase, p.floor);
    notes.floorMatches[s.name] = compareAnswers(answer, fl);
    await sleep(20);
  }
  svc.service.proc.kill('SIGUSR2');
  const tapped = await readTap(svc.tapFile);
  return savePlans(sql, tapped, windows, plansDir);
}

/**
 * Every selected scenario at each concurrency (and its floor where it has one), appended to `results`: first
 * the reads at every concurrency, then the rest. The reads thus all meet the generated data: a write adds the
 * newest customers, which the search and the consent filter walk first, and on PGlite the floor reads a copy
 * made before the run, which the service's writes never reach (run after the writes, the service's search at
 * concurrency 16 met other customers than its floor's).
 */
async function measureScenarios(
  o: BenchOptions,
  selected: Scenario[],
  missing: (s: Scenario) => boolean,
  fixture: Fixture,
  service: Child,
  notes: RunNotes,
  results: Results,
): Promise<void> {
  const phases = [selected.filter((s) => s.read), selected.filter((s) => !s.read)];
  const turns = phases.flatMap((phase) => o.concurrency.flatMap((level, round) => phase.map((s) => ({ s, round, level }))));
  for (const { s, round, level } of turns) {
    // A scenario with a concurrency of its own runs once, in the first round.
    if (s.onlyConcurrency && round > 0) continue;
    const c = s.onlyConcurrency ?? level;
    if (missing(s)) {
      results.scenarios.push(skipped(s, c, `${s.route.method.toUpperCase()} ${s.route.path} is not in the service's OpenAPI document yet`));
      continue;
    }
    if (s.name === 'merge' && fixture.mergePool.length < 2) {
      results.scenarios.push(skipped(s, c, 'no unlinked customers left to merge'));
      continue;
    }
    const bounds = {
      concurrency: c,
      count: o.check ? s.counts[0] : s.counts[1],
      seconds: s.read ? o.duration : o.check ? 30 : Math.max(3 * o.duration, 20),
    };
    const { m, f } = await measureWithFloor(s, fixture, bounds);
    const key = `${s.name} c${c}`;
    notes.requests[key] = { ok: m.ok, errors: m.errors, samples: m.errorSamples };
    if (f) notes.requests[`${key} floor`] = { ok: f.ok, errors: f.errors, samples: f.errorSamples };
    notes.rssAfter[key] = peakRssMb(service.pid);
    const r = summarise(s, c, m, f);
    results.scenarios.push(r);
    log(`${key}: ${describe(r, m)}${f ? ` | floor p95 ${r.floorP95Ms} ms, ratio ${r.ratio}` : ''}`);
  }
}

/**
 * A scenario, and its floor where it has one. The two take turns in `SLICES` slices of the time and requests
 * (service, floor, service, floor…), each slice going on with the sequence of samples where the last one
 * stopped, so that a machine that speeds up or slows down during the measurement (this kind of machine does,
 * by 30 % within minutes) weighs on both sides alike and the ratio stays honest.
 */
async function measureWithFloor(s: Scenario, fixture: Fixture, bounds: Bounds): Promise<{ m: Measured; f?: Measured }> {
  if (!s.floor) return { m: await s.run(fixture, bounds) };
  const mine: Measured[] = [];
  const floors: Measured[] = [];
  const slice = { ...bounds, count: Math.max(1, Math.ceil(bounds.count / SLICES)), seconds: bounds.seconds / SLICES };
  let served = 0;
  let floored = 0;
  for (let k = 0; k < SLICES; k++) {
    const m = await s.run(fixture, { ...slice, offset: served });
    mine.push(m);
    served += m.ok + m.errors;
    const f = await s.floor(fixture, { ...slice, offset: floored });
    floors.push(f);
    floored += f.ok + f.errors;
  }
  return { m: joined(mine), f: joined(floors) };
}

/** How many turns a read scenario and its floor take. */
const SLICES = 4;

/** Writes results.json and RESULTS.md, prints the verdicts and any errors; answers the exit code (1 on errors). */
function writeReport(o: BenchOptions, outDir: string, results: Results, notes: RunNotes): number {
  const failures = Object.entries(notes.requests).filter(([, v]) => v.errors > 0);
  const names = outputNames(o);
  writeFileSync(join(outDir, names.json), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(outDir, names.md), markdown(o.backend, results, SCENARIOS, notes, new Date().toISOString()));
  log('');
  for (const v of verdicts(o.backend, results, SCENARIOS)) log(v.line);
  log(`\nresults: ${join(outDir, names.json)}, ${join(outDir, names.md)}, plans in ${join(outDir, names.plans)}`);
  let exitCode = 0;
  if (failures.length) {
    for (const [k, v] of failures) log(`ERRORS in ${k}: ${v.errors} — ${v.samples.join(' | ')}`);
    exitCode = 1;
  }
  const unmatched = Object.entries(notes.floorMatches).filter(([, v]) => v !== 'same');
  for (const [k, v] of unmatched) log(`note: ${k}: the floor's answer differs from the service's (${v})`);
  return exitCode;
}

async function buildFixture(
  c: BenchSql,
  svc: Services,
  mail: MailSink,
  gen: GenerateSummary | undefined,
  routes: Routes,
): Promise<Fixture> {
  const { base, floorBase: floor, secret } = svc;
  const token = mintToken(secret, { app: BIG_APP, role: 'admin', sub: 'bench', email: 'bench@bench.example.com', ttl: '6h' });
  const data = await (async () => {
    const wa = await c.query<{ id: string; name: string }>(
      `select id, name from channels where app_id = $1 and type = 'wa' order by created_at, id`,
      [BIG_APP],
    );
    // The data-export person is kept out of the samples: merged or changed, it would not be the person exported.
    const person = (
      await c.query<{ id: string; n: number }>(
        `select c.id, (select count(*)::int from activities a where a.app_id = c.app_id and a.customer_id = c.id) as n
           from customers c where c.app_id = $1 and c.identifier = $2`,
        [BIG_APP, EXPORT_PERSON.identifier],
      )
    ).rows[0];
    const other = person?.id ?? '00000000-0000-0000-0000-000000000000';
    // Deterministic "random" samples: ordered by a hash of the id.
    const sample = await c.query<{ id: string }>(
      `select id from customers where app_id = $1 and id <> $2 order by md5(id::text) limit 500`,
      [BIG_APP, other],
    );
    const pool = await c.query<{ id: string }>(
      `select id from customers where app_id = $1 and profile_id is null and id <> $2 order by md5(id::text || 'merge') offset 500 limit 2000`,
      [BIG_APP, other],
    );
    const users = await c.query<{ identifier: string }>(
      `select identifier from customers where app_id = $1 and channel_id = $2 and id <> $3 order by md5(id::text || 'segment') limit 1000`,
      [BIG_APP, wa.rows[0]?.id, other],
    );
    const cohort = await c.query<{ n: number }>(
      `select count(*)::int as n from customers where app_id = $1 and tags && array['cohort-10k']`,
      [BIG_APP],
    );
    return {
      wa: wa.rows,
      sample: sample.rows.map((r) => r.id),
      pool: pool.rows.map((r) => r.id),
      cohort: cohort.rows[0].n,
      person: person ? { id: person.id, activities: person.n } : undefined,
      users: users.rows.map((r) => r.identifier),
    };
  })();
  let apiKey: string | undefined;
  if (routes['/v1/api-keys']?.post) {
    const r = await fetch(`${base}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'benchmark' }),
    });
    if (r.status === 201) apiKey = ((await r.json()) as { key: string }).key;
    else log(`warning: POST /v1/api-keys answered ${r.status}`);
  }
  return {
    service: base,
    floor,
    appId: BIG_APP,
    token,
    apiKey,
    waChannels: data.wa,
    sampleIds: data.sample,
    mergePool: data.pool,
    cohortSize: gen?.cohortSize ?? data.cohort,
    searchTerm: 'hidayat',
    mail,
    runId: String(Date.now() % 1_000_000).padStart(6, '0'),
    servicePid: svc.service.pid,
    exportPerson: data.person,
    segmentUserIds: data.users,
  };
}

interface Answer {
  status: number;
  body: unknown;
}

async function call(
  base: string,
  r: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  const res = await fetch(base + r.path, { method: r.method ?? 'GET', headers: r.headers, body: r.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

/** "same" when both answered alike: the same page of ids in order, or the same count. */
function compareAnswers(a: Answer, b: Answer): string {
  if (a.status !== b.status) return `service ${a.status}, floor ${b.status}`;
  const ids = (x: unknown) => {
    const o = x as {
      data?: { id: string }[];
      id?: string;
      count?: number;
      linkedCustomers?: { id: string }[];
      total?: number;
      series?: { key: string; points: { count: number }[] }[];
      activeCustomers?: { count: number }[];
    };
    if (Array.isArray(o?.data)) return o.data.map((d) => d.id).join(',');
    // Analytics: the total, each series' sum by key, and the active customers of each interval.
    if (Array.isArray(o?.series)) {
      const sums = o.series.map((x) => `${x.key}=${x.points.reduce((s, p) => s + p.count, 0)}`).sort();
      return `total ${o.total}; ${sums.join(' ')}; active ${(o.activeCustomers ?? []).map((p) => p.count).join(',')}`;
    }
    if (typeof o?.count === 'number') return `count ${o.count}`;
    if (o?.id) return `${o.id}+${(o.linkedCustomers ?? []).map((l) => l.id).join(',')}`;
    return JSON.stringify(o);
  };
  const x = ids(a.body);
  const y = ids(b.body);
  return x === y ? 'same' : `service [${x.slice(0, 80)}] floor [${y.slice(0, 80)}]`;
}

async function readTap(file: string): Promise<TappedQuery[]> {
  for (let i = 0; i < 100 && !existsSync(`${file}.done`); i++) await sleep(100);
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, 'utf8')) as TappedQuery[];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every SELECT the service sent during each scenario's probe request (captured
 * from the service process), run twice and the warm plan kept; one file per scenario, with the statement count
 * (round trips) of the request.
 */
async function savePlans(
  c: BenchSql,
  tapped: TappedQuery[],
  windows: { name: string; from: number; to: number }[],
  dir: string,
): Promise<string> {
  if (!tapped.length) return 'no statements were captured from the service.';
  // Plans as the service's sessions make them (its planner settings, session-settings.ts).
  if (c.backend === 'pg' && pgSessionOptions())
    for (const [k, v] of Object.entries(PG_SESSION_SETTINGS)) await c.query('select set_config($1, $2, false)', [k, v]);
  {
    for (const w of windows) {
      const stmts = tapped.filter((q) => q.at >= w.from && q.at <= w.to);
      const out: string[] = [`-- ${w.name}: ${stmts.length} statement(s) sent by the service for one request`, ''];
      for (const [i, q] of stmts.entries()) {
        out.push(`-- #${i + 1}`, q.text.trim(), `-- parameters: ${JSON.stringify(q.values)}`, '');
        if (!/^\s*(with|select)\b/i.test(q.text)) {
          out.push('(not a query; no plan)', '');
          continue;
        }
        try {
          await c.query(`explain (analyze, buffers) ${q.text}`, q.values);
          const plan = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.text}`, q.values);
          out.push(...plan.rows.map((r) => r['QUERY PLAN']), '');
        } catch (e) {
          out.push(`(explain failed: ${e instanceof Error ? e.message : String(e)})`, '');
        }
      }
      writeFileSync(join(dir, `${w.name}.txt`), out.join('\n'));
    }
  }
  return `the service's own statements, recorded in the service process during one request per scenario (a query hook on \`pg\` and PGlite preloaded by the benchmark), then run ${c.backend === 'pglite' ? "on the kept embedded database, in the benchmark's process," : 'here'} with EXPLAIN (ANALYZE, BUFFERS), warm; statements of the service's background work (outbox relay, table upkeep) that fell in the same moment are listed too.`;
}

async function serverSettings(c: BenchSql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const v = await c.query<{ server_version: string }>('show server_version');
  out.version = v.rows[0].server_version;
  const keys = ['shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather'];
  if (c.backend === 'pglite') keys.push('enable_seqscan');
  else keys.push('autovacuum');
  for (const k of keys) {
    const r = await c.query(`show ${k}`);
    out[k] = String(Object.values(r.rows[0])[0]);
  }
  // What the service's (and the floor's) connections set for themselves over the server's settings.
  if (c.backend === 'pg' && pgSessionOptions())
    for (const [k, v] of Object.entries(PG_SESSION_SETTINGS)) out[`${k} (the service's sessions)`] = v;
  return out;
}

function describeMachine(o: BenchOptions, s: Record<string, string>): string {
  const cpu = cpus();
  const db =
    o.backend === 'pglite'
      ? `embedded PGlite (PostgreSQL ${s.version}) in the service's process (shared_buffers ${s.shared_buffers}, work_mem ${s.work_mem}, enable_seqscan ${s.enable_seqscan})`
      : `PostgreSQL ${s.version} (shared_buffers ${s.shared_buffers}, work_mem ${s.work_mem}, effective_cache_size ${s.effective_cache_size}, random_page_cost ${s.random_page_cost}, autovacuum ${s.autovacuum})`;
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${db}`;
}

const countRows = async (c: BenchSql, table: 'customers' | 'activities') =>
  (await c.query<{ n: number }>(`select count(*)::int as n from ${table} where app_id = $1`, [BIG_APP])).rows[0].n;

function generationNote(g: GenerateSummary, o: BenchOptions): string {
  return `${g.customers} + ${g.smallAppCustomers} customers, ${g.activities} + ${g.smallAppActivities} activities, ${g.conversations} conversations, ${g.linkedSets} linked pairs, cohort ${g.cohortSize}; consent in the big app: ${g.consent.optedIn} opted in, ${g.consent.optedOut} opted out (${g.consent.changes} history rows), the rest unknown; the data-export person has ${g.exportPerson.activities} activities; ${g.seconds.total.toFixed(1)} s (COPY ${g.seconds.load.toFixed(1)} s, index builds ${g.seconds.indexes.toFixed(1)} s, VACUUM (ANALYZE) ${g.seconds.analyze.toFixed(1)} s, analytics rebuild ${g.seconds.analytics.toFixed(1)} s, load mode ${o.loadMode}, seed ${o.seed}).`;
}

function skipped(s: Scenario, concurrency: number, reason: string): ScenarioResult {
  log(`${s.name} c${concurrency}: skipped — ${reason}`);
  return {
    name: s.name,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    perSecond: null,
    floorP95Ms: null,
    ratio: null,
    concurrency,
    skipped: reason,
  };
}

function describe(r: ScenarioResult, m: Measured): string {
  const rate = r.perSecond !== null ? `, ${r.perSecond}/s` : '';
  return `${m.ok} ok, ${m.errors} errors in ${m.seconds.toFixed(1)} s; p50 ${r.p50Ms} p95 ${r.p95Ms} p99 ${r.p99Ms} ms${rate}`;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
