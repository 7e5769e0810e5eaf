/** The connection fields BullMQ passes on to ioredis. */
export type RedisConnection = {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: { servername: string };
};

/** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS) as ioredis connection options. */
export function redisOptionsFromUrl(url: string): RedisConnection {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`Not a Redis URL: ${u.protocol}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const db = u.pathname.replace(/^\/+/, '');
  const opts: RedisConnection = { host, port: u.port ? Number(u.port) : 6379 };
  if (u.username) opts.username = decodeURIComponent(u.username);
  if (u.password) opts.password = decodeURIComponent(u.password);
  if (db) {
    if (!/^\d+$/.test(db)) throw new Error(`Redis database must be a number (got "${db}")`);
    opts.db = Number(db);
  }
  if (u.protocol === 'rediss:') opts.tls = { servername: host };
  return opts;
}
