import { randomBytes } from 'node:crypto';
import type { Role, TestApp } from './test-app';

/** A random LINE user id (`U` + 32 hex), the default identifier of factory customers. */
export const lineId = (): string => `U${randomBytes(16).toString('hex')}`;

/** A short random suffix for names that must not collide within one app. */
export const suffix = (): string => randomBytes(3).toString('hex');

export interface CreatedCustomer {
  id: string;
  name: string;
  identifier: string;
  email: string | null;
  phoneNumber: string | null;
  profileId: string | null;
  updatedAt: string;
  channel: { id: string; type: string; name: string };
  [key: string]: unknown;
}

/**
 * Persistence factories for end-to-end specs: they create what a test needs through the public API (the
 * same door a user takes), assert that it worked, and answer what the API answered. One set per app id.
 */
export function factories(t: TestApp, appId: string, role: Role = 'admin') {
  const auth = () => t.auth(appId, role);
  return {
    /** A channel instance of `type` (default `line`) with a random name; answers its id. */
    async channel(type = 'line', config?: Record<string, unknown>, name?: string): Promise<string> {
      const r = await t
        .http()
        .post('/v1/channels')
        .set(auth())
        .send({ type, name: name ?? `${type} ${suffix()}`, ...(config ? { config } : {}) });
      if (r.status !== 201) throw new Error(`channel: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    },

    /** A customer on `channelId` (a LINE id and a random name unless `body` says otherwise). */
    async customer(channelId: string, body: Record<string, unknown> = {}): Promise<CreatedCustomer> {
      const r = await t
        .http()
        .post('/v1/customers')
        .set(auth())
        .send({ channelId, identifier: lineId(), name: `Customer ${suffix()}`, ...body });
      if (r.status !== 201) throw new Error(`customer: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as CreatedCustomer;
    },

    /** `n` customers on one channel, created one after another (creation order is list order). */
    async customers(channelId: string, n: number, body: (i: number) => Record<string, unknown> = () => ({})): Promise<CreatedCustomer[]> {
      const out: CreatedCustomer[] = [];
      for (let i = 0; i < n; i++) out.push(await this.customer(channelId, body(i)));
      return out;
    },

    /** A customer property definition. */
    async property(key: string, type: string, extra: Record<string, unknown> = {}): Promise<void> {
      const r = await t
        .http()
        .post('/v1/customer-properties')
        .set(t.auth(appId))
        .send({ key, label: key, type, ...extra });
      if (r.status !== 201) throw new Error(`property: ${r.status} ${JSON.stringify(r.body)}`);
    },

    /** A group of the given customers; answers its id. */
    async group(customerIds: string[] = [], name = `Group ${suffix()}`): Promise<string> {
      const r = await t
        .http()
        .post('/v1/groups')
        .set(auth())
        .send({ name, ...(customerIds.length ? { customerIds } : {}) });
      if (r.status !== 201) throw new Error(`group: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    },

    /** Links `others` into `id`'s set; answers the linked set. */
    async merge(id: string, others: string[]): Promise<{ profileId: string; customers: CreatedCustomer[] }> {
      const r = await t.http().post(`/v1/customers/${id}/merge`).set(auth()).send({ customerIds: others });
      if (r.status !== 200) throw new Error(`merge: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },

    /** Posts a batch of events with an admin token; answers the ingestion result. */
    async events(events: Record<string, unknown>[]): Promise<{ accepted: number; duplicates: number; rejected: unknown[] }> {
      const r = await t.http().post('/v1/events').set(t.auth(appId)).send({ events });
      if (r.status !== 200) throw new Error(`events: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

export type Factories = ReturnType<typeof factories>;
