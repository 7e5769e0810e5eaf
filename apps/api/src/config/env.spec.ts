import { ConfigError, loadEnv } from './env';

describe('configuration (validated at start)', () => {
  it('defaults: port 3000, ./data, info logs, public base URL from the port', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', LOG_LEVEL: 'info', PUBLIC_BASE_URL: 'http://localhost:3000' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('embedded database snapshots: every 15 minutes, 3 kept, by default; minutes may be fractional', () => {
    expect(loadEnv({})).toMatchObject({ SNAPSHOT_INTERVAL: 15, SNAPSHOT_KEEP: 3 });
    expect(loadEnv({ SNAPSHOT_INTERVAL: '0.5', SNAPSHOT_KEEP: '5' })).toMatchObject({ SNAPSHOT_INTERVAL: 0.5, SNAPSHOT_KEEP: 5 });
    expect(loadEnv({ SNAPSHOT_INTERVAL: '0' }).SNAPSHOT_INTERVAL).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ SMTP_URL: 'nope' }, 'SMTP_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, 'PUBLIC_BASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ JOBS_CONSUME: 'maybe' }, 'JOBS_CONSUME'],
    [{ SNAPSHOT_INTERVAL: 'hourly' }, 'SNAPSHOT_INTERVAL'],
    [{ SNAPSHOT_INTERVAL: '-1' }, 'SNAPSHOT_INTERVAL'],
    [{ SNAPSHOT_KEEP: '0' }, 'SNAPSHOT_KEEP'],
    [{ SNAPSHOT_KEEP: '2.5' }, 'SNAPSHOT_KEEP'],
    [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_URLS'],
    [{ WEBHOOK_RETRY_SCHEDULE: '5s,soon' }, 'WEBHOOK_RETRY_SCHEDULE'],
    [{ WEBHOOK_TIMEOUT_MS: '10' }, 'WEBHOOK_TIMEOUT_MS'],
  ])('a bad value stops start-up with one line naming the variable: %j', (raw, name) => {
    let err: unknown;
    try {
      loadEnv(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain(name);
    expect(msg.split('\n')).toHaveLength(1);
  });

  it('X12 webhook settings: private URLs refused by default, the retry schedule read in ms, s, m and h, a 10 s timeout', () => {
    expect(loadEnv({})).toMatchObject({ WEBHOOK_ALLOW_PRIVATE_URLS: false, WEBHOOK_TIMEOUT_MS: 10_000 });
    expect(loadEnv({}).WEBHOOK_RETRY_SCHEDULE).toBeUndefined();
    const env = loadEnv({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '5s, 30s,2m,10m,1h,250ms,40',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    expect(env).toMatchObject({ WEBHOOK_ALLOW_PRIVATE_URLS: true, WEBHOOK_TIMEOUT_MS: 2000 });
    expect(env.WEBHOOK_RETRY_SCHEDULE).toEqual([5000, 30_000, 120_000, 600_000, 3_600_000, 250, 40]);
  });

  it('REDIS_URL without DATABASE_URL is refused (BullMQ needs a shared database)', () => {
    expect(() => loadEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL.*DATABASE_URL/);
  });

  it('DATABASE_URL without JWT_SECRET is refused; with both it loads', () => {
    expect(() => loadEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })).toThrow(/JWT_SECRET/);
    const env = loadEnv({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      JWT_SECRET: 'x'.repeat(32),
      SUPPRESSION_SECRET: 'y'.repeat(32),
      MAIL_FROM: 'CDP <a@b.co>',
    });
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('X10: DATABASE_URL without SUPPRESSION_SECRET is refused (replicas must share the key of the suppression hashes)', () => {
    expect(() => loadEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /SUPPRESSION_SECRET/,
    );
    expect(() => loadEnv({ SUPPRESSION_SECRET: 'short-secret' })).toThrow(/SUPPRESSION_SECRET.*32/);
    expect(() => loadEnv({ SUPPRESSION_SECRET: 'short-secret' })).toThrow(/^((?!short-secret).)*$/);
    expect(loadEnv({}).SUPPRESSION_SECRET).toBeUndefined();
  });

  it('JOBS_CONSUME=false needs REDIS_URL; API-only replicas leave jobs to the workers', () => {
    expect(() => loadEnv({ JOBS_CONSUME: 'false' })).toThrow(/JOBS_CONSUME.*REDIS_URL/);
    const env = loadEnv({
      JOBS_CONSUME: 'false',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://postgres@127.0.0.1/x',
      JWT_SECRET: 'x'.repeat(32),
      SUPPRESSION_SECRET: 'y'.repeat(32),
    });
    expect(env.JOBS_CONSUME).toBe(false);
    expect(loadEnv({}).JOBS_CONSUME).toBe(true);
  });

  it('a secret is never echoed in the error', () => {
    expect(() => loadEnv({ JWT_SECRET: 'hunter2' })).toThrow(/^((?!hunter2).)*$/);
  });
});
