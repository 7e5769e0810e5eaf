import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Identity } from './identity';
import type { Action, Subject } from './abilities';

export const PUBLIC_ROUTE = 'cdp:public';
export const API_KEY_ROUTE = 'cdp:api-key';
export const POLICIES = 'cdp:policies';
export const OPERATOR_ROUTE = 'cdp:operator';

/** No credential needed (health, docs, a download whose token is its credential). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** `X-Api-Key` is accepted here as well as a bearer token (event ingestion). */
export const AllowApiKey = () => SetMetadata(API_KEY_ROUTE, true);

/** Platform staff only (`operator` role); every other route refuses the operator. */
export const OperatorOnly = () => SetMetadata(OPERATOR_ROUTE, true);

export interface PolicyRule {
  action: Action;
  subject: Subject;
}

/** The CASL rules a route needs; the policies guard refuses with 403 `forbidden` and the reason. */
export const CheckPolicies = (...rules: PolicyRule[]) => SetMetadata(POLICIES, rules);

/** Shorthand for one rule. */
export const Can = (action: Action, subject: Subject) => CheckPolicies({ action, subject });

export const CurrentIdentity = createParamDecorator((_: unknown, ctx: ExecutionContext): Identity => {
  const req = ctx.switchToHttp().getRequest<{ identity?: Identity }>();
  if (!req.identity) throw new Error('No identity on the request: the auth guard did not run');
  return req.identity;
});
