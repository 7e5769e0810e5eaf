import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService, type Identity } from '@cdp/access';
import {
  CustomerDeletionHooks,
  CustomerLinks,
  CustomerNotFoundError,
  CustomersService,
  toCustomerResponse,
  type CustomerLinkRow,
  type CustomerResponseDto,
  type DeletedCustomerRef,
} from '@cdp/customers';
import { Db, isRetryableConflict, isUuid, newId, retrying, type Tx } from '@cdp/platform';
import { toLinkedSet, type LinkedSetDto } from './dto/linked-set.dto';
import { MergeCustomersMissing, planMainChannel, planMerge, planUnmerge, type LinkState } from './merge-plan';
import { CustomerNotLinkedError } from './merge.errors';
import { CustomersMergedEvent, CustomerUnmergedEvent, MainChannelChangedEvent } from './merge.events';
import { MergeRepository } from './merge.repository';

/** The set a customer was read in changed before its lock was taken: run the transaction again. */
class LockMoved extends Error {}

const MAX_ATTEMPTS = 8;

const toState = (r: CustomerLinkRow): LinkState => ({ id: r.id, profileId: r.profile_id, mainChannel: r.main_channel });

/**
 * Linked customers (FEATURES.md M1–M7, X1–X3). Merging never touches a channel customer's own data: it only
 * links rows through the customers lib's `CustomerLinksWriter`, inside this lib's transaction.
 *
 * Concurrency (M7): every change to a set locks, in this order, the set's profile row and then the customer
 * rows it reads or writes (one `select … for update` in id order), and re-checks the rules under those locks.
 * A customer is read before its set is known; when the set changed before the lock was taken, or PostgreSQL
 * broke a deadlock (possible only against a concurrent deletion of a member, which locks the customer first),
 * the transaction is run again.
 */
