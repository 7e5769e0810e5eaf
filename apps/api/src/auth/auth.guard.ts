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

/**
 * Authenticates every route not marked `@Public()`: a bearer JWT (HS256) with `app`, `role` and `exp`, or on
 * `@AllowApiKey()` routes an `X-Api-Key`. Anything else is 401 `unauthorized`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_KEY) private readonly key: KeyObject,
    @Optional() @Inject(API_KEY_VERIFIER) private readonly apiKeys?: ApiKeyVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; identity?: Identity }>();

    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' && this.reflector.getAllAndOverride<boolean>(API_KEY_ROUTE, targets)) {
      const found = this.apiKeys && apiKey.length <= 200 ? await this.apiKeys.verify(apiKey) : undefined;
      if (!found) throw new UnauthorizedError('The API key is not valid or has been revoked');
      req.identity = { appId: found.appId, userId: `api-key:${found.keyId}`, role: 'admin', via: 'api_key' };
      return true;
    }

    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new UnauthorizedError();
    let claims: Claims;
    try {
      claims = verify(m[1], this.key, { algorithms: ['HS256'] }) as Claims;
    } catch {
      throw new UnauthorizedError('The bearer token is invalid or expired');
    }
    // API.md: `exp` is required. jsonwebtoken checks it only when present; a token without it would never expire.
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
      throw new UnauthorizedError('The bearer token must carry an expiry (exp)');
    if (typeof claims.app !== 'string' || !APP_ID_PATTERN.test(claims.app) || !isRole(claims.role)) {
      throw new UnauthorizedError('The bearer token must carry an app and a role');
    }
    req.identity = {
      appId: claims.app,
      userId: typeof claims.sub === 'string' && claims.sub ? claims.sub.slice(0, 200) : 'unknown',
      role: claims.role,
      email: typeof claims.email === 'string' ? claims.email.slice(0, 320) : undefined,
      via: 'token',
    };
    return true;
  }
}
