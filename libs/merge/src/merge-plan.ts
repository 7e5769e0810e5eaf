import { ValidationFailedError } from '@cdp/platform';
import { CustomerAlreadyLinkedError, CustomerNotLinkedError, MergeLimitExceededError } from './merge.errors';

/** M3: the most customers a linked set may hold. */
export const MAX_LINKED_SET_SIZE = 10;

/** A customer's link state as read under lock. */
export interface LinkState {
  id: string;
  profileId: string | null;
  mainChannel: boolean;
}

/** One customer's new link state (what `CustomerLinks.apply` writes). */
export interface LinkChange {
  customerId: string;
  profileId: string | null;
  mainChannel: boolean;
}

export interface MergePlan {
  profileId: string;
  /** True when the set is made by this merge (the target was not linked). */
  createdSet: boolean;
  changes: LinkChange[];
  /** Every member once the merge is applied: the target's set, then the customers that join. */
  memberIds: string[];
  mainCustomerId: string | null;
}

export interface MergeInput {
  target: LinkState;
  /** The target's set as it stands (the target included); just the target when it is not linked. */
  members: LinkState[];
  /** The customers to merge, as found in the app (ids missing here are not the app's). */
  found: LinkState[];
  requestedIds: string[];
  /** The profile id a new set gets (ignored when the target is linked). */
  newProfileId: string;
  max?: number;
}

/** Thrown for ids that are not customers of the app; the caller answers 404. */
export class MergeCustomersMissing extends Error {
  constructor(readonly ids: string[]) {
    super('Some customers were not found');
  }
}

/**
 * M1–M3: who joins which set. The listed customers must be the app's (else 404), none the target itself,
 * none linked already (409, also when in the target's own set); the result has at most `max` members (422).
 */
export function planMerge(input: MergeInput): MergePlan {
  const max = input.max ?? MAX_LINKED_SET_SIZE;
  const { target } = input;
  const requested = [...new Set(input.requestedIds.map((id) => id.toLowerCase()))];
  if (requested.includes(target.id.toLowerCase()))
    throw new ValidationFailedError('A customer cannot be merged into itself', [
      { field: 'customerIds', code: 'self_merge', message: 'customerIds must not contain the customer itself' },
    ]);
  const byId = new Map(input.found.map((f) => [f.id.toLowerCase(), f]));
  const missing = requested.filter((id) => !byId.has(id));
  if (missing.length) throw new MergeCustomersMissing(missing);
  const joining = requested.map((id) => byId.get(id)!);
  const linked = joining.filter((j) => j.profileId !== null).map((j) => j.id);
  if (linked.length) throw new CustomerAlreadyLinkedError(linked);

  const existing = target.profileId !== null ? input.members : [target];
  const size = existing.length + joining.length;
  if (size > max) throw new MergeLimitExceededError(max, size);

  const profileId = target.profileId ?? input.newProfileId;
  const createdSet = target.profileId === null;
  const changes: LinkChange[] = joining.map((j) => ({ customerId: j.id, profileId, mainChannel: false }));
  // A new set has no main channel until the user picks one (M5).
  if (createdSet) changes.unshift({ customerId: target.id, profileId, mainChannel: false });
  const main = existing.find((m) => m.mainChannel && m.profileId !== null);
  return {
    profileId,
    createdSet,
    changes,
    memberIds: [...existing.map((m) => m.id), ...joining.map((j) => j.id)],
    mainCustomerId: main?.id ?? null,
  };
}

export interface UnmergePlan {
  profileId: string;
  changes: LinkChange[];
  /** True when the set is left with fewer than two members and ends (its profile is deleted). */
  endsSet: boolean;
  /** Members unlinked because the set ended (not the customer that left). */
  alsoUnlinked: string[];
  /** The members that stay linked. */
  remainingIds: string[];
}

/**
 * M4: the customer leaves its set with no relation to it; a set left with one member ends (that member is
 * unlinked too). When the main channel leaves, the set has no main channel.
 */
export function planUnmerge(customer: LinkState, members: LinkState[]): UnmergePlan {
  if (customer.profileId === null) throw new CustomerNotLinkedError();
  const profileId = customer.profileId;
  const others = members.filter((m) => m.id !== customer.id && m.profileId === profileId);
  const endsSet = others.length < 2;
  const changes: LinkChange[] = [{ customerId: customer.id, profileId: null, mainChannel: false }];
  if (endsSet) for (const o of others) changes.push({ customerId: o.id, profileId: null, mainChannel: false });
  return {
    profileId,
    changes,
    endsSet,
    alsoUnlinked: endsSet ? others.map((o) => o.id) : [],
    remainingIds: endsSet ? [] : others.map((o) => o.id),
  };
}

export interface MainChannelPlan {
  profileId: string;
  changes: LinkChange[];
  previousMainId: string | null;
}

/** M5: exactly one main channel in the set once the user picks one; only the members whose flag flips change. */
export function planMainChannel(customer: LinkState, members: LinkState[]): MainChannelPlan {
  if (customer.profileId === null) throw new CustomerNotLinkedError();
  const profileId = customer.profileId;
  const set = members.filter((m) => m.profileId === profileId);
  if (!set.some((m) => m.id === customer.id)) set.push(customer);
  const previous = set.find((m) => m.mainChannel);
  const changes = set
    .filter((m) => m.mainChannel !== (m.id === customer.id))
    .map((m) => ({ customerId: m.id, profileId, mainChannel: m.id === customer.id }));
  return { profileId, changes, previousMainId: previous?.id ?? null };
}

/** What the combined profile needs of each member. */
export interface ProfileSource {
  id: string;
  tags: string[];
  properties: Record<string, unknown>;
  mainChannel: boolean;
  updatedAt: string;
}

export interface CombinedProfile {
  tags: string[];
  properties: Record<string, { value: unknown; customerId: string }>;
}

/**
 * X3: the set's combined profile. Tags are united; each property takes the value of the first member that has
 * it, in precedence order: the main channel, then the most recently updated (then the highest id, so the
 * answer is stable). Every value says which customer it came from.
 */
export function combineProfile(members: ProfileSource[]): CombinedProfile {
  const ordered = [...members].sort(
    (a, b) =>
      Number(b.mainChannel) - Number(a.mainChannel) ||
      Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
      (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
  const tags: string[] = [];
  const seen = new Set<string>();
  const properties = new Map<string, { value: unknown; customerId: string }>();
  for (const m of ordered) {
    for (const t of m.tags) {
      if (seen.has(t)) continue;
      seen.add(t);
      tags.push(t);
    }
    for (const [key, value] of Object.entries(m.properties)) {
      if (value === null || value === undefined || properties.has(key)) continue;
      properties.set(key, { value, customerId: m.id });
    }
  }
  return { tags, properties: Object.fromEntries(properties) };
}
