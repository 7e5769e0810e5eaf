import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@cdp/platform';
import { Action, AppAbility, defineAbility, Subject } from './abilities';
import type { Identity } from './identity';
import { SettingsService } from './settings/settings.service';

const NEEDS_SETTINGS: ReadonlySet<Subject> = new Set<Subject>(['Import', 'Export']);

/**
 * Builds the CASL ability of an identity (reading the app's settings only when a rule depends on them). The
 * rules depend on nothing but the way in, the role and one setting, and an ability is never changed after it is
 * built, so each of those few combinations is built once per process and shared: building one took a tenth of
 * a cheap read's time in the service.
 */
@Injectable()
export class AbilityService {
  private readonly built = new Map<string, AppAbility>();

  constructor(private readonly settings: SettingsService) {}

  async abilityFor(identity: Identity, subjects: Subject[] = ['Import']): Promise<AppAbility> {
    const needs =
      identity.via === 'token' && identity.role !== 'admin' && identity.role !== 'operator' && subjects.some((s) => NEEDS_SETTINGS.has(s));
    const agentCanImportExport = needs ? (await this.settings.get(identity.appId)).agentCanImportExport : false;
    const key = `${identity.via}:${identity.role}:${agentCanImportExport}`;
    let ability = this.built.get(key);
    if (!ability) this.built.set(key, (ability = defineAbility(identity, { agentCanImportExport })));
    return ability;
  }

  /** Throws 403 `forbidden` with the reason (which setting or role would grant it) unless allowed. */
  async require(identity: Identity, action: Action, subject: Subject): Promise<void> {
    const ability = await this.abilityFor(identity, [subject]);
    assertCan(ability, action, subject);
  }
}

export function assertCan(ability: AppAbility, action: Action, subject: Subject): void {
  if (ability.can(action, subject)) return;
  // A matching `cannot` rule's reason (which role or setting grants it) becomes the problem's detail.
  const reason = ability.relevantRuleFor(action, subject)?.reason;
  throw new ForbiddenError(reason ?? `Your role may not ${action} ${subject}.`);
}
