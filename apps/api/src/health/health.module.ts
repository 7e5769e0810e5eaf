import { Controller, DynamicModule, Get, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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
import { ApiProblems, Db, sql } from '@cdp/platform';

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

/** Events pending in the outbox counted up to this many (a count over a long backlog would cost the check itself). */
const OUTBOX_COUNT_LIMIT = 100_000;

/**
 * The outbox's backlog: events committed and not yet handed on (retries included, those set aside for good not),
 * and how long the oldest has waited. Always `up`: a backlog is lag, not an outage, and the relay catches up
 * after a burst; a monitor alerts on `oldestPendingSeconds`.
 */
@Injectable()
class OutboxHealth {
  constructor(
    private readonly db: Db,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check() {
    const indicator = this.indicators.check('outbox');
    let row: { pending: number; oldest: number | string | null } | undefined;
    try {
      row = await this.db.one<{ pending: number; oldest: number | string | null }>(sql`
        select (select count(*)::int from (select 1 from outbox where handled_at is null and failed_at is null limit ${OUTBOX_COUNT_LIMIT}) x) as pending,
               (select extract(epoch from now() - recorded_at) from outbox where handled_at is null and failed_at is null order by seq limit 1) as oldest`);
    } catch {
      return indicator.down({ message: 'The outbox cannot be read' });
    }
    return indicator.up({
      pending: Number(row?.pending ?? 0),
      oldestPendingSeconds: row?.oldest == null ? 0 : Math.max(0, Math.round(Number(row.oldest))),
    });
  }
}

class HealthIndicatorDto {
  @ApiProperty({ example: 'up', enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ example: 'Redis does not answer' }) message?: string;
  @ApiPropertyOptional({
    example: 0,
    description: `outbox only: events committed and not yet handed on to their handlers, counted up to ${OUTBOX_COUNT_LIMIT.toLocaleString('en')}`,
  })
  pending?: number;
  @ApiPropertyOptional({ example: 0, description: 'outbox only: how long the oldest of them has waited (0 when none)' })
  oldestPendingSeconds?: number;
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/HealthIndicatorDto' },
  example: { database: { status: 'up' } },
} as const;

/** Terminus's answer when every check is up (when one is down the answer is a 503 problem). */
class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ ...INDICATORS, description: 'The checks that are up' }) info!: Record<string, HealthIndicatorDto>;
  @ApiProperty({ ...INDICATORS, example: {}, description: 'The checks that are down (empty here)' }) error!: Record<
    string,
    HealthIndicatorDto
  >;
  @ApiProperty({ ...INDICATORS, description: 'Every check' }) details!: Record<string, HealthIndicatorDto>;
}

@ApiTags('System')
@ApiExtraModels(HealthIndicatorDto)
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly redis: RedisHealth,
    private readonly outbox: OutboxHealth,
  ) {}

  @Get()
  @Public()
  // Terminus's own OpenAPI answer for 503 is its JSON report; ours is a problem (the filter maps it).
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Liveness and readiness: the database, and Redis when configured; the outbox backlog',
  })
  @ApiOkResponse({ type: HealthDto, description: 'Every check is up' })
  @ApiProblems(503)
  check() {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 })];
    if (this.redis.configured) checks.push(() => this.redis.check());
    checks.push(() => this.outbox.check());
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
      providers: [{ provide: HEALTH_OPTIONS, useValue: opts }, RedisHealth, OutboxHealth],
    };
  }
}
