import { Injectable } from '@nestjs/common';
import { Db, sql, ValidationFailedError, type FieldIssue } from '@cdp/platform';
import { isSupportedCountry } from 'libphonenumber-js';
import { AuditService } from '../audit/audit.service';
import type { Identity } from '../identity';
import { CustomerSettings, DEFAULT_SETTINGS, OperatorSettingsDto, UpdateCustomerSettingsDto } from './settings.dto';

interface SettingsRow {
  agent_can_import_export: boolean;
  timezone: string;
  default_country: string;
  group_member_limit: number;
  plan: CustomerSettings['plan'];
}

/** Zone names found valid by `isValidTimeZone`, up to a bound (the runtime also takes other spellings of a name). */
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 2000;

/** True for an IANA zone name the runtime knows (validated in Node, not by the database's tzdata). */
export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    return false;
  }
  // Building a formatter costs about a quarter of a millisecond, on every filter, count and analytics request
  // that names a zone; the zones are a few hundred names, so those found valid are remembered (never the invalid).
  if (knownZones.size < MAX_KNOWN_ZONES) knownZones.add(tz);
  return true;
}

/**
 * The app's customer settings. An app without a row has the defaults; the row is created on first change.
 * Writes are single upserts, so two concurrent changes never lose each other's other fields.
 */
@Injectable()
export class SettingsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async get(appId: string): Promise<CustomerSettings> {
    const row = await this.db.one<SettingsRow>(
      sql`select agent_can_import_export, timezone, default_country, group_member_limit, plan from app_settings where app_id = ${appId}`,
    );
    return row ? toSettings(row) : { ...DEFAULT_SETTINGS };
  }

  async update(identity: Identity, patch: UpdateCustomerSettingsDto): Promise<CustomerSettings> {
    const issues: FieldIssue[] = [];
    if (patch.timezone !== undefined && !isValidTimeZone(patch.timezone))
      issues.push({ field: 'timezone', code: 'invalid_timezone', message: 'timezone must be an IANA time zone name' });
    if (patch.defaultCountry !== undefined && !(/^[A-Z]{2}$/.test(patch.defaultCountry) && isSupportedCountry(patch.defaultCountry)))
      issues.push({ field: 'defaultCountry', code: 'invalid_country', message: 'defaultCountry must be an ISO 3166 alpha-2 code' });
    if (issues.length) throw new ValidationFailedError('The settings are not valid', issues);
    return this.write(identity, identity.appId, patch, 'settings.updated');
  }

  async updateByOperator(identity: Identity, appId: string, patch: OperatorSettingsDto): Promise<CustomerSettings> {
    return this.write(identity, appId, patch, 'settings.operator_updated');
  }

  private async write(identity: Identity, appId: string, patch: Partial<CustomerSettings>, action: string): Promise<CustomerSettings> {
    const d = DEFAULT_SETTINGS;
    return this.db.transaction(async (tx) => {
      const before = await tx.one<SettingsRow>(sql`select * from app_settings where app_id = ${appId} for update`);
      const row = await tx.one<SettingsRow>(sql`
        insert into app_settings (app_id, agent_can_import_export, timezone, default_country, group_member_limit, plan, updated_at)
        values (${appId}, ${patch.agentCanImportExport ?? d.agentCanImportExport}, ${patch.timezone ?? d.timezone},
                ${patch.defaultCountry ?? d.defaultCountry}, ${patch.groupMemberLimit ?? d.groupMemberLimit}, ${patch.plan ?? d.plan}, now())
        on conflict (app_id) do update set
          agent_can_import_export = coalesce(${patch.agentCanImportExport ?? null}::boolean, app_settings.agent_can_import_export),
          timezone = coalesce(${patch.timezone ?? null}::text, app_settings.timezone),
          default_country = coalesce(${patch.defaultCountry ?? null}::text, app_settings.default_country),
          group_member_limit = coalesce(${patch.groupMemberLimit ?? null}::int, app_settings.group_member_limit),
          plan = coalesce(${patch.plan ?? null}::text, app_settings.plan),
          updated_at = now()
        returning agent_can_import_export, timezone, default_country, group_member_limit, plan`);
      const after = toSettings(row!);
      await this.audit.record(tx, identity, {
        appId,
        action,
        subject: `settings:${appId}`,
        details: { before: before ? toSettings(before) : { ...DEFAULT_SETTINGS }, after, changed: Object.keys(patch) },
      });
      return after;
    });
  }
}

function toSettings(r: SettingsRow): CustomerSettings {
  return {
    agentCanImportExport: r.agent_can_import_export,
    timezone: r.timezone,
    defaultCountry: r.default_country,
    groupMemberLimit: Number(r.group_member_limit),
    plan: r.plan,
  };
}
