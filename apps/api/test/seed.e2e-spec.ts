import { seedDemoData } from '../src/cli/seed-data';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

// `npm run seed -- --app <app> --customers N` (README "Quick start").
describe('The demo seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('adds exactly N new customers each run (channels and property definitions once), every one through the API rules', async () => {
    const appId = newAppId();
    const first = await seedDemoData(t.app, appId, 120);
    expect(first).toMatchObject({ channelsAdded: 9, propertiesAdded: 6, customersAdded: 120 });
    const again = await seedDemoData(t.app, appId, 75);
    expect(again).toMatchObject({ channelsAdded: 0, propertiesAdded: 0, customersAdded: 75 });
    const count = await t.http().post('/v1/customers/count').set(t.auth(appId)).send({});
    expect(count.body).toEqual({ count: 195, capped: false });
    // Identifiers are unique per channel by construction; every customer has its customer.created activity.
    const customers: { id: string; identifier: string; channel: { id: string } }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: typeof customers; nextCursor: string | null } } = await t
        .http()
        .get(`/v1/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .set(t.auth(appId));
      customers.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(customers.map((c) => `${c.channel.id}/${c.identifier}`)).size).toBe(195);
    const timeline = await t.http().get(`/v1/customers/${customers[0].id}/activities`).set(t.auth(appId));
    expect(timeline.body.data.map((a: { type: string }) => a.type)).toEqual(['customer.created']);
  });

  it('a customer added by hand with an identifier the next run would use does not make that run add fewer', async () => {
    const appId = newAppId();
    await seedDemoData(t.app, appId, 10);
    // The next run numbers on from 11 (10 seeded + this one); its person 17 is on the CRM channel as crm-000017.
    const crm = (await t.http().get('/v1/channels').set(t.auth(appId))).body.find((c: { type: string }) => c.type === 'custom');
    const byHand = await t
      .http()
      .post('/v1/customers')
      .set(t.auth(appId))
      .send({ channelId: crm.id, identifier: 'crm-000017', name: 'By hand' });
    expect(byHand.status).toBe(201);
    expect((await seedDemoData(t.app, appId, 10)).customersAdded).toBe(10);
    expect((await t.http().post('/v1/customers/count').set(t.auth(appId)).send({})).body.count).toBe(21);
  });
});
