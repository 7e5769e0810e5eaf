import { Injectable } from '@nestjs/common';
import { Db, isUuid, sql, Sql, sqlArray, type SqlRunner, type Tx } from '@cdp/platform';

export interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string | null;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date | string;
  next_attempt_at: Date | string | null;
  finished_at: Date | string | null;
}

/** A delivery as the dispatcher sends it. */
export interface OutgoingDelivery {
  id: string;
  body: string;
  attempts: number;
  next_attempt_at: Date | string | null;
  /** Its next attempt is due (by the database's clock). */
  due: boolean;
}

/** The outcome of one attempt at a delivery, as the log keeps it. */
export interface AttemptRecord {
  deliveryId: string;
  status: 'pending' | 'succeeded' | 'failed';
  statusCode: number | null;
  error: string | null;
  /** When still pending: the wait before the next attempt. */
  retryInMs: number | null;
  /** A 410: the webhook is disabled, for this reason. */
  disable?: string;
}

/** A delivery to insert, in the order of its event. */
export interface NewDelivery {
  appId: string;
  id: string;
  webhookId: string;
  eventId: string | null;
  eventType: string;
  body: string;
  at: string;
}

const WEBHOOK_COLUMNS = Sql.raw('id, url, description, events, enabled, disabled_reason, created_at, updated_at');
const DELIVERY_COLUMNS = Sql.raw(
  'id, webhook_id, event_id, event_type, status, attempts, last_status_code, last_error, created_at, next_attempt_at, finished_at',
);

