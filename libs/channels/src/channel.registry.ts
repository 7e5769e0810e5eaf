import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { ChannelPluginError, UnknownChannelTypeError } from './channels.errors';
import {
  CHANNEL_TYPE_PATTERN,
  CUSTOMER_SOURCES,
  ChannelPlugin,
  REQUIRED_SOURCES,
  type ChannelAdapter,
  type CustomerSource,
} from './plugin/channel-adapter';

/**
 * Every channel adapter of the running application, found through Nest's DiscoveryService in whatever
 * module provides it (built-in ones in ChannelsModule, plugins in their own modules). Start-up fails on a
 * plugin that breaks the contract: a duplicate type, a request- or transient-scoped provider, a type that
 * differs from its decorator, or sources without `admin` and `organic`.
 */
@Injectable()
export class ChannelRegistry implements OnModuleInit {
  private adapters?: Map<string, ChannelAdapter>;

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.load();
  }

  /** The adapter of `type`; an unknown type is a 422 on the field `type`. */
  get(type: string): ChannelAdapter {
    const adapter = this.load().get(type);
    if (!adapter) throw new UnknownChannelTypeError(type);
    return adapter;
  }

  has(type: string): boolean {
    return this.load().has(type);
  }

  /** In discovery order: the built-in types first, as ChannelsModule lists them. */
  list(): ChannelAdapter[] {
    return [...this.load().values()];
  }

  // Lazy as well as eager: another module's onModuleInit may ask before ours has run.
  private load(): Map<string, ChannelAdapter> {
    if (this.adapters) return this.adapters;
    const found = new Map<string, ChannelAdapter>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: ChannelPlugin.KEY })) {
      const meta = this.discovery.getMetadataByDecorator(ChannelPlugin, wrapper);
      const type = meta?.type;
      const name = String(wrapper.name);
      if (typeof type !== 'string' || !CHANNEL_TYPE_PATTERN.test(type))
        throw new ChannelPluginError(`Channel plugin ${name}: type "${String(type)}" must match ${CHANNEL_TYPE_PATTERN}`);
      if (!isSingleton(wrapper)) throw new ChannelPluginError(`Channel plugin ${name} ("${type}") must be a singleton (default scope)`);
      const existing = found.get(type);
      if (existing) throw new ChannelPluginError(`Duplicate channel type "${type}": ${existing.constructor.name} and ${name}`);
      found.set(type, checkContract(type, name, wrapper.instance as ChannelAdapter));
    }
    this.adapters = found;
    return found;
  }
}

function isSingleton(wrapper: InstanceWrapper): boolean {
  return !wrapper.isTransient && wrapper.isDependencyTreeStatic() && !!wrapper.instance;
}

function checkContract(type: string, name: string, adapter: ChannelAdapter): ChannelAdapter {
  const fail = (why: string) => new ChannelPluginError(`Channel plugin ${name} ("${type}"): ${why}`);
  if (adapter.type !== type) throw fail(`its type property is "${adapter.type}", not the decorator's "${type}"`);
  if (typeof adapter.name !== 'string' || !adapter.name.trim()) throw fail('name must be a non-empty string');
  for (const m of ['validateConfig', 'normalizeIdentifier', 'validateIdentifier'] as const)
    if (typeof adapter[m] !== 'function') throw fail(`${m}() is missing`);
  const sources: readonly unknown[] = Array.isArray(adapter.sources) ? adapter.sources : [];
  const unknown = sources.filter((s) => !(CUSTOMER_SOURCES as readonly unknown[]).includes(s));
  if (unknown.length) throw fail(`unknown sources ${unknown.join(', ')} (allowed: ${CUSTOMER_SOURCES.join(', ')})`);
  const missing = REQUIRED_SOURCES.filter((s: CustomerSource) => !sources.includes(s));
  if (missing.length) throw fail(`sources must include ${missing.join(', ')}`);
  if (!adapter.identifier?.description || !adapter.identifier?.example)
    throw fail('identifier.description and identifier.example are required');
  return adapter;
}
