import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '@cdp/platform';
import { AbilityService, assertCan } from './ability.service';
import { OPERATOR_ROUTE, POLICIES, PolicyRule, PUBLIC_ROUTE } from './decorators';
import type { Identity } from './identity';

/**
 * Enforces `@CheckPolicies()` after the auth guard has set the identity. The operator role may use only
 * `@OperatorOnly()` routes; those refuse every other role.
 */
@Injectable()
export class PoliciesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const identity = ctx.switchToHttp().getRequest<{ identity?: Identity }>().identity;
    if (!identity) return true; // unauthenticated routes are refused by the auth guard before this one
    const operatorRoute = this.reflector.getAllAndOverride<boolean>(OPERATOR_ROUTE, targets) ?? false;
    if (operatorRoute !== (identity.role === 'operator')) {
      throw new ForbiddenError(
        operatorRoute ? 'Only the platform operator may use /v1/operator routes.' : 'The operator role may use only /v1/operator routes.',
      );
    }
    const rules = this.reflector.getAllAndMerge<PolicyRule[]>(POLICIES, targets) ?? [];
    if (!rules.length) return true;
    const ability = await this.abilities.abilityFor(
      identity,
      rules.map((r) => r.subject),
    );
    for (const r of rules) assertCan(ability, r.action, r.subject);
    return true;
  }
}
