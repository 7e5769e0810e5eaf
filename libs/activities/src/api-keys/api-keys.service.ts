import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditService, type ApiKeyVerifier, type Identity } from '@cdp/access';
import { ChannelsService } from '@cdp/channels';
import { Db, isUuid, newId, NotFoundError, ValidationFailedError } from '@cdp/platform';
import { ApiKeysRepository } from './api-keys.repository';
import { toApiKey, type ApiKeyDto, type CreatedApiKeyDto } from './api-key.dto';

const KEY_PREFIX = 'cdp_';
const SHOWN_PREFIX_LENGTH = 12;
const USE_RECORD_INTERVAL_MS = 60_000;

/**
 * Per-app API keys for event ingestion. A key is `cdp_` + 32 random bytes (base64url), shown once and stored
 * only as its SHA-256: with 256 bits of entropy no dictionary or brute force applies, so a slow password
 * hash (bcrypt, scrypt) would only add latency to every request. Lookup is by the hash; revocation takes
 * effect on the next request (nothing is cached).
 */
@Injectable()
export class ApiKeysService implements ApiKeyVerifier {
  constructor(
    private readonly db: Db,
    private readonly repo: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly channels: ChannelsService,
  ) {}

  /** `channelId` (optional) binds the key to one of the app's channels, as Segment-compatible ingestion needs. */
  async create(identity: Identity, name: string, channelId?: string | null): Promise<CreatedApiKeyDto> {
    const channel = channelId ? channelId.toLowerCase() : null;
    if (channel && !(await this.channels.findMany(identity.appId, [channel])).length)
      throw new ValidationFailedError('The API key is not valid', [
        { field: 'channelId', code: 'unknown_channel', message: "channelId must be one of the app's channels" },
      ]);
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const row = await this.db.transaction(async (tx) => {
      const r = await this.repo.insert(tx, {
        id: newId(),
        appId: identity.appId,
        name: name.trim(),
        keyHash: hashKey(key),
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        channelId: channel,
        createdAt: new Date(),
      });
      await this.audit.record(tx, identity, {
        action: 'api_key.created',
        subject: `api_key:${r.id}`,
        details: { name: r.name, prefix: r.prefix, channelId: r.channel_id },
      });
      return r;
    });
    return { id: row.id, name: row.name, key, channelId: row.channel_id };
  }

  async list(appId: string): Promise<ApiKeyDto[]> {
    return (await this.repo.listActive(appId)).map(toApiKey);
  }

  async revoke(identity: Identity, id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError('API key');
    await this.db.transaction(async (tx) => {
      const r = await this.repo.revoke(tx, identity.appId, id);
      if (!r) throw new NotFoundError('API key');
      await this.audit.record(tx, identity, {
        action: 'api_key.revoked',
        subject: `api_key:${r.id}`,
        details: { name: r.name, prefix: r.prefix },
      });
    });
  }

  /** The auth guard's `ApiKeyVerifier`: the app and key id of a valid, unrevoked key. */
  async verify(rawKey: string): Promise<{ appId: string; keyId: string } | undefined> {
    const found = await this.resolve(rawKey);
    return found && { appId: found.appId, keyId: found.keyId };
  }

  /** As `verify`, with the channel the key is bound to (Segment-compatible ingestion). */
  async resolve(rawKey: string): Promise<{ appId: string; keyId: string; channelId: string | null } | undefined> {
    if (!rawKey.startsWith(KEY_PREFIX) || rawKey.length > 200) return undefined;
    const row = await this.repo.findActiveByHash(hashKey(rawKey));
    if (!row) return undefined;
    const last = row.last_used_at === null ? 0 : new Date(row.last_used_at).getTime();
    if (Date.now() - last >= USE_RECORD_INTERVAL_MS) await this.repo.markUsed(row.id);
    return { appId: row.app_id, keyId: row.id, channelId: row.channel_id };
  }
}

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
