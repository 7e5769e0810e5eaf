import { sign, type SignOptions } from 'jsonwebtoken';

export interface MintOptions {
  app: string;
  role: string;
  sub?: string;
  email?: string;
  /** e.g. `1h`, `30d` (jsonwebtoken's format). */
  ttl?: string;
}

export function mintToken(secret: string, o: MintOptions): string {
  const claims: Record<string, string> = { app: o.app, role: o.role, sub: o.sub ?? `cli:${o.role}` };
  if (o.email) claims.email = o.email;
  return sign(claims, secret, { algorithm: 'HS256', expiresIn: (o.ttl ?? '1h') as SignOptions['expiresIn'] });
}