@Injectable()
export class MergeService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly repo: MergeRepository,
    private readonly links: CustomerLinks,
    private readonly customers: CustomersService,
    private readonly deletionHooks: CustomerDeletionHooks,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.deletionHooks.register((tx, appId, customer) => this.onCustomerDeleted(tx, appId, customer));
  }

  /** `GET /v1/customers/:id/linked`: its set, or a set of itself (`profileId` null) when it is not linked. */
  async linked(appId: string, id: string): Promise<LinkedSetDto> {
    const row = await this.customers.getRow(appId, id);
    if (!row.profile_id) return toLinkedSet(null, [row]);
    const members = await this.links.members(appId, row.profile_id);
    return toLinkedSet(
      row.profile_id,
      await this.customers.getMany(
        appId,
        members.map((m) => m.id),
      ),
    );
  }

  /** `POST /v1/customers/:id/merge` (M1–M3, X2): the listed customers join `:id`'s set (made when needed). */
  async merge(identity: Identity, id: string, customerIds: string[], dryRun = false): Promise<LinkedSetDto> {
    const appId = identity.appId;
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const targetId = id.toLowerCase();
    const ids = [...new Set(customerIds.map((c) => c.toLowerCase()))];
    const out = await this.retrying(() =>
      this.db.transaction(async (tx) => {
        const seen = await this.links.linkOf(tx, appId, targetId);
        if (!seen.found) throw new CustomerNotFoundError();
        if (seen.profileId && !(await this.repo.lockProfile(tx, appId, seen.profileId))) throw new LockMoved();
        const locked = new Map((await this.links.lock(tx, appId, [targetId, ...ids])).map((r) => [r.id, toState(r)]));
        const target = locked.get(targetId);
        if (!target) throw new CustomerNotFoundError();
        if (target.profileId !== seen.profileId) throw new LockMoved();
        const members = seen.profileId ? (await this.links.members(appId, seen.profileId, tx)).map(toState) : [target];
        const found = ids.map((c) => locked.get(c)).filter((s): s is LinkState => !!s);
        let plan;
        try {
          plan = planMerge({ target, members, found, requestedIds: ids, newProfileId: newId() });
        } catch (err) {
          if (err instanceof MergeCustomersMissing) throw new CustomerNotFoundError();
          throw err;
        }
        if (dryRun) {
          const change = new Map(plan.changes.map((c) => [c.customerId, c]));
          const rows = (await this.customers.getMany(appId, plan.memberIds, tx)).map((r) => {
            const c = change.get(r.id);
            return c ? { ...r, profile_id: c.profileId, main_channel: c.mainChannel } : r;
          });
          return { set: previewOf(plan.createdSet ? null : plan.profileId, rows), plan };
        }
        if (plan.createdSet) await this.repo.createProfile(tx, appId, plan.profileId);
        else await this.repo.touchProfile(tx, appId, plan.profileId);
        await this.links.apply(tx, appId, plan.changes);
        await this.audit.record(tx, identity, {
          action: 'customer.merged',
          subject: `customer:${targetId}`,
          details: { profileId: plan.profileId, targetId, customerIds: ids, createdSet: plan.createdSet, memberIds: plan.memberIds },
        });
        tx.record(new CustomersMergedEvent(appId, plan.profileId, targetId, ids, plan.createdSet));
        return { set: toLinkedSet(plan.profileId, await this.customers.getMany(appId, plan.memberIds, tx)), plan };
      }),
    );
    return out.set;
  }

  /** `POST /v1/customers/:id/unmerge` (M4): the customer leaves its set; a set left with one member ends. */
  async unmerge(identity: Identity, id: string): Promise<CustomerResponseDto> {
    const appId = identity.appId;
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const customerId = id.toLowerCase();
    const out = await this.retrying(() =>
      this.db.transaction(async (tx) => {
        const profileId = await this.lockSetOf(tx, appId, customerId);
        const members = (await this.links.members(appId, profileId, tx)).map(toState);
        const others = members.filter((m) => m.id !== customerId);
        // Members other than the customer are written only when the set ends.
        const locked = await this.links.lock(tx, appId, [customerId, ...(others.length < 2 ? others.map((o) => o.id) : [])]);
        const me = locked.find((r) => r.id === customerId);
        if (!me) throw new CustomerNotFoundError();
        if (me.profile_id !== profileId) throw new LockMoved();
        const plan = planUnmerge(toState(me), members);
        await this.links.apply(tx, appId, plan.changes);
        if (plan.endsSet) await this.repo.deleteProfile(tx, appId, profileId);
        else await this.repo.touchProfile(tx, appId, profileId);
        await this.audit.record(tx, identity, {
          action: 'customer.unmerged',
          subject: `customer:${customerId}`,
          details: { profileId, customerId, endedSet: plan.endsSet, alsoUnlinked: plan.alsoUnlinked, remainingIds: plan.remainingIds },
        });
        tx.record(new CustomerUnmergedEvent(appId, plan.profileId, customerId, plan.endsSet, plan.alsoUnlinked));
        return await this.customers.getRow(appId, customerId, tx);
      }),
    );
    return toCustomerResponse(out);
  }

  /** `POST /v1/customers/:id/main-channel` (M5): the customer becomes its set's only main channel. */
  async setMainChannel(identity: Identity, id: string): Promise<LinkedSetDto> {
    const appId = identity.appId;
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const customerId = id.toLowerCase();
    const out = await this.retrying(() =>
      this.db.transaction(async (tx) => {
        const profileId = await this.lockSetOf(tx, appId, customerId);
        const members = await this.links.members(appId, profileId, tx);
        const locked = await this.links.lock(tx, appId, [customerId, ...members.map((m) => m.id)]);
        const me = locked.find((r) => r.id === customerId);
        if (!me) throw new CustomerNotFoundError();
        if (me.profile_id !== profileId) throw new LockMoved();
        const plan = planMainChannel(toState(me), locked.map(toState));
        if (plan.changes.length) {
          await this.links.apply(tx, appId, plan.changes);
          await this.repo.touchProfile(tx, appId, profileId);
          await this.audit.record(tx, identity, {
            action: 'customer.main_channel_changed',
            subject: `customer:${customerId}`,
            details: { profileId, customerId, previousMainId: plan.previousMainId },
          });
          tx.record(new MainChannelChangedEvent(appId, plan.profileId, customerId, plan.previousMainId));
        }
        const rows = await this.customers.getMany(
          appId,
          members.map((m) => m.id),
          tx,
        );
        return toLinkedSet(profileId, rows);
      }),
    );
    return out;
  }

  /**
   * Runs inside a customer's deletion (the customer row is locked): a set left with one member ends in the
   * same transaction, that member unlinked and the profile deleted.
   */
  private async onCustomerDeleted(tx: Tx, appId: string, customer: DeletedCustomerRef): Promise<void> {
    if (!customer.profileId) return;
    await this.repo.lockProfile(tx, appId, customer.profileId);
    const others = (await this.links.members(appId, customer.profileId, tx)).filter((m) => m.id !== customer.id);
    if (others.length >= 2) {
      await this.repo.touchProfile(tx, appId, customer.profileId);
      return;
    }
    await this.links.lock(
      tx,
      appId,
      others.map((o) => o.id),
    );
    await this.links.apply(
      tx,
      appId,
      others.map((o) => ({ customerId: o.id, profileId: null, mainChannel: false })),
    );
    await this.repo.deleteProfile(tx, appId, customer.profileId);
  }

  /** Reads the customer's set and locks its profile; 404 / 409 `customer_not_linked` as the rules say. */
  private async lockSetOf(tx: Tx, appId: string, customerId: string): Promise<string> {
    const seen = await this.links.linkOf(tx, appId, customerId);
    if (!seen.found) throw new CustomerNotFoundError();
    if (!seen.profileId) {
      // Re-read under the row lock: a merge may be linking it right now.
      const [row] = await this.links.lock(tx, appId, [customerId]);
      if (!row) throw new CustomerNotFoundError();
      if (!row.profile_id) throw new CustomerNotLinkedError();
      throw new LockMoved();
    }
    if (!(await this.repo.lockProfile(tx, appId, seen.profileId))) throw new LockMoved();
    return seen.profileId;
  }

  /** Runs a set change again when its set moved before its lock was taken, or PostgreSQL broke a deadlock (M7). */
  private retrying<T>(run: () => Promise<T>): Promise<T> {
    return retrying(run, {
      attempts: MAX_ATTEMPTS,
      retryOn: (err) => err instanceof LockMoved || isRetryableConflict(err),
      onGiveUp: (err) => (err instanceof LockMoved ? new Error('A linked set kept changing while it was being updated') : err),
    });
  }
}

/** A preview's set: what the merge would make, with no profile id when the set does not exist yet. */
function previewOf(profileId: string | null, rows: Parameters<typeof toLinkedSet>[1]): LinkedSetDto {
  const set = toLinkedSet(profileId, rows);
  if (profileId === null) set.customers = set.customers.map((c) => ({ ...c, profileId: null }));
  return set;
}
