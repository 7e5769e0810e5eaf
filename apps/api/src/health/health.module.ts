import { Controller, DynamicModule, Get, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorFunction,
  MikroOrmHealthIndicator,
  TerminusModule,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { Public } from '@cdp/access';

const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

@Injectable()
class RedisHealth implements OnModuleDestroy {
  private client?: Redis;
  constructor(
    @Inject(HEALTH_OPTIONS) private readonly opts: { redisUrl?: string },
    private readonly indicators: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return !!this.opts.redisUrl;
  }

  async check() {
    const indicator = this.indicators.check('redis');
    try {
      this.client ??= new Redis(this.opts.redisUrl!, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 2000,
      });
      if (this.client.status === 'wait') await this.client.connect();
      await this.client.ping();
      return indicator.up();
    } catch {
      return indicator.down({ message: 'Redis does not answer' });
    }
  }

  async onModuleDestroy() {
    this.client?.disconnect();
  }
}

@ApiTags('Health')
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly redis: RedisHealth,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness: the database, and Redis when configured' })
  check() {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 })];
    if (this.redis.configured) checks.push(() => this.redis.check());
    return this.health.check(checks);
  }
}

@Module({})
export class HealthModule {
  static register(opts: { redisUrl?: string }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_OPTIONS, useValue: opts }, RedisHealth],
    };
  }
}
