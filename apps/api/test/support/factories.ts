import { randomBytes, randomInt } from 'node:crypto';
import type { Role, TestApp } from './test-app';

/** A random LINE user id (`U` + 32 hex), the default identifier of factory customers. */
export const lineId = (): string => `U${randomBytes(16).toString('hex')}`;

/** A short random suffix for names that must not collide within one app. */
export const suffix = (): string => randomBytes(3).toString('hex');

/**
 * A random identifier that the channel type accepts (an Indonesian mobile number for WhatsApp and Qiscus
 * phone channels, a numeric id for Telegram, an address for Qiscus e-mail channels, a LINE id otherwise). Specs that search
 * by substring give their own identifiers, since random digits may contain the term.
 */
export function randomIdentifier(type: string, config: Record<string, unknown> = {}): string {
  const mobile = () => `62812${String(randomInt(1e7)).padStart(7, '0')}`;
  switch (type) {
    case 'wa':
      return mobile();
    case 'telegram':
      return String(1e9 + randomInt(1e9));
    case 'qiscus':
      return config.identifierType === 'email' ? `u${randomBytes(4).toString('hex')}@example.org` : `+${mobile()}`;
    default:
      return lineId();
  }
}

export interface CreatedCustomer {
  id: string;
  name: string;
  identifier: string;
  email: string | null;
  phoneNumber: string | null;
  profileId: string | null;
  createdAt: string;
  updatedAt: string;
  channel: { id: string; type: string; name: string };
  properties: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CreatedGroup {
  id: string;
  name: string;
  memberCount: number;
  notFound: string[];
  [key: string]: unknown;
}

export interface EventsResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; code: string; message: string }[];
}

/**
 * Persistence factories for end-to-end specs: they create what a test needs through the public API (the
 * same door a user takes), assert that it worked (a failed creation throws with the response), and answer
 * what the API answered. One set per app id; `role` is who creates channels, customers, groups and merges.
 */
export function factories(t: TestApp, appId: string, role: Role = 'admin') {
  const auth = () => t.auth(appId, role);
  // The type of each channel made here, so that a customer on it gets a valid identifier by default.
  const channels = new Map<string, { type: string; config?: Record<string, unknown> }>();
  const f = {
    /** A channel instance of `type` (default `line`) named `name` (a random one by default); answers its id. */
    async channel(type = 'line', config?: Record<string, unknown>, name?: string): Promise<string> {
      const r = await t
        .http()
        .post('/v1/channels')
        .set(auth())
        .send({ type, name: name ?? `${type} ${suffix()}`, ...(config ? { config } : {}) });
      if (r.status !== 201) throw new Error(`channel: ${r.status} ${JSON.stringify(r.body)}`);
      channels.set(r.body.id, { type, config });
      return r.body.id as string;
    },

    /**
     * A customer on `channelId`: an identifier valid for the channel's type (when the channel was made by
     * these factories; a LINE id otherwise) and a random name, unless `body` says otherwise.
     */
    async customer(channelId: string, body: Record<string, unknown> = {}): Promise<CreatedCustomer> {
      const ch = channels.get(channelId);
      const r = await t
        .http()
        .post('/v1/customers')
        .set(auth())
        .send({ channelId, identifier: randomIdentifier(ch?.type ?? 'line', ch?.config), name: `Customer ${suffix()}`, ...body });
      if (r.status !== 201) throw new Error(`customer: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as CreatedCustomer;
    },

    /** `n` customers on one channel, created one after another (creation order is list order). */
    async customers(
      channelId: string,
      n: number,
      body: Record<string, unknown> | ((i: number) => Record<string, unknown>) = {},
    ): Promise<CreatedCustomer[]> {
      const out: CreatedCustomer[] = [];
      for (let i = 0; i < n; i++) out.push(await f.customer(channelId, typeof body === 'function' ? body(i) : body));
      return out;
    },

    /** A customer property definition (labelled with its key unless `extra` gives a label). */
    async property(key: string, type: string, extra: Record<string, unknown> = {}): Promise<void> {
      const r = await t
        .http()
        .post('/v1/customer-properties')
        .set(t.auth(appId))
        .send({ key, label: key, type, ...extra });
      if (r.status !== 201) throw new Error(`property: ${r.status} ${JSON.stringify(r.body)}`);
    },

    /** A group (a random name unless `body` gives one; `customerIds`, `filter`, `description` as the API takes them). */
    async group(body: Record<string, unknown> = {}): Promise<CreatedGroup> {
      const r = await t
        .http()
        .post('/v1/groups')
        .set(auth())
        .send({ name: `Group ${suffix()}`, ...body });
      if (r.status !== 201) throw new Error(`group: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as CreatedGroup;
    },

    /** Links `others` into `id`'s set; answers the linked set. */
    async merge(id: string, others: string[]): Promise<{ profileId: string; customers: CreatedCustomer[] }> {
      const r = await t.http().post(`/v1/customers/${id}/merge`).set(auth()).send({ customerIds: others });
      if (r.status !== 200) throw new Error(`merge: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },

    /** Posts a batch of events with an admin token; answers the ingestion result (rejections included). */
    async events(events: unknown[]): Promise<EventsResult> {
      const r = await t.http().post('/v1/events').set(t.auth(appId)).send({ events });
      if (r.status !== 200) throw new Error(`events: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as EventsResult;
    },
  };
  return f;
}

export type Factories = ReturnType<typeof factories>;
