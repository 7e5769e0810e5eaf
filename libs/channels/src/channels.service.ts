import { Injectable } from '@nestjs/common';
import { isUuid, newId, NotFoundError, ValidationFailedError, type FieldIssue } from '@cdp/platform';
import { ChannelRegistry } from './channel.registry';
import { ChannelUsageRegistry } from './channel-usage.registry';
import { ChannelInUseError, InvalidIdentifierError } from './channels.errors';
import { ChannelsRepository } from './channels.repository';
import {
  MAX_CHANNEL_NAME_LENGTH,
  toChannelTypeInfo,
  type ChannelInstance,
  type ChannelRecord,
  type ChannelTypeInfo,
} from './dto/channel.dto';
import type { ChannelAdapter, ChannelConfig, CustomerSource } from './plugin/channel-adapter';
import { checkIdentifierWith, type IdentifierCheck, type IdentifierCheckContext } from './plugin/identifier-check';

export interface CreateChannelInput {
  type: string;
  name: string;
  config?: unknown;
}

export interface UpdateChannelInput {
  name?: string;
  /** A JSON merge patch (RFC 7396) on the current config. */
  config?: Record<string, unknown>;
}

/** What identifier checks need of a channel: its type and its config. */
export type ChannelRef = Pick<ChannelInstance, 'type' | 'config'>;

/** Configs are small settings objects; a bigger one is a client bug, not a setting. */
const MAX_CONFIG_BYTES = 8192;

/**
 * Channel instances of an app, and the channel rules other libs apply through it: identifier checks
 * (guardrails + the type's adapter) and which customer sources a type allows. Nothing outside this lib
 * looks at a channel type string to decide anything.
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly repo: ChannelsRepository,
    private readonly registry: ChannelRegistry,
    private readonly usage: ChannelUsageRegistry,
  ) {}

  list(appId: string): Promise<ChannelRecord[]> {
    return this.repo.listByApp(appId);
  }

  /** The app's channel; another app's, or an id that is not a UUID, is not found. */
  async get(appId: string, id: string): Promise<ChannelRecord> {
    const channel = isUuid(id) ? await this.repo.findById(appId, id) : undefined;
    if (!channel) throw new NotFoundError('Channel');
    return channel;
  }

  /** The app's channels among `ids`; the others (foreign, unknown, not UUIDs) are simply absent. */
  findMany(appId: string, ids: string[]): Promise<ChannelRecord[]> {
    const unique = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    return this.repo.findByIds(appId, unique);
  }

  async create(appId: string, input: CreateChannelInput): Promise<ChannelRecord> {
    const adapter = this.registry.get(input.type);
    const name = checkName(input.name);
    const config = validConfig(adapter, input.config);
    const now = new Date();
    return this.repo.insert({ id: newId(), appId, type: adapter.type, name, config, createdAt: now, updatedAt: now });
  }

  /**
   * Renames and/or reconfigures. `config` is merged into the current one and the result validated whole.
   * Changing `identifierType` is refused while the channel has customers: their identifiers were read as
   * the old type, and would neither match nor be found under the new one.
   */
  async update(appId: string, id: string, input: UpdateChannelInput): Promise<ChannelRecord> {
    const current = await this.get(appId, id);
    if (input.name === undefined && input.config === undefined) return current;
    const adapter = this.registry.get(current.type);
    const name = input.name === undefined ? current.name : checkName(input.name);
    let config = current.config;
    if (input.config !== undefined) {
      config = validConfig(adapter, mergePatch(current.config, input.config));
      const before = adapter.validateConfig(current.config).config.identifierType;
      if (config.identifierType !== before && (await this.usage.inUse(appId, current.id)))
        throw new ChannelInUseError('The identifier type of a channel that has customers cannot change');
    }
    const updated = await this.repo.update(appId, current.id, { name, config, updatedAt: new Date() });
    if (!updated) throw new NotFoundError('Channel');
    return updated;
  }

  async remove(appId: string, id: string): Promise<void> {
    const current = await this.get(appId, id);
    if (await this.usage.inUse(appId, current.id)) throw new ChannelInUseError('A channel that has customers cannot be deleted');
    if (!(await this.repo.delete(appId, current.id))) throw new NotFoundError('Channel');
  }

  types(): ChannelTypeInfo[] {
    return this.registry.list().map(toChannelTypeInfo);
  }

  /** The canonical identifier, or `InvalidIdentifierError` (422 `invalid_identifier`) with the issues. */
  checkIdentifier(channel: ChannelRef, raw: unknown, ctx: IdentifierCheckContext = {}): { identifier: string } {
    const result = this.validateIdentifier(channel, raw, ctx);
    if (result.identifier === undefined) throw new InvalidIdentifierError(result.issues);
    return { identifier: result.identifier };
  }

  /** As `checkIdentifier`, without throwing: for per-row reports (import, event batches). */
  validateIdentifier(channel: ChannelRef, raw: unknown, ctx: IdentifierCheckContext = {}): IdentifierCheck {
    const adapter = this.registry.get(channel.type);
    // Defaults filled on read too, so a setting an adapter added after the channel was saved applies.
    const { config } = adapter.validateConfig(channel.config);
    return checkIdentifierWith(adapter, raw, config, ctx);
  }

  /** The customer sources the type allows, as its adapter declares them (FEATURES.md CH4). */
  allowedSources(type: string): readonly CustomerSource[] {
    return this.registry.get(type).sources;
  }

  sourceAllowed(type: string, source: string): boolean {
    return (this.allowedSources(type) as readonly string[]).includes(source);
  }
}

function checkName(raw: string): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name || name.length > MAX_CHANNEL_NAME_LENGTH)
    throw new ValidationFailedError('The channel is not valid', [
      { field: 'name', code: 'isLength', message: `name must be 1 to ${MAX_CHANNEL_NAME_LENGTH} characters` },
    ]);
  return name;
}

function validConfig(adapter: ChannelAdapter, raw: unknown): ChannelConfig {
  const { config, issues } = adapter.validateConfig(raw);
  const all: FieldIssue[] = [...issues];
  if (!all.length && JSON.stringify(config).length > MAX_CONFIG_BYTES)
    all.push({ field: 'config', code: 'too_large', message: `config must be at most ${MAX_CONFIG_BYTES} bytes of JSON` });
  if (all.length) throw new ValidationFailedError('The channel config is not valid', all);
  return config;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396: `null` removes a key (so the adapter's default applies), objects merge, anything else replaces. */
export function mergePatch(target: ChannelConfig, patch: Record<string, unknown>): ChannelConfig {
  const out: ChannelConfig = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = isPlainObject(value) && isPlainObject(out[key]) ? mergePatch(out[key] as ChannelConfig, value) : value;
    // Defined, not assigned: a `__proto__` key stays an ordinary (and, to the adapter, unknown) key.
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
