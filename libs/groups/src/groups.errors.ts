import { DomainError, ForbiddenError, NotFoundError } from '@cdp/platform';

/** No group with this id in the app (another app's group is not found either). */
export class GroupNotFoundError extends NotFoundError {
  constructor() {
    super('Group');
  }
}

/** G2: the change would take the group past the app's member limit; nothing was added. */
export class GroupMemberLimitExceededError extends DomainError {
  readonly code = 'group_member_limit_exceeded';
  readonly kind = 'invalid' as const;
  constructor(message: string, field: string, details: Record<string, unknown>) {
    super(message, [{ field, code: 'group_member_limit_exceeded', message }], details);
  }

  static adding(limit: number, memberCount: number, adding: number, field: string): GroupMemberLimitExceededError {
    return new GroupMemberLimitExceededError(
      `A group has at most ${limit} members: it has ${memberCount} and this would add ${adding}. Contact us to raise the limit.`,
      field,
      { limit, memberCount, adding },
    );
  }

  /** A filter matched more than the room left; `matched` was counted only to the limit + 1. */
  static matching(limit: number, memberCount: number, matched: number, capped: boolean, field: string): GroupMemberLimitExceededError {
    const n = capped ? `more than ${matched - 1}` : `${matched}`;
    return new GroupMemberLimitExceededError(
      `A group has at most ${limit} members: it has ${memberCount} and the filter matches ${n} new customers. Contact us to raise the limit.`,
      field,
      { limit, memberCount, matched, capped },
    );
  }
}

/** G4: the broadcast audience is for apps on the Enterprise plan. */
export class PlanRequiredError extends ForbiddenError {
  constructor() {
    super('Broadcasting to a group needs the Enterprise plan; the platform operator can change the plan', 'plan_required');
  }
}