/** The only SQL over `webhooks` and `webhook_deliveries`; everything scoped by app, except the dispatcher's scan. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  async insert(
    appId: string,
    w: { id: string; url: string; description: string | null; events: string[]; secret: string; at: Date },
  ): Promise<WebhookRow> {
    return (await this.db.one<WebhookRow>(sql`
      insert into webhooks (app_id, id, url, description, events, enabled, secret, created_at, updated_at)
      values (${appId}, ${w.id}::uuid, ${w.url}, ${w.description}, ${sqlArray(w.events, 'text')}, true, ${w.secret}, ${w.at}, ${w.at})
      returning ${WEBHOOK_COLUMNS}`))!;
  }

  get(appId: string, id: string): Promise<WebhookRow | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return this.db.one<WebhookRow>(sql`select ${WEBHOOK_COLUMNS} from webhooks where app_id = ${appId} and id = ${id}::uuid`);
  }

  /** Oldest first: a short list an admin manages. */
  list(appId: string): Promise<WebhookRow[]> {
    return this.db.query<WebhookRow>(sql`select ${WEBHOOK_COLUMNS} from webhooks where app_id = ${appId} order by created_at, id`);
  }

  async count(appId: string): Promise<number> {
    return (await this.db.one<{ n: number }>(sql`select count(*)::int as n from webhooks where app_id = ${appId}`))?.n ?? 0;
  }

  update(
    appId: string,
    id: string,
    p: { url: string; description: string | null; events: string[]; enabled: boolean; disabledReason: string | null; at: Date },
  ): Promise<WebhookRow | undefined> {
    return this.db.one<WebhookRow>(sql`
      update webhooks set url = ${p.url}, description = ${p.description}, events = ${sqlArray(p.events, 'text')},
        enabled = ${p.enabled}, disabled_reason = ${p.disabledReason}, updated_at = ${p.at}
      where app_id = ${appId} and id = ${id}::uuid returning ${WEBHOOK_COLUMNS}`);
  }

  async setSecret(appId: string, id: string, secret: string, at: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (
      (await this.db.run(sql`update webhooks set secret = ${secret}, updated_at = ${at} where app_id = ${appId} and id = ${id}::uuid`)) > 0
    );
  }

  async delete(appId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.db.run(sql`delete from webhooks where app_id = ${appId} and id = ${id}::uuid`)) > 0;
  }

  /** The enabled webhooks of these apps, with what they subscribe to (the fan-out of one relay round). */
  subscribers(tx: Tx, appIds: readonly string[]): Promise<{ app_id: string; id: string; events: string[] }[]> {
    return tx.query(sql`
      select app_id, id, events from webhooks where app_id = any(${sqlArray(appIds, 'text')}) and enabled
      order by app_id, created_at, id`);
  }

  /** Inserts deliveries in the given order (their `seq` follows it); one per webhook and event whatever the replays. */
  async insertDeliveries(tx: SqlRunner, rows: readonly NewDelivery[]): Promise<number> {
    if (!rows.length) return 0;
    const json = rows.map((r, n) => ({ n, ...r }));
    return tx.run(sql`
      insert into webhook_deliveries (app_id, id, webhook_id, event_id, event_type, body, status, attempts, created_at, next_attempt_at)
      select x."appId", x.id, x."webhookId", x."eventId", x."eventType", x.body, 'pending', 0, x.at, x.at
      from jsonb_to_recordset(${JSON.stringify(json)}::jsonb)
        as x(n integer, "appId" text, id uuid, "webhookId" uuid, "eventId" uuid, "eventType" text, body text, at timestamptz(3))
      order by x.n
      on conflict (app_id, webhook_id, event_id) where event_id is not null do nothing`);
  }

  listDeliveries(
    appId: string,
    webhookId: string,
    opts: { status?: string; after?: { at: Date; id: string }; limit: number },
  ): Promise<DeliveryRow[]> {
    const status = opts.status ? sql` and status = ${opts.status}` : Sql.raw('');
    const after = opts.after ? sql` and (created_at, id) < (${opts.after.at}::timestamptz, ${opts.after.id}::uuid)` : Sql.raw('');
    return this.db.query<DeliveryRow>(sql`
      select ${DELIVERY_COLUMNS} from webhook_deliveries
      where app_id = ${appId} and webhook_id = ${webhookId}::uuid${status}${after}
      order by created_at desc, id desc limit ${opts.limit}`);
  }

  getDelivery(appId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return this.db.one<DeliveryRow>(sql`
      select ${DELIVERY_COLUMNS} from webhook_deliveries where app_id = ${appId} and webhook_id = ${webhookId}::uuid and id = ${id}::uuid`);
  }

  /** Back to the queue with fresh attempts, due now; it keeps its place (the order of its event). */
  redeliver(appId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.db.one<DeliveryRow>(sql`
      update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), finished_at = null
      where app_id = ${appId} and webhook_id = ${webhookId}::uuid and id = ${id}::uuid
      returning ${DELIVERY_COLUMNS}`);
  }

  // --- the dispatcher ---

  /**
   * Webhooks whose oldest pending delivery is due, enabled, not being sent by a worker, and not queued in the
   * last `holdMs`: each is marked queued (so other replicas' scans skip it) and returned, at most `limit`.
   * The scan goes over the webhooks that are free to take and reads one row per webhook, the head of its
   * queue, from the pending index: its cost follows the number of webhooks, not the deliveries waiting.
   */
  dueWebhooks(limit: number, holdMs: number): Promise<{ app_id: string; id: string }[]> {
    return this.db.query(sql`
      update webhooks w set queued_until = now() + make_interval(secs => ${holdMs / 1000}::double precision)
      from (
        select c.app_id, c.id from webhooks c
        cross join lateral (
          select d.next_attempt_at from webhook_deliveries d
          where d.app_id = c.app_id and d.webhook_id = c.id and d.status = 'pending'
          order by d.seq limit 1
        ) h
        where c.enabled and (c.lease_until is null or c.lease_until < now()) and (c.queued_until is null or c.queued_until < now())
          and h.next_attempt_at <= now()
        limit ${limit}
      ) due
      where w.app_id = due.app_id and w.id = due.id and w.enabled
        and (w.lease_until is null or w.lease_until < now()) and (w.queued_until is null or w.queued_until < now())
      returning w.app_id, w.id`);
  }

  /** A job could not be queued for it: the next scan may pick it again at once. */
  async unqueue(appId: string, id: string): Promise<void> {
    await this.db.run(sql`update webhooks set queued_until = null where app_id = ${appId} and id = ${id}::uuid`);
  }

  /** Forgets finished deliveries older than `olderThanMs` (a bounded number per call); answers how many. */
  purgeFinished(olderThanMs: number, limit: number): Promise<number> {
    return this.db.run(sql`
      delete from webhook_deliveries where (app_id, id) in (
        select app_id, id from webhook_deliveries
        where status <> 'pending' and finished_at < now() - make_interval(secs => ${olderThanMs / 1000}::double precision)
        limit ${limit})`);
  }

  /** Takes the webhook for one worker until `leaseMs` from now (or renews its own lease); answers its target. */
  claim(appId: string, id: string, token: string, leaseMs: number): Promise<{ url: string; secret: string } | undefined> {
    return this.db.one(sql`
      update webhooks set lease_until = now() + make_interval(secs => ${leaseMs / 1000}::double precision), lease_token = ${token}::uuid,
        queued_until = null
      where app_id = ${appId} and id = ${id}::uuid and enabled
        and (lease_until is null or lease_until < now() or lease_token = ${token}::uuid)
      returning url, secret`);
  }

  async release(appId: string, id: string, token: string): Promise<void> {
    await this.db.run(sql`
      update webhooks set lease_until = null, lease_token = null where app_id = ${appId} and id = ${id}::uuid and lease_token = ${token}::uuid`);
  }

  /** The oldest pending deliveries of a webhook, in order: nothing after the first goes out before it is settled. */
  heads(appId: string, webhookId: string, limit: number): Promise<OutgoingDelivery[]> {
    return this.db.query<OutgoingDelivery>(sql`
      select id, body, attempts, next_attempt_at, coalesce(next_attempt_at <= now(), true) as due from webhook_deliveries
      where app_id = ${appId} and webhook_id = ${webhookId}::uuid and status = 'pending'
      order by seq limit ${limit}`);
  }

  /**
   * The outcomes of a run of attempts, in one statement, and with them the sender's lease renewed: answers the
   * webhook's current target (a changed URL or a rotated secret applies from the next run), or nothing when
   * the lease is lost, the webhook disabled or deleted. A 410 disables the webhook (no target then).
   */
  async recordAttempts(
    appId: string,
    webhookId: string,
    lease: { token: string; ms: number },
    outcomes: readonly AttemptRecord[],
  ): Promise<{ url: string; secret: string } | undefined> {
    const rows = outcomes.map((o) => ({
      id: o.deliveryId,
      status: o.status,
      code: o.statusCode,
      error: o.error === null ? null : o.error.slice(0, 1000),
      retry: o.retryInMs === null ? null : o.retryInMs / 1000,
    }));
    const disable = outcomes.find((o) => o.disable)?.disable ?? null;
    return this.db
      .one<{ url: string; secret: string; enabled: boolean }>(
        sql`
      with attempt as (
        update webhook_deliveries d set attempts = d.attempts + 1, status = x.status, last_status_code = x.code, last_error = x.error,
          next_attempt_at = case when x.retry is null then null else now() + make_interval(secs => x.retry) end,
          finished_at = case when x.status = 'pending' then null else now() end
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as x(id uuid, status text, code integer, error text, retry double precision)
        where d.app_id = ${appId} and d.id = x.id and d.status = 'pending'
        returning 1
      )
      -- The attempts above are written whether or not this finds the webhook (PostgreSQL runs every data-modifying WITH).
      update webhooks set
        lease_until = now() + make_interval(secs => ${lease.ms / 1000}::double precision),
        enabled = enabled and ${disable === null}::boolean,
        disabled_reason = coalesce(${disable}, disabled_reason),
        updated_at = case when ${disable !== null}::boolean then now() else updated_at end
      where app_id = ${appId} and id = ${webhookId}::uuid and lease_token = ${lease.token}::uuid and enabled
      returning url, secret, enabled`,
      )
      .then((row) => (row?.enabled ? { url: row.url, secret: row.secret } : undefined));
  }
}
