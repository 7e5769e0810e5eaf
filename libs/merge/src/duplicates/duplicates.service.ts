import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { SettingsService } from '@cdp/access';
import { ChannelsService, type ChannelInstance } from '@cdp/channels';
import { CustomerNotFoundError, CustomersService, toCustomerResponse, type CustomerRow, type DuplicateProbe } from '@cdp/customers';
import { isUuid, ValidationFailedError, type Tx } from '@cdp/platform';
import type { DuplicateReason, DuplicateSuggestionDto } from '../dto/duplicate.dto';
import { MergeRepository } from '../merge.repository';
import { duplicateScore, orderReasons } from './duplicate-score';

/** At most this many suggestions, best first. */
export const MAX_DUPLICATE_SUGGESTIONS = 20;

/**
 * X4: the unlinked customers of the app's other channels that are probably the same person: the same phone
 * number, the same e-mail, or a similar name; minus the pairs a user dismissed. Also (X11) the customers a
 * Segment-spec `alias` call tied to this one (reason `alias`, any channel), while neither pair member is
 * linked to the other.
 *
 * A phone or e-mail also counts when a channel holds it as the identifier (a WhatsApp id is the number's
 * digits without `+`; a widget channel may be keyed by e-mail). Which form a channel gives a phone number or
 * address is asked of its adapter (the channels lib), never decided here by channel type.
 */
@Injectable()
export class DuplicatesService {
  constructor(
    private readonly repo: MergeRepository,
    private readonly customers: CustomersService,
    private readonly channels: ChannelsService,
    private readonly settings: SettingsService,
  ) {}

  async suggest(appId: string, id: string): Promise<DuplicateSuggestionDto[]> {
    const row = await this.customers.getRow(appId, id);
    const [channels, { defaultCountry }, dismissed, aliasIds] = await Promise.all([
      this.channels.list(appId),
      this.settings.get(appId),
      this.repo.dismissedFor(appId, row.id),
      this.repo.aliasesOf(appId, row.id),
    ]);
    const rows = await this.customers.duplicateCandidates(appId, this.probeFor(row, channels, defaultCountry, dismissed));
    const excluded = new Set(dismissed);
    const aliases = (
      await this.customers.getMany(
        appId,
        aliasIds.filter((id) => !excluded.has(id)),
      )
    ).filter((a) => !row.profile_id || a.profile_id !== row.profile_id);
    const found = rows.map((r) => ({ row: r as CustomerRow, reasons: [...r.reasons] as DuplicateReason[], similarity: r.name_similarity }));
    for (const a of aliases) {
      const known = found.find((f) => f.row.id === a.id);
      if (known) known.reasons.push('alias');
      else found.push({ row: a, reasons: ['alias'], similarity: null });
    }
    return found
      .map((f) => {
        const reasons = orderReasons(f.reasons);
        return {
          customer: toCustomerResponse(f.row),
          reasons,
          score: duplicateScore(reasons, f.similarity === null ? null : Number(f.similarity)),
        };
      })
      .sort((a, b) => b.score - a.score || (a.customer.id < b.customer.id ? -1 : 1))
      .slice(0, MAX_DUPLICATE_SUGGESTIONS);
  }

  /**
   * X11: a Segment-spec `alias` said these two customers are one person: they are suggested as duplicates of
   * each other (reason `alias`), never merged automatically. False when the pair was already known.
   */
  suggestAlias(tx: Tx, appId: string, customerId: string, otherId: string): Promise<boolean> {
    return this.repo.addAlias(tx, appId, customerId.toLowerCase(), otherId.toLowerCase());
  }

  /** `POST /v1/customers/:id/duplicates/:otherId/dismiss`: the pair is never suggested again, either way round. */
  async dismiss(appId: string, id: string, otherId: string): Promise<void> {
    if (!isUuid(id) || !isUuid(otherId)) throw new CustomerNotFoundError();
    const [a, b] = [id.toLowerCase(), otherId.toLowerCase()];
    if (a === b)
      throw new ValidationFailedError('A customer cannot be dismissed as its own duplicate', [
        { field: 'otherId', code: 'same_customer', message: 'otherId must be another customer' },
      ]);
    const found = await this.customers.getMany(appId, [a, b]);
    if (found.length < 2) throw new CustomerNotFoundError();
    await this.repo.dismiss(appId, a, b);
  }

  private probeFor(row: CustomerRow, channels: ChannelInstance[], defaultCountry: string, dismissed: string[]): DuplicateProbe {
    const own = channels.find((c) => c.id === row.channel_id);
    const phones = new Set<string>();
    const emails = new Set<string>();
    if (row.phone_number) phones.add(row.phone_number);
    if (row.email) emails.add(row.email.toLowerCase());
    if (own) {
      const asPhone = this.identifierAsPhone(own, row.identifier);
      if (asPhone) phones.add(asPhone);
      if (isEmail(row.identifier) && this.channels.validateIdentifier(own, row.identifier).identifier === row.identifier)
        emails.add(row.identifier.toLowerCase());
    }
    const identifiers: DuplicateProbe['identifiers'] = [];
    for (const ch of channels) {
      if (ch.id === row.channel_id) continue;
      const forms: [string, 'same_phone' | 'same_email'][] = [
        ...[...phones].map((p) => [p, 'same_phone'] as [string, 'same_phone']),
        ...[...emails].map((e) => [e, 'same_email'] as [string, 'same_email']),
      ];
      for (const [value, reason] of forms) {
        const written = this.channels.validateIdentifier(ch, value, { defaultCountry }).identifier;
        if (written !== undefined) identifiers.push({ channel_id: ch.id, identifier: written, reason });
      }
    }
    return {
      customerId: row.id,
      channelId: row.channel_id,
      phones: [...phones],
      emails: [...emails],
      identifiers,
      name: row.name,
      exclude: dismissed,
    };
  }

  /**
   * The E.164 number an identifier stands for, when its channel keys customers by phone: the identifier is
   * read as a number and must be exactly what the channel makes of that number (so a numeric Telegram id is
   * not mistaken for a phone).
   */
  private identifierAsPhone(channel: ChannelInstance, identifier: string): string | undefined {
    const p = parsePhoneNumberFromString(identifier.startsWith('+') ? identifier : `+${identifier}`);
    if (!p || !p.isValid()) return undefined;
    return this.channels.validateIdentifier(channel, p.number).identifier === identifier ? p.number : undefined;
  }
}
