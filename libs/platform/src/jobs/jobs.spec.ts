import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { backoffDelay } from './job-executor';
import { JobHandler } from './job-handler.decorator';
import { JobHandlerRegistry } from './job-handler.registry';
import type { JobHandlerContract } from './jobs.types';
import { redisOptionsFromUrl } from './redis-url';

@Injectable()
@JobHandler('customers.import')
class ImportA implements JobHandlerContract {
  async run(): Promise<void> {}
}

@Injectable()
@JobHandler('customers.import')
class ImportB implements JobHandlerContract {
  async run(): Promise<void> {}
}

@Injectable()
@JobHandler('customers.export')
class Export implements JobHandlerContract {
  async run(): Promise<void> {}
}

@Injectable()
@JobHandler('bad:name')
class BadName implements JobHandlerContract {
  async run(): Promise<void> {}
}

async function registryWith(...handlers: Array<new () => JobHandlerContract>) {
  const ref = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobHandlerRegistry, ...handlers] }).compile();
  return ref;
}

describe('job handler registry', () => {
  it('finds every @JobHandler provider by queue name', async () => {
    const ref = await registryWith(ImportA, Export);
    await ref.init();
    const registry = ref.get(JobHandlerRegistry);
    expect(registry.queues().sort()).toEqual(['customers.export', 'customers.import']);
    expect(registry.get('customers.import')).toBeInstanceOf(ImportA);
    expect(registry.get('nope')).toBeUndefined();
    await ref.close();
  });

  it('refuses to start with two handlers for one queue, naming both', async () => {
    const ref = await registryWith(ImportA, ImportB);
    await expect(ref.init()).rejects.toThrow('Duplicate job handler for queue "customers.import": ImportA and ImportB');
  });

  it('refuses a queue name BullMQ cannot use', async () => {
    const ref = await registryWith(BadName);
    await expect(ref.init()).rejects.toThrow(/queue "bad:name" must match/);
  });
});

describe('backoff', () => {
  it('doubles from the base after each failed attempt, as BullMQ exponential backoff does', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 500))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(3, 0)).toBe(0);
  });
});

describe('redis URL', () => {
  it('reads host, port, credentials, database and TLS', () => {
    expect(redisOptionsFromUrl('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(redisOptionsFromUrl('redis://localhost')).toEqual({ host: 'localhost', port: 6379 });
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache.example.com:6380/2')).toEqual({
      host: 'cache.example.com',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: { servername: 'cache.example.com' },
    });
    expect(redisOptionsFromUrl('redis://:secret@[::1]:7000')).toEqual({ host: '::1', port: 7000, password: 'secret' });
  });

  it('refuses a database that is not a number', () => {
    expect(() => redisOptionsFromUrl('redis://localhost/cache')).toThrow(/number/);
  });
});
