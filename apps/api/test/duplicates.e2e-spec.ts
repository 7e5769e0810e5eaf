import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Db, sql } from '@cdp/platform';
import { factories, lineId } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

// Small pools, so that phones, e-mails and names collide between customers of a world.
const PHONES = ['+6281234567801', '+6281234567802', '+6281234567803'];
const EMAILS = ['budi@example.com', 'siti@example.com', 'dewi@example.com'];
const NAMES = ['Budi Santoso', 'Budi Santosa', 'Siti Rahayu', 'Dewi Lestari'];
const CHANNELS = ['line', 'wa', 'qiscus-email', 'qiscus-phone', 'telegram'] as const;
type ChannelKind = (typeof CHANNELS)[number];

interface Spec {
  channel: ChannelKind;
  /** Index into the pool the channel's identifiers come from (wa/qiscus-phone: PHONES, qiscus-email: EMAILS), or a fresh one. */
  identifier: number | null;
  phone: number | null;
  email: number | null;
  /** Index into NAMES; null: created by an event without a name, so its name is its identifier. */
  name: number | null;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  channel: fc.constantFrom(...CHANNELS),
  identifier: fc.option(fc.nat({ max: 2 }), { nil: null }),
  phone: fc.option(fc.nat({ max: PHONES.length - 1 }), { nil: null }),
  email: fc.option(fc.nat({ max: EMAILS.length - 1 }), { nil: null }),
  name: fc.option(fc.nat({ max: NAMES.length - 1 }), { nil: null }),
});

const world = fc.record({
  customers: fc.array(spec, { minLength: 2, maxLength: 8 }),
  merges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
  dismissals: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
});

function identifierFor(s: Spec): string {
  const i = s.identifier;
  switch (s.channel) {
    case 'wa':
      return i === null ? `62812${String(Math.floor(Math.random() * 1e7)).padStart(7, '5')}` : PHONES[i].slice(1);
    case 'qiscus-phone':
      return i === null ? `+62813${String(Math.floor(Math.random() * 1e7)).padStart(7, '5')}` : PHONES[i];
    case 'qiscus-email':
      return i === null ? `u${randomBytes(4).toString('hex')}@example.org` : EMAILS[i];
    case 'telegram':
      return String(1e9 + Math.floor(Math.random() * 1e9));
    default:
      return lineId();
  }
}

interface Held {
  id: string;
  name: string;
  identifier: string;
  email: string | null;
  phoneNumber: string | null;
  profileId: string | null;
  channel: { id: string };
}

