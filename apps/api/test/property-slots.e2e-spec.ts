import fc from 'fast-check';
import { factories, type Factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

/**
 * Property slots (libs/customers README "Property slots"): equality on the first four select/boolean properties of
 * an app is answered from typed columns a trigger keeps in step with `properties`. The user sees only the filter's
 * answers, so these tests compare them with a model of the customers' values after every kind of write.
 */
describe('Property slots: equality filters on promoted properties answer as on the others (C6, C11)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const ids = async (appId: string, filter: unknown): Promise<string[]> => {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await t
        .http()
        .post('/v1/customers/search')
        .set(t.auth(appId))
        .send({ filter, limit: 100, ...(cursor ? { cursor } : {}) });
      expect(r.status).toBe(200);
      out.push(...r.body.data.map((c: { id: string }) => c.id));
      cursor = r.body.nextCursor ?? undefined;
    } while (cursor);
    return out.sort();
  };
  const count = async (appId: string, filter: unknown): Promise<number> => {
    const r = await t.http().post('/v1/customers/count').set(t.auth(appId)).send({ filter });
    expect(r.status).toBe(200);
    return r.body.count;
  };
  const eq = (key: string, value: unknown) => ({ key, operator: 'eq', value });

  // Six select properties and a boolean: more than the four slots, so some equalities use the containment path.
  const KEYS = ['s1', 's2', 's3', 's4', 's5', 's6'] as const;
  const OPTIONS = ['red', 'green', 'blue'];

  async function defineAll(f: Factories): Promise<void> {
    await f.property('s1', 'select', { options: OPTIONS });
    await f.property('flag', 'boolean');
    for (const k of KEYS.slice(1)) await f.property(k, 'select', { options: OPTIONS });
  }

  type Values = Partial<Record<(typeof KEYS)[number] | 'flag', string | boolean>>;
  const valuesArb: fc.Arbitrary<Values> = fc.record(
    {
      s1: fc.constantFrom(...OPTIONS),
      s2: fc.constantFrom(...OPTIONS),
      s3: fc.constantFrom(...OPTIONS),
      s4: fc.constantFrom(...OPTIONS),
      s5: fc.constantFrom(...OPTIONS),
      s6: fc.constantFrom(...OPTIONS),
      flag: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  it('C6: every equality, alone and combined with match all / any, matches the model after creates and property updates', async () => {
    const sharedApp = newAppId();
    const shared = factories(t, sharedApp);
    await defineAll(shared);
    await fc.assert(
      fc.asyncProperty(
        fc.array(valuesArb, { minLength: 3, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), valuesArb), { maxLength: 4 }),
        fc.array(fc.tuple(fc.constantFrom(...KEYS, 'flag' as const), fc.constantFrom<string | boolean>(...OPTIONS, true, false)), {
          minLength: 1,
          maxLength: 3,
        }),
        async (initial, updates, conditions) => {
          // One app for every run (its definitions made once); each run's customers on a channel of their own.
          const wa = await shared.channel('wa');
          const appId = sharedApp;
          const scope = { channelIds: [wa] };
          const model = new Map<string, Values>();
          for (const v of initial) model.set((await shared.customer(wa, { properties: v })).id, { ...v });
          const list = [...model.keys()];
          for (const [i, patch] of updates) {
            const id = list[i % list.length];
            const r = await t.http().put(`/v1/customers/${id}/properties`).set(t.auth(appId)).send(patch);
            expect(r.status).toBe(200);
            model.set(id, { ...model.get(id), ...patch });
          }
          // Only conditions whose value fits the property's type (select: an option; boolean: true/false).
          const valid = conditions.filter(([k, v]) => (k === 'flag' ? typeof v === 'boolean' : typeof v === 'string'));
          if (!valid.length) return;
          const all = [...model].filter(([, v]) => valid.every(([k, x]) => v[k] === x)).map(([id]) => id);
          const any = [...model].filter(([, v]) => valid.some(([k, x]) => v[k] === x)).map(([id]) => id);
          const conds = valid.map(([k, v]) => eq(k, v));
          expect(await ids(appId, { ...scope, properties: { match: 'all', conditions: conds } })).toEqual(all.sort());
          expect(await ids(appId, { ...scope, properties: { match: 'any', conditions: conds } })).toEqual(any.sort());
          expect(await count(appId, { ...scope, properties: { match: 'all', conditions: conds } })).toBe(all.length);
        },
      ),
      { seed: 20261208, numRuns: 12, endOnFailure: true },
    );
  }, 300_000);

  it('C11: removing an option or a definition clears what the filter finds; a new definition reuses the freed slot with no stale values', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    await defineAll(f);
    const wa = await f.channel('wa');
    const a = await f.customer(wa, { properties: { s1: 'red', s2: 'blue', flag: true } });
    const b = await f.customer(wa, { properties: { s1: 'green', s2: 'blue', flag: false } });
    expect(await ids(appId, { properties: { conditions: [eq('s1', 'red')] } })).toEqual([a.id]);
    expect(await ids(appId, { properties: { conditions: [eq('flag', false)] } })).toEqual([b.id]);

    // Cutting the option "red" removes that value from customers (C11): the filter no longer finds a.
    const cut = await t
      .http()
      .patch('/v1/customer-properties/s1')
      .set(t.auth(appId))
      .send({ options: ['green', 'blue'] });
    expect(cut.status).toBe(200);
    expect(await ids(appId, { properties: { conditions: [eq('s1', 'green')] } })).toEqual([b.id]);
    expect(await ids(appId, { properties: { conditions: [{ key: 's1', operator: 'is_not_set' }] } })).toEqual([a.id]);

    // Deleting `flag` frees its slot; a new boolean takes it and starts with no customer holding a value.
    expect((await t.http().delete('/v1/customer-properties/flag').set(t.auth(appId))).status).toBe(204);
    await f.property('fresh', 'boolean');
    expect(await ids(appId, { properties: { conditions: [eq('fresh', true)] } })).toEqual([]);
    expect(await ids(appId, { properties: { conditions: [eq('fresh', false)] } })).toEqual([]);
    const set = await t.http().put(`/v1/customers/${b.id}/properties`).set(t.auth(appId)).send({ fresh: false });
    expect(set.status).toBe(200);
    expect(await ids(appId, { properties: { conditions: [eq('fresh', false)] } })).toEqual([b.id]);
    expect(await ids(appId, { properties: { match: 'all', conditions: [eq('fresh', false), eq('s2', 'blue')] } })).toEqual([b.id]);
  });

  it('tenancy: the same keys in another app are other slots; one app never finds the other app’s customers', async () => {
    const [one, two] = [newAppId(), newAppId()];
    const f1 = factories(t, one);
    const f2 = factories(t, two);
    // Defined in a different order, so the same key sits in a different slot in each app.
    await f1.property('s1', 'select', { options: OPTIONS });
    await f1.property('s2', 'select', { options: OPTIONS });
    await f2.property('s2', 'select', { options: OPTIONS });
    await f2.property('s1', 'select', { options: OPTIONS });
    const c1 = await f1.customer(await f1.channel('wa'), { properties: { s1: 'red', s2: 'green' } });
    const c2 = await f2.customer(await f2.channel('wa'), { properties: { s1: 'red', s2: 'green' } });
    const filter = { properties: { conditions: [eq('s1', 'red'), eq('s2', 'green')] } };
    expect(await ids(one, filter)).toEqual([c1.id]);
    expect(await ids(two, filter)).toEqual([c2.id]);
  });
});
