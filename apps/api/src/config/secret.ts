import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env';

/**
 * The JWT secret: `JWT_SECRET`, or (embedded mode only) one generated into `DATA_DIR/jwt-secret` on the first
 * start and reused after. `generated` tells the caller to print a ready admin token.
 */
export function resolveJwtSecret(env: Env): { secret: string; generated: boolean } {
  return resolveSecret(env.JWT_SECRET, env.DATA_DIR, 'jwt-secret');
}

/**
 * The key of the suppression hashes (X10): `SUPPRESSION_SECRET`, or (embedded mode only) one generated into
 * `DATA_DIR/suppression-secret` on the first start and reused after. Losing it lets erased people back in.
 */
export function resolveSuppressionSecret(env: Env): string {
  return resolveSecret(env.SUPPRESSION_SECRET, env.DATA_DIR, 'suppression-secret').secret;
}

function resolveSecret(given: string | undefined, dataDir: string, name: string): { secret: string; generated: boolean } {
  if (given) return { secret: given, generated: false };
  const file = join(dataDir, name);
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return { secret, generated: true };
}