describe('Duplicate suggestions over random customers (X4, issue: 500 without a phone)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('X4: a customer with only an e-mail (web chat keyed by e-mail) gets 200 and its e-mail twin', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const mail = await f.channel('qiscus', { identifierType: 'email' });
    const line = await f.channel('line');
    const me = await f.customer(mail, { identifier: 'nophone@example.com', name: 'Web Visitor', email: 'nophone@example.com' });
    const twin = await f.customer(line, { name: 'Someone Else', email: 'NoPhone@example.com' });
    const r = await t.http().get(`/v1/customers/${me.id}/duplicates`).set(t.auth(appId));
    expect(r.status).toBe(200);
    expect(r.body.map((s: { customer: { id: string }; reasons: string[] }) => [s.customer.id, s.reasons])).toEqual([
      [twin.id, ['same_email']],
    ]);
    // Name only (no phone, no e-mail), and nothing at all to go by: 200, empty.
    const alone = await f.customer(line, { name: 'Zyx' });
    expect((await t.http().get(`/v1/customers/${alone.id}/duplicates`).set(t.auth(appId))).body).toEqual([]);
  });

  it('X4: never a 500; every reason is true of the pair; never itself, its own set, its channel or a dismissed pair; nothing true is missed', async () => {
    const db = t.app.get(Db);
    const similar = async (a: string, b: string) => !!(await db.one<{ s: boolean }>(sql`select ${a} % ${b} as s`))?.s;

    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const appId = newAppId();
        const f = factories(t, appId);
        const channelIds: Record<ChannelKind, string> = {
          line: await f.channel('line'),
          wa: await f.channel('wa'),
          'qiscus-email': await f.channel('qiscus', { identifierType: 'email' }),
          'qiscus-phone': await f.channel('qiscus', { identifierType: 'phone' }),
          telegram: await f.channel('telegram'),
        };
        const kindOf = new Map(Object.entries(channelIds).map(([k, id]) => [id, k as ChannelKind]));

        for (const s of w.customers) {
          const channelId = channelIds[s.channel];
          const identifier = identifierFor(s);
          const contact = {
            ...(s.phone === null ? {} : { phoneNumber: PHONES[s.phone] }),
            ...(s.email === null ? {} : { email: EMAILS[s.email] }),
          };
          if (s.name === null) {
            const r = await t
              .http()
              .post('/v1/events')
              .set(t.auth(appId))
              .send({
                events: [{ type: 'purchase.completed', occurredAt: new Date().toISOString(), channelId, identifier, customer: contact }],
              });
            expect(r.status).toBe(200);
            expect(r.body.rejected).toEqual([]);
          } else {
            const r = await t
              .http()
              .post('/v1/customers')
              .set(t.auth(appId))
              .send({ channelId, identifier, name: NAMES[s.name], ...contact });
            expect([201, 409]).toContain(r.status); // 409: the world repeated a (channel, identifier)
          }
        }
        const listed = async (): Promise<Held[]> => (await t.http().get('/v1/customers?limit=100').set(t.auth(appId))).body.data;
        let all = await listed();
        for (const [i, j] of w.merges) {
          const [a, b] = [all[i % all.length], all[j % all.length]];
          const m = await t
            .http()
            .post(`/v1/customers/${a.id}/merge`)
            .set(t.auth(appId))
            .send({ customerIds: [b.id] });
          expect(m.status).toBeLessThan(500);
        }
        const dismissed = new Set<string>();
        for (const [i, j] of w.dismissals) {
          const [a, b] = [all[i % all.length], all[j % all.length]];
          const d = await t.http().post(`/v1/customers/${a.id}/duplicates/${b.id}/dismiss`).set(t.auth(appId));
          expect(d.status).toBe(a.id === b.id ? 422 : 204);
          dismissed.add(`${a.id}:${b.id}`).add(`${b.id}:${a.id}`);
        }
        all = await listed();

        const phones = (c: Held) => {
          const out = new Set<string>(c.phoneNumber ? [c.phoneNumber] : []);
          const kind = kindOf.get(c.channel.id);
          if (kind === 'wa') out.add(`+${c.identifier}`);
          if (kind === 'qiscus-phone') out.add(c.identifier);
          return out;
        };
        const emails = (c: Held) => {
          const out = new Set<string>(c.email ? [c.email.toLowerCase()] : []);
          if (kindOf.get(c.channel.id) === 'qiscus-email') out.add(c.identifier.toLowerCase());
          return out;
        };
        const meets = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));

        for (const me of all) {
          const r = await t.http().get(`/v1/customers/${me.id}/duplicates`).set(t.auth(appId));
          expect(r.status).toBe(200);
          const got = new Map<string, string[]>((r.body as { customer: Held; reasons: string[] }[]).map((s) => [s.customer.id, s.reasons]));
          for (const other of all) {
            const reasons = got.get(other.id);
            const eligible =
              other.id !== me.id &&
              other.channel.id !== me.channel.id &&
              other.profileId === null &&
              !(me.profileId !== null && other.profileId === me.profileId) &&
              !dismissed.has(`${me.id}:${other.id}`);
            const truth = eligible
              ? [
                  ...(meets(phones(me), phones(other)) ? ['same_phone'] : []),
                  ...(meets(emails(me), emails(other)) ? ['same_email'] : []),
                  ...((await similar(me.name, other.name)) ? ['similar_name'] : []),
                ]
              : [];
            // Exactly the reasons that are true of the pair, and no suggestion where none is.
            expect({ pair: [me.name, other.name], reasons: reasons ?? [] }).toEqual({ pair: [me.name, other.name], reasons: truth });
          }
        }
      }),
      { numRuns: 15, seed: 18, endOnFailure: true },
    );
    // Fifteen worlds of a few dozen requests each: minutes on a loaded machine, so more than the default minute.
  }, 300_000);
});
