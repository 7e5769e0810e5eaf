import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
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

  /** `false`: this API process only enqueues jobs and leaves them to the workers (needs REDIS_URL). */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? true : value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'JOBS_CONSUME must be true or false' })
  JOBS_CONSUME: boolean = true;

  @IsOptional()
  @trimmed()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}

export class ConfigError extends Error {}

const NAMES = Object.keys(new Env()).concat([
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'JWT_SECRET',
  'SUPPRESSION_SECRET',
  'PUBLIC_BASE_URL',
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
