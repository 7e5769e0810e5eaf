import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateIf,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const trimmed = () => Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined));

/** Every environment variable the service reads (README "Configuration"); validated once at start. */
export class Env {
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @trimmed()
  @IsString()
  DATA_DIR: string = './data';

  @IsOptional()
  @trimmed()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  @IsOptional()
  @trimmed()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL?: string;

  @IsOptional()
  @trimmed()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL?: string;

  @IsOptional()
  @trimmed()
  @IsString()
  @ValidateIf((o: Env) => !!o.MAIL_FROM && !o.MAIL_FROM.includes('<'))
  @IsEmail()
  MAIL_FROM: string = 'CDP <no-reply@cdp.localhost>';

  @IsOptional()
  @trimmed()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Key of the suppression hashes of erased people (X10); generated into DATA_DIR in embedded mode. */
  @IsOptional()
  @trimmed()
  @IsString()
  @MinLength(32, { message: 'SUPPRESSION_SECRET must be at least 32 characters' })
  SUPPRESSION_SECRET?: string;

  @IsOptional()
  @trimmed()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @trimmed()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  INBOX_BASE_URL: string = 'http://localhost:8080/inbox';

  /** Minutes between snapshots of the embedded database while it changes (0: only at start-up and shutdown). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 15 : Number(value)))
  @IsNumber({}, { message: 'SNAPSHOT_INTERVAL must be a number of minutes' })
  @Min(0)
  @Max(10080)
  SNAPSHOT_INTERVAL: number = 15;

  /** Snapshots of the embedded database kept in DATA_DIR/snapshots (the newest ones). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 3 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(100)
  SNAPSHOT_KEEP: number = 3;

  /** `false`: this API process only enqueues jobs and leaves them to the workers (needs REDIS_URL). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? true : value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'JOBS_CONSUME must be true or false' })
  JOBS_CONSUME: boolean = true;

  /** Requests per second per write key on the Segment-compatible paths; above it, 429 with Retry-After. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt({ message: 'SEGMENT_RATE_PER_SECOND must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  SEGMENT_RATE_PER_SECOND: number = 1000;
  /** API.md "Webhooks": deliver to private, loopback and link-local addresses (development and tests only). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? false : value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE_URLS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_URLS: boolean = false;

  /** The waits after failed webhook attempts, e.g. `5s,30s,2m,10m,1h` (the default); the delivery fails after one more attempt than waits. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : parseDurations(String(value))))
  @IsInt({ each: true, message: 'WEBHOOK_RETRY_SCHEDULE must list durations such as 5s,30s,2m,10m,1h' })
  @Min(0, { each: true })
  WEBHOOK_RETRY_SCHEDULE?: number[];

  /** How long a webhook receiver has to answer, in milliseconds (default 10000). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  @IsOptional()
  @trimmed()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}

/** `5s,30s,2m,10m,1h` or plain milliseconds `50,100`: milliseconds each; anything else is NaN (refused by the check). */
function parseDurations(text: string): number[] {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(ms|s|m|h)?\s*$/.exec(part);
    return m ? Number(m[1]) * unit[m[2] ?? 'ms'] : NaN;
  });
}

export class ConfigError extends Error {}

const NAMES = Object.keys(new Env()).concat([
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'JWT_SECRET',
  'PUBLIC_BASE_URL',
  'WEBHOOK_RETRY_SCHEDULE',
  'SUPPRESSION_SECRET',
]);

/**
 * Reads and checks the environment. A bad value throws a ConfigError whose message is one line naming the
 * variable; `main.ts` prints it and exits.
 */
export function loadEnv(raw: Record<string, string | undefined>): Env {
  const picked: Record<string, string | undefined> = {};
  for (const k of new Set(NAMES)) if (raw[k] !== undefined) picked[k] = raw[k];
  const env = plainToInstance(Env, picked);
  const errors = validateSync(env, { forbidUnknownValues: false });
  if (errors.length) {
    const e = errors[0];
    const why = Object.values(e.constraints ?? {})[0] ?? 'is not valid';
    const shown = e.property === 'JWT_SECRET' || e.property === 'SUPPRESSION_SECRET' ? '' : ` (got "${String(raw[e.property])}")`;
    throw new ConfigError(`Invalid configuration: ${e.property}: ${why}${shown}`);
  }
  if (env.REDIS_URL && !env.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: REDIS_URL is set but DATABASE_URL is not: BullMQ workers need a shared PostgreSQL (the embedded database lives inside one process)',
    );
  }
  if (!env.JOBS_CONSUME && !env.REDIS_URL) {
    throw new ConfigError('Invalid configuration: JOBS_CONSUME=false needs REDIS_URL (without it jobs run in this process)');
  }
  if (env.DATABASE_URL && !env.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when DATABASE_URL is set (every replica must share it)');
  }
  if (env.DATABASE_URL && !env.SUPPRESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration: SUPPRESSION_SECRET is required when DATABASE_URL is set (every replica must hash suppressions with the same key)',
    );
  }
  env.PUBLIC_BASE_URL = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  env.INBOX_BASE_URL = env.INBOX_BASE_URL.replace(/\/+$/, '');
  return env;
}
