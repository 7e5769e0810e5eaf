import { ValidationFailedError } from '@cdp/platform';
import { combineProfile, MergeCustomersMissing, planMainChannel, planMerge, planUnmerge, type LinkState } from './merge-plan';
import { CustomerAlreadyLinkedError, CustomerNotLinkedError, MergeLimitExceededError } from './merge.errors';

const free = (id: string): LinkState => ({ id, profileId: null, mainChannel: false });
const member = (id: string, profileId = 'p1', mainChannel = false): LinkState => ({ id, profileId, mainChannel });

describe('merge planning', () => {
  it('M1: merging into an unlinked customer makes a new set of both, with no main channel yet', () => {
    const plan = planMerge({ target: free('a'), members: [free('a')], found: [free('b')], requestedIds: ['b'], newProfileId: 'new' });
    expect(plan).toMatchObject({ profileId: 'new', createdSet: true, memberIds: ['a', 'b'], mainCustomerId: null });
    expect(plan.changes).toEqual([
      { customerId: 'a', profileId: 'new', mainChannel: false },
      { customerId: 'b', profileId: 'new', mainChannel: false },
    ]);
  });

  it('M2: customers join the set of a linked target; the target and its main channel stay as they are', () => {
    const members = [member('a', 'p1', true), member('c')];
    const plan = planMerge({ target: members[1], members, found: [free('b')], requestedIds: ['b'], newProfileId: 'unused' });
    expect(plan).toMatchObject({ profileId: 'p1', createdSet: false, memberIds: ['a', 'c', 'b'], mainCustomerId: 'a' });
    expect(plan.changes).toEqual([{ customerId: 'b', profileId: 'p1', mainChannel: false }]);
  });

  it('M2: a linked customer cannot be merged into another, not even within its own set', () => {
    const members = [member('a'), member('c')];
    expect(() => planMerge({ target: members[0], members, found: [member('x', 'p2')], requestedIds: ['x'], newProfileId: 'n' })).toThrow(
      CustomerAlreadyLinkedError,
    );
    expect(() => planMerge({ target: members[0], members, found: [members[1]], requestedIds: ['c'], newProfileId: 'n' })).toThrow(
      CustomerAlreadyLinkedError,
    );
  });

  it('M2: a customer cannot be merged into itself; unknown customers are reported as missing', () => {
    expect(() => planMerge({ target: free('a'), members: [], found: [free('a')], requestedIds: ['a'], newProfileId: 'n' })).toThrow(
      ValidationFailedError,
    );
    try {
      planMerge({ target: free('a'), members: [], found: [free('b')], requestedIds: ['b', 'zz'], newProfileId: 'n' });
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(MergeCustomersMissing);
      expect((err as MergeCustomersMissing).ids).toEqual(['zz']);
    }
  });

  it('M3: a set holds at most 10 customers, counting the members it already has', () => {
    const members = Array.from({ length: 8 }, (_, i) => member(`m${i}`));
    const two = [free('x'), free('y')];
    expect(planMerge({ target: members[0], members, found: two, requestedIds: ['x', 'y'], newProfileId: 'n' }).memberIds).toHaveLength(10);
    expect(() =>
      planMerge({ target: members[0], members, found: [...two, free('z')], requestedIds: ['x', 'y', 'z'], newProfileId: 'n' }),
    ).toThrow(MergeLimitExceededError);
    const ten = Array.from({ length: 10 }, (_, i) => free(`f${i}`));
    expect(() => planMerge({ target: free('t'), members: [], found: ten, requestedIds: ten.map((f) => f.id), newProfileId: 'n' })).toThrow(
      MergeLimitExceededError,
    );
  });

  it('M4: leaving a set of three keeps the other two linked', () => {
    const members = [member('a', 'p1', true), member('b'), member('c')];
    const plan = planUnmerge(members[0], members);
    expect(plan).toMatchObject({ endsSet: false, alsoUnlinked: [], remainingIds: ['b', 'c'] });
    expect(plan.changes).toEqual([{ customerId: 'a', profileId: null, mainChannel: false }]);
  });

  it('M4: a set left with one customer ends and that customer is unlinked too', () => {
    const members = [member('a'), member('b', 'p1', true)];
    const plan = planUnmerge(members[0], members);
    expect(plan).toMatchObject({ endsSet: true, alsoUnlinked: ['b'], remainingIds: [] });
    expect(plan.changes.map((c) => c.customerId)).toEqual(['a', 'b']);
    expect(plan.changes.every((c) => c.profileId === null && !c.mainChannel)).toBe(true);
    expect(() => planUnmerge(free('z'), [])).toThrow(CustomerNotLinkedError);
  });

  it('M5: choosing a main channel moves the flag, so a set has exactly one', () => {
    const members = [member('a', 'p1', true), member('b'), member('c')];
    const plan = planMainChannel(members[1], members);
    expect(plan.previousMainId).toBe('a');
    expect(plan.changes).toEqual([
      { customerId: 'a', profileId: 'p1', mainChannel: false },
      { customerId: 'b', profileId: 'p1', mainChannel: true },
    ]);
    expect(planMainChannel(members[0], members).changes).toEqual([]);
    expect(() => planMainChannel(free('z'), [])).toThrow(CustomerNotLinkedError);
  });

  it('X3: tags are united; the main channel wins conflicts, then the most recently updated customer', () => {
    const profile = combineProfile([
      {
        id: 'old',
        tags: ['vip', 'a'],
        properties: { city: 'Bandung', tier: 'gold', note: 'x' },
        mainChannel: false,
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
      {
        id: 'new',
        tags: ['b', 'vip'],
        properties: { city: 'Surabaya', tier: 'silver', constructor: 'kept' },
        mainChannel: false,
        updatedAt: '2026-03-01T00:00:00.000Z',
      },
      { id: 'main', tags: ['c'], properties: { city: 'Jakarta', empty: null }, mainChannel: true, updatedAt: '2025-01-01T00:00:00.000Z' },
    ]);
    expect(profile.tags.sort()).toEqual(['a', 'b', 'c', 'vip']);
    expect(profile.properties).toEqual({
      city: { value: 'Jakarta', customerId: 'main' },
      tier: { value: 'silver', customerId: 'new' },
      note: { value: 'x', customerId: 'old' },
      constructor: { value: 'kept', customerId: 'new' },
    });
  });
});
