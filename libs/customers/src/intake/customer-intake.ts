import { Injectable } from '@nestjs/common';
import { SettingsService } from '@cdp/access';
import { ChannelsService, type ChannelInstance } from '@cdp/channels';
import { isUuid, type FieldIssue, type Tx } from '@cdp/platform';
import { checkEmail, checkPhone, normalizeTags, tagIssues } from '../contact-fields';
import { PropertyDefinitionsService } from '../properties/property-definitions.service';
import { checkPropertyValues } from '../properties/property-values';
import { Suppressions } from '../suppression/suppressions';
import type {
  CustomerCheck,
  CustomerField,
  CustomerIssue,
  IntakeContext,
  IntakeOptions,
  NewCustomer,
  NewCustomerFields,
  RawCustomer,
} from './new-customer';

export const MAX_NAME_LENGTH = 200;
const PLATFORMS = new Set(['web', 'mobile']);

/**
 * The one door for new customers (DESIGN.md "Who owns customer rows"): whatever the way in — REST, a CSV row,
 * an event, the seed, an SDK message — raw input becomes a checked `NewCustomer` or a list of problems with
 * stable codes, by the same rules: the channel is one of the app's; the identifier goes through the channel's
 * adapter (normalisation, validation, the identity guardrails); a name (required, or the identifier where the
 * caller says so); e-mail lower-cased and valid; phone numbers in E.164 (local ones read with the app's
 * default country); the source allowed by the channel's type; the platform; tags; property values that fit
 * their definitions. Problems name the fields in this lib's words (`channelId`, `phoneNumber`, `tags[2]`,
 * `properties.city`); each caller reports them in its own form (a REST problem, a row and column, an event
 * index).
 */
@Injectable()
export class CustomerIntake {
  constructor(
    private readonly channels: ChannelsService,
    private readonly settings: SettingsService,
    private readonly properties: PropertyDefinitionsService,
    private readonly suppressions: Suppressions,
  ) {}

  /** Loads what checking `raws` needs about the app: their channels, the default country, the property definitions they name. */
  async prepare(
    appId: string,
    raws: readonly RawCustomer[],
    known: { channels?: readonly ChannelInstance[] } = {},
  ): Promise<IntakeContext> {
    const channelIds = [...new Set(raws.map((r) => r.channelId).filter((id): id is string => isUuid(id)))];
    const keys = [...new Set(raws.flatMap((r) => (isPlainObject(r.properties) ? Object.keys(r.properties) : [])))];
    const [channels, { defaultCountry }, definitions] = await Promise.all([
      known.channels ? Promise.resolve(known.channels) : this.channels.findMany(appId, channelIds),
      this.settings.get(appId),
      keys.length ? this.properties.byKeys(appId, keys) : Promise.resolve(new Map()),
    ]);
    return { appId, channels: new Map(channels.map((c) => [c.id.toLowerCase(), c])), defaultCountry, definitions };
  }

