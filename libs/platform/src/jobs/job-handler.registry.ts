import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { JobHandler } from './job-handler.decorator';
import type { JobHandlerContract } from './jobs.types';

export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A handler that cannot be registered: start-up stops with this message. */
export class JobHandlerError extends Error {}

/** Every `@JobHandler` provider of the application, by queue name; found once, at module init. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private handlers?: Map<string, JobHandlerContract>;

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.load();
  }

  get(queue: string): JobHandlerContract | undefined {
    return this.load().get(queue);
  }

  queues(): string[] {
    return [...this.load().keys()];
  }

  // Lazy as well: another module's onModuleInit may enqueue before ours has run.
  private load(): Map<string, JobHandlerContract> {
    if (this.handlers) return this.handlers;
    const found = new Map<string, { name: string; handler: JobHandlerContract }>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: JobHandler.KEY })) {
      const queue = this.discovery.getMetadataByDecorator(JobHandler, wrapper);
      const name = String(wrapper.name);
      if (typeof queue !== 'string' || !QUEUE_NAME_PATTERN.test(queue))
        throw new JobHandlerError(`Job handler ${name}: queue "${String(queue)}" must match ${QUEUE_NAME_PATTERN}`);
      if (!isSingleton(wrapper)) throw new JobHandlerError(`Job handler ${name} ("${queue}") must be a singleton (default scope)`);
      const handler = wrapper.instance as JobHandlerContract;
      if (typeof handler.run !== 'function') throw new JobHandlerError(`Job handler ${name} ("${queue}") has no run() method`);
      const existing = found.get(queue);
      if (existing) throw new JobHandlerError(`Duplicate job handler for queue "${queue}": ${existing.name} and ${name}`);
      found.set(queue, { name, handler });
    }
    this.handlers = new Map([...found].map(([queue, { handler }]) => [queue, handler]));
    return this.handlers;
  }
}

function isSingleton(wrapper: InstanceWrapper): boolean {
  return !wrapper.isTransient && wrapper.isDependencyTreeStatic() && !!wrapper.instance;
}
