import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationFailedError } from '@cdp/platform';
import { ChannelInUseError, ChannelsService, ChannelUsageRegistry, InvalidIdentifierError } from '@cdp/channels';
import { createTestApp, type TestApp } from './support/test-app';

describe("ChannelsService on the run's database", () => {
  let t: TestApp;
  let channels: ChannelsService;
  let customersOf: Map<string, boolean>;
  const appId = () => `app-${randomUUID()}`;

  beforeAll(async () => {
    t = await createTestApp();
    channels = t.app.get(ChannelsService);
    // An extra probe beside the customers lib's: a channel is also in use when this map says so.
    customersOf = new Map();
    t.app.get(ChannelUsageRegistry).register(async (_app, channelId) => customersOf.get(channelId) ?? false);
  });

  afterAll(() => t.close());

  it('CH2: creates a channel with its config defaults, and reads it back', async () => {
    const app = appId();
    const c = await channels.create(app, { type: 'qiscus', name: '  Web widget ' });
    expect(c).toMatchObject({ appId: app, type: 'qiscus', name: 'Web widget', config: { identifierType: 'phone' } });
    expect(c.createdAt).toBeInstanceOf(Date);
    expect(await channels.get(app, c.id)).toEqual(c);
  });

  it('CH2: lists an app its own channels, oldest first (two WhatsApp numbers included)', async () => {
    const app = appId();
    const a = await channels.create(app, { type: 'wa', name: 'Sales' });
    const b = await channels.create(app, { type: 'wa', name: 'Support' });
    await channels.create(appId(), { type: 'wa', name: 'Someone else' });
    expect((await channels.list(app)).map((c) => c.id)).toEqual([a.id, b.id]);
  });

  it("answers another app's channel, an unknown id and a non-UUID with not_found", async () => {
    const app = appId();
    const c = await channels.create(app, { type: 'line', name: 'LINE' });
    const other = appId();
    await expect(channels.get(other, c.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(channels.get(app, randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(channels.get(app, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
    await expect(channels.update(other, c.id, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(channels.remove(other, c.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await channels.get(app, c.id)).toMatchObject({ name: 'LINE' });
  });

  it('findMany returns only the app’s channels among the ids', async () => {
    const app = appId();
    const a = await channels.create(app, { type: 'fb', name: 'Page' });
    const b = await channels.create(app, { type: 'ig', name: 'Shop' });
    const foreign = await channels.create(appId(), { type: 'fb', name: 'Other' });
    const found = await channels.findMany(app, [b.id, foreign.id, 'junk', a.id.toUpperCase(), randomUUID(), b.id]);
    expect(found.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(await channels.findMany(app, [])).toEqual([]);
  });

  it('refuses an unknown type on the field type', async () => {
    await expect(channels.create(appId(), { type: 'myspace', name: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'type' })],
    });
  });

  it("validates the config with the type's adapter", async () => {
    const app = appId();
    const unsafe = { identifierType: 'text', pattern: '(a+)+' };
    await expect(channels.create(app, { type: 'custom', name: 'x', config: unsafe })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'config.pattern', code: 'invalid_pattern' })],
    });
    await expect(channels.create(app, { type: 'wa', name: 'x', config: { token: 'abc' } })).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'config.token', code: 'unknown_field' })],
    });
    expect(await channels.list(app)).toEqual([]);
  });

  it('PATCH merges the config: other settings are kept, null goes back to the default', async () => {
    const app = appId();
    const c = await channels.create(app, { type: 'custom', name: 'CRM', config: { identifierType: 'text' } });
    const withPattern = await channels.update(app, c.id, { config: { pattern: 'CUST-\\d{4}' } });
    expect(withPattern.config).toEqual({ identifierType: 'text', pattern: 'CUST-\\d{4}' });
    expect(withPattern.updatedAt.getTime()).toBeGreaterThanOrEqual(c.updatedAt.getTime());
    const renamed = await channels.update(app, c.id, { name: 'CRM 2' });
    expect(renamed).toMatchObject({ name: 'CRM 2', config: { identifierType: 'text', pattern: 'CUST-\\d{4}' } });
    const cleared = await channels.update(app, c.id, { config: { pattern: null } });
    expect(cleared.config).toEqual({ identifierType: 'text' });
    await expect(channels.update(app, c.id, { config: { pattern: '[' } })).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(channels.update(app, c.id, { name: '   ' })).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'name' })],
    });
  });

  it('PATCH of identifierType: allowed while unused, 409 channel_in_use once the channel has customers', async () => {
    const app = appId();
    const c = await channels.create(app, { type: 'qiscus', name: 'Widget' });
    expect((await channels.update(app, c.id, { config: { identifierType: 'email' } })).config).toEqual({ identifierType: 'email' });
    customersOf.set(c.id, true);
    await expect(channels.update(app, c.id, { config: { identifierType: 'phone' } })).rejects.toBeInstanceOf(ChannelInUseError);
    // The same value again, or a rename, is not a change of identifier type.
    expect((await channels.update(app, c.id, { name: 'Widget 2', config: { identifierType: 'email' } })).name).toBe('Widget 2');
    expect((await channels.get(app, c.id)).config).toEqual({ identifierType: 'email' });
  });

  it('a default-filled identifierType counts as the one in use', async () => {
    const app = appId();
    const c = await channels.create(app, { type: 'qiscus', name: 'Widget' });
    customersOf.set(c.id, true);
    // `{identifierType: null}` resets to the default, which is what the channel already has.
    expect((await channels.update(app, c.id, { config: { identifierType: null } })).config).toEqual({ identifierType: 'phone' });
  });

  it('DELETE: 409 channel_in_use while it has customers, removed otherwise', async () => {
    const app = appId();
    const c = await channels.create(app, { type: 'telegram', name: 'Bot' });
    customersOf.set(c.id, true);
    await expect(channels.remove(app, c.id)).rejects.toMatchObject({ code: 'channel_in_use', kind: 'conflict' });
    customersOf.set(c.id, false);
    await channels.remove(app, c.id);
    await expect(channels.get(app, c.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(channels.remove(app, c.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('CH3: checks identifiers against the stored channel and its config', async () => {
    const app = appId();
    const wa = await channels.create(app, { type: 'wa', name: 'WA' });
    expect(channels.checkIdentifier(wa, '+62 812-3456-7890')).toEqual({ identifier: '6281234567890' });
    expect(channels.checkIdentifier(wa, '07911 123456', { defaultCountry: 'GB' })).toEqual({ identifier: '447911123456' });
    const widget = await channels.create(app, { type: 'qiscus', name: 'Widget', config: { identifierType: 'email' } });
    expect(channels.checkIdentifier(widget, 'Budi@Example.com')).toEqual({ identifier: 'budi@example.com' });
    let thrown: unknown;
    try {
      channels.checkIdentifier(widget, '+6281234567890');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidIdentifierError);
    expect(thrown).toMatchObject({
      code: 'invalid_identifier',
      kind: 'invalid',
      errors: [expect.objectContaining({ field: 'identifier' })],
    });
    expect(channels.validateIdentifier(wa, 'null', { field: 'rows[4].identifier' })).toEqual({
      issues: [expect.objectContaining({ field: 'rows[4].identifier', code: 'invalid_identifier' })],
    });
  });

  it('CH4: the sources of each type come from its adapter', () => {
    expect(channels.allowedSources('wa')).toEqual(['admin', 'ads', 'organic', 'broadcast']);
    expect(channels.sourceAllowed('wa', 'ads')).toBe(true);
    for (const t of channels.types().filter((x) => x.type !== 'wa')) {
      expect(t.sources).toEqual(['admin', 'organic']);
      expect(channels.sourceAllowed(t.type, 'broadcast')).toBe(false);
    }
  });
});
