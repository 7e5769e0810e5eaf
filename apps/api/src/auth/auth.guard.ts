import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { verify } from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { API_KEY_ROUTE, API_KEY_VERIFIER, isRole, PUBLIC_ROUTE, type ApiKeyVerifier, type Identity } from '@cdp/access';
import { UnauthorizedError } from '@cdp/platform';

/**
 * The HS256 key as a KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it
 * as a public key on every verification, which was a third of the CPU of a simple list request.
 */
export const JWT_KEY = Symbol('JWT_KEY');

/** App ids are opaque strings of the platform; this bounds what a token may claim. */
export const APP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

interface Claims {
  sub?: unknown;
  app?: unknown;
  role?: unknown;
  email?: unknown;
  exp?: unknown;
}

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  identity?: Identity;
  raw?: { identity?: Identity };
}

/** The identity for the handlers (on Fastify's request) and for the request's log line (on Node's, which the logger sees). */
function identify(req: AuthRequest, identity: Identity): void {
  req.identity = identity;
  if (req.raw) req.raw.identity = identity;
}

/** How many verified tokens the guard remembers (a client sends the same token with each of its requests). */
export const VERIFIED_TOKENS = 1000;

interface Verified {
  identity: Readonly<Identity>;
  /** `exp` and `nbf` in seconds since the epoch, checked again on each use. */
  exp: number;
  nbf?: number;
}

/**
 * Authenticates every route not marked `@Public()`: a bearer JWT (HS256) with `app`, `role` and `exp`, or on
 * `@AllowApiKey()` routes an `X-Api-Key`. Anything else is 401 `unauthorized`.
 *
 * A token that passed is remembered (the last VERIFIED_TOKENS, by its exact text) with the identity it gave,
 * so the same client's next request skips the signature check, which was a sixth of a cheap read's CPU. The
 * signature of a given text under the process's one key cannot change; its times can, so `exp` (and `nbf`)
 * are judged again at each use, and a token past its expiry goes through the full check (and fails there).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_KEY) private readonly key: KeyObject,
    @Optional() @Inject(API_KEY_VERIFIER) private readonly apiKeys?: ApiKeyVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthRequest>();

    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' && this.reflector.getAllAndOverride<boolean>(API_KEY_ROUTE, targets)) {
      const found = this.apiKeys && apiKey.length <= 200 ? await this.apiKeys.verify(apiKey) : undefined;
      if (!found) throw new UnauthorizedError('The API key is not valid or has been revoked');
      identify(req, { appId: found.appId, userId: `api-key:${found.keyId}`, role: 'admin', via: 'api_key' });
      return true;
    }

    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new UnauthorizedError();
    const token = m[1];
    const known = this.verified.get(token);
    const now = Math.floor(Date.now() / 1000);
    if (known && now < known.exp && (known.nbf === undefined || now >= known.nbf)) {
      identify(req, known.identity);
      return true;
    }
    identify(req, this.verify(token));
    return true;
  }

  /** The full check of a bearer token; remembers it when it passes. */
  private verify(token: string): Identity {
    let claims: Claims & { nbf?: unknown };
    try {
      claims = verify(token, this.key, { algorithms: ['HS256'] }) as Claims & { nbf?: unknown };
    } catch {
      throw new UnauthorizedError('The bearer token is invalid or expired');
    }
    // API.md: `exp` is required. jsonwebtoken checks it only when present; a token without it would never expire.
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
      throw new UnauthorizedError('The bearer token must carry an expiry (exp)');
    if (typeof claims.app !== 'string' || !APP_ID_PATTERN.test(claims.app) || !isRole(claims.role)) {
      throw new UnauthorizedError('The bearer token must carry an app and a role');
    }
    const identity: Identity = Object.freeze({
      appId: claims.app,
      userId: typeof claims.sub === 'string' && claims.sub ? claims.sub.slice(0, 200) : 'unknown',
      role: claims.role,
      email: typeof claims.email === 'string' ? claims.email.slice(0, 320) : undefined,
      via: 'token' as const,
    });
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { identity, exp: claims.exp, nbf: typeof claims.nbf === 'number' ? claims.nbf : undefined });
    return identity;
  }
}
