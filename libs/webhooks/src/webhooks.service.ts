import { Inject, Injectable } from '@nestjs/common';
import { CURSOR_CODEC, CursorCodec, DEFAULT_PAGE_SIZE, Db, newId, ValidationFailedError, type Page } from '@cdp/platform';
import {
  toDeliveryResponse,
  toWebhookResponse,
  type CreatedWebhookDto,
  type CreateWebhookDto,
  type ListDeliveriesQueryDto,
  type UpdateWebhookDto,
  type WebhookDeliveryDto,
  type WebhookDto,
} from './dto/webhook.dto';
import { TEST_EVENT_TYPE } from './event-types';
import { newSecret } from './signing';
import { UrlGuard, UrlNotAllowed } from './url-guard';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookDeliveryNotFoundError, WebhookNotFoundError, WebhookUrlNotAllowedError } from './webhooks.errors';
import { WebhooksRepository, type WebhookRow } from './webhooks.repository';

/** Webhooks one app may have. */
export const MAX_WEBHOOKS_PER_APP = 50;

/** Endpoints (API.md "Webhooks"): CRUD, the secret shown once and rotatable, a test delivery, the delivery log and redelivery. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly guard: UrlGuard,
    private readonly dispatcher: WebhookDispatcher,
    private readonly db: Db,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  async create(appId: string, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.checkUrl(dto.url);
    if ((await this.repo.count(appId)) >= MAX_WEBHOOKS_PER_APP)
      throw new ValidationFailedError(`An app has at most ${MAX_WEBHOOKS_PER_APP} webhooks`, [
        { field: 'url', code: 'too_many_webhooks', message: `at most ${MAX_WEBHOOKS_PER_APP} webhooks per app` },
      ]);
    const secret = newSecret();
    const row = await this.repo.insert(appId, {
      id: newId(),
      url: dto.url,
      description: dto.description ?? null,
      events: normaliseEvents(dto.events),
      secret,
      at: new Date(),
    });
    return { ...toWebhookResponse(row), secret };
  }

  async list(appId: string): Promise<WebhookDto[]> {
    return (await this.repo.list(appId)).map(toWebhookResponse);
  }

  async get(appId: string, id: string): Promise<WebhookDto> {
    return toWebhookResponse(await this.row(appId, id));
  }

  async update(appId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    const current = await this.row(appId, id);
    if (dto.url !== undefined && dto.url !== current.url) await this.checkUrl(dto.url);
    const enabled = dto.enabled ?? current.enabled;
    const updated = await this.repo.update(appId, id, {
      url: dto.url ?? current.url,
      description: dto.description === undefined ? current.description : dto.description,
      events: dto.events ? normaliseEvents(dto.events) : current.events,
      enabled,
      disabledReason: enabled ? null : dto.enabled === false ? null : current.disabled_reason,
      at: new Date(),
    });
    if (!updated) throw new WebhookNotFoundError();
    // Re-enabled: what waited goes out now.
    if (enabled && !current.enabled) this.dispatcher.wakeSoon();
    return toWebhookResponse(updated);
  }

  async delete(appId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(appId, id))) throw new WebhookNotFoundError();
  }

  /** A new secret at once: attempts from now on are signed with it (the old one stops verifying). */
  async rotateSecret(appId: string, id: string): Promise<{ secret: string }> {
    const secret = newSecret();
    if (!(await this.repo.setSecret(appId, id, secret, new Date()))) throw new WebhookNotFoundError();
    return { secret };
  }

  /** A `webhook.test` delivery, queued behind the webhook's pending ones like any other. */
  async test(appId: string, id: string): Promise<WebhookDeliveryDto> {
    const hook = await this.row(appId, id);
    const deliveryId = newId();
    const at = new Date().toISOString();
    const body = JSON.stringify({ type: TEST_EVENT_TYPE, timestamp: at, data: { webhookId: hook.id } });
    await this.db.transaction((tx) =>
      this.repo.insertDeliveries(tx, [{ appId, id: deliveryId, webhookId: hook.id, eventId: null, eventType: TEST_EVENT_TYPE, body, at }]),
    );
    this.dispatcher.wakeSoon();
    return toDeliveryResponse((await this.repo.getDelivery(appId, hook.id, deliveryId))!);
  }

  /** Newest first, optionally of one status. */
  async deliveries(appId: string, id: string, q: ListDeliveriesQueryDto): Promise<Page<WebhookDeliveryDto>> {
    const hook = await this.row(appId, id);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: `webhook-deliveries:${hook.id}:${q.status ?? 'all'}` };
    const after = q.cursor === undefined ? undefined : this.cursors.decodeTimeId(scope, q.cursor);
    const rows = await this.repo.listDeliveries(appId, hook.id, { status: q.status, after, limit: limit + 1 });
    return this.cursors.timeIdPage(scope, rows, limit, (r) => [r.created_at, r.id], toDeliveryResponse);
  }

  /** Sends a delivery again (any status), same body and `webhook-id`, with fresh attempts. */
  async redeliver(appId: string, id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const hook = await this.row(appId, id);
    const row = await this.repo.redeliver(appId, hook.id, deliveryId);
    if (!row) throw new WebhookDeliveryNotFoundError();
    this.dispatcher.wakeSoon();
    return toDeliveryResponse(row);
  }

  private async row(appId: string, id: string): Promise<WebhookRow> {
    const row = await this.repo.get(appId, id);
    if (!row) throw new WebhookNotFoundError();
    return row;
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.guard.resolve(url);
    } catch (err) {
      if (err instanceof UrlNotAllowed) throw new WebhookUrlNotAllowedError(err.message);
      throw err;
    }
  }
}

/** `["*"]` stands alone: with it, the other types add nothing. */
function normaliseEvents(events: string[]): string[] {
  return events.includes('*') ? ['*'] : events;
}