  /** Checks one input against a prepared context (no database). */
  check(ctx: IntakeContext, raw: RawCustomer, opts: IntakeOptions = {}): CustomerCheck {
    const issues: CustomerIssue[] = [];
    const add = (part: CustomerField, i: FieldIssue | undefined) => i && issues.push({ ...i, part });

    const channel = this.channelOf(ctx, raw.channelId, add);
    let identifier: string | undefined;
    if (raw.identifier === undefined || raw.identifier === null || raw.identifier === '')
      add('identifier', { field: 'identifier', code: 'required', message: 'identifier is required' });
    else if (channel) {
      const check = this.channels.validateIdentifier(channel, raw.identifier, { defaultCountry: ctx.defaultCountry });
      identifier = check.identifier;
      for (const i of check.issues) add('identifier', i);
    }

    const name = this.nameOf(raw.name, identifier, opts, add);
    const email = raw.email === undefined || raw.email === null ? null : (fieldValue(checkEmail(raw.email), 'email', add) ?? null);
    const phoneNumber =
      raw.phoneNumber === undefined || raw.phoneNumber === null
        ? null
        : (fieldValue(checkPhone(raw.phoneNumber, ctx.defaultCountry), 'phoneNumber', add) ?? null);
    if (channel && !this.channels.sourceAllowed(channel.type, raw.source))
      add('source', {
        field: 'source',
        code: 'source_requires_whatsapp',
        message: `source "${raw.source}" is not allowed on this channel (ads and broadcast: WhatsApp only)`,
      });
    let platform: NewCustomerFields['platform'] = null;
    if (raw.platform !== undefined && raw.platform !== null) {
      if (typeof raw.platform === 'string' && PLATFORMS.has(raw.platform)) platform = raw.platform as 'web' | 'mobile';
      else add('platform', { field: 'platform', code: 'invalid_platform', message: 'platform must be web or mobile' });
    }
    let tags: string[] = [];
    if (raw.tags !== undefined && raw.tags !== null) {
      if (Array.isArray(raw.tags) && raw.tags.every((t) => typeof t === 'string')) {
        tags = normalizeTags(raw.tags);
        for (const i of tagIssues(tags)) add('tags', i);
      } else add('tags', { field: 'tags', code: 'invalid_tags', message: 'tags must be a list of strings' });
    }
    const props = checkPropertyValues(ctx.definitions, raw.properties, 'properties');
    for (const i of props.issues) add('properties', i);

    if (issues.length || !channel || identifier === undefined || name === undefined) return { issues };
    const customer = {
      channelId: channel.id.toLowerCase(),
      identifier,
      name,
      email,
      phoneNumber,
      source: raw.source,
      platform,
      tags,
      properties: props.set,
    };
    return { customer: customer as NewCustomer, issues: [] };
  }

  /**
   * The positions of the checked customers that an erased person's suppression refuses (API.md "Data rights"):
   * the same channel and identifier, or the same e-mail or phone number on any channel. Asked by the batch
   * insert (`CustomersService.createMany`) for every batch, so no way in creates a suppressed person.
   */
  suppressedAmong(appId: string, customers: readonly NewCustomer[], tx?: Tx): Promise<Set<number>> {
    return this.suppressions.blocked(appId, customers, tx);
  }

  /** `prepare` and `check` for a batch, in the order given. */
  async checkAll(appId: string, raws: readonly RawCustomer[], opts: IntakeOptions = {}): Promise<CustomerCheck[]> {
    const ctx = await this.prepare(appId, raws);
    return raws.map((r) => this.check(ctx, r, opts));
  }

  private channelOf(
    ctx: IntakeContext,
    id: string | null | undefined,
    add: (p: CustomerField, i: FieldIssue) => void,
  ): ChannelInstance | undefined {
    if (!id) {
      add('channelId', { field: 'channelId', code: 'required', message: 'channelId is required' });
      return undefined;
    }
    const channel = ctx.channels.get(id.toLowerCase());
    if (!channel) add('channelId', { field: 'channelId', code: 'unknown_channel', message: "channelId must be one of the app's channels" });
    return channel;
  }

  private nameOf(
    raw: unknown,
    identifier: string | undefined,
    opts: IntakeOptions,
    add: (p: CustomerField, i: FieldIssue) => void,
  ): string | undefined {
    const name = typeof raw === 'string' ? raw.trim() : '';
    if (!name && opts.nameFallback === 'identifier') return identifier;
    if (!name) add('name', { field: 'name', code: 'required', message: 'name is required' });
    else if (name.length > MAX_NAME_LENGTH)
      add('name', { field: 'name', code: 'too_long', message: `name has at most ${MAX_NAME_LENGTH} characters` });
    else return name;
    return undefined;
  }
}

function fieldValue(
  check: { value?: string; issue?: FieldIssue },
  part: CustomerField,
  add: (p: CustomerField, i: FieldIssue) => void,
): string | undefined {
  if (check.issue) add(part, check.issue);
  return check.value;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
