import { AbilityBuilder, createMongoAbility, type MongoAbility } from '@casl/ability';
import type { Identity } from './identity';

export type Action = 'manage' | 'read' | 'create' | 'update' | 'delete';
export type Subject =
  | 'Customer'
  | 'Tag'
  | 'Timeline'
  | 'Conversation'
  | 'Import'
  | 'Export'
  | 'ImportTemplate'
  | 'Group'
  | 'BroadcastAudience'
  | 'Merge'
  | 'Settings'
  | 'Channel'
  | 'PropertyDefinition'
  | 'ActivityType'
  | 'ApiKey'
  | 'AuditLog'
  | 'Event'
  | 'EventRejection'
  | 'OperatorSettings'
  | 'Webhook'
  | 'PersonalData'
  | 'all';

export type AppAbility = MongoAbility<[Action, Subject]>;

/** What of the app's settings the ability depends on. */
export interface AbilitySettings {
  agentCanImportExport: boolean;
}

export const IMPORT_EXPORT_REASON =
  'Importing and exporting customers is for admins; an admin can grant it to agents and supervisors with the ' +
  '"Agent can Import & Export Customer Data" setting (agentCanImportExport).';
const ADMIN_REASON = 'Only an admin may do this.';
const OPERATOR_REASON = 'Only the platform operator may change the plan and the group member limit.';

/**
 * DESIGN.md "Authorization", whole: built per request from the identity and the app's settings.
 */
export function defineAbility(identity: Pick<Identity, 'role' | 'via'>, settings: AbilitySettings): AppAbility {
  const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const role = identity.role;

  if (identity.via === 'api_key') {
    // An API key can post events for its app, nothing else.
    can('create', 'Event');
    return build();
  }

  if (role === 'operator') {
    can('update', 'OperatorSettings');
    return build();
  }

  // Every role of the business.
  can(['read', 'create', 'update'], 'Customer');
  can('read', ['Tag', 'Timeline', 'Conversation', 'Settings', 'Channel', 'PropertyDefinition', 'ActivityType']);
  can('read', 'ImportTemplate');
  can('manage', ['Group', 'Merge']);
  can('read', 'BroadcastAudience');

  if (role === 'admin' || role === 'supervisor') can('delete', 'Customer');
  else cannot('delete', 'Customer').because('Only admins and supervisors may delete customers.');

  if (role === 'admin' || settings.agentCanImportExport) can('manage', ['Import', 'Export']);
  else cannot('manage', ['Import', 'Export']).because(IMPORT_EXPORT_REASON);

  if (role === 'admin') {
    can('manage', ['Settings', 'Channel', 'PropertyDefinition', 'ActivityType', 'ApiKey', 'AuditLog', 'EventRejection', 'Webhook']);
    can('create', 'Event');
    // The data export, erasure and suppressions of a person (X10).
    can('manage', 'PersonalData');
  } else {
    cannot(['create', 'update', 'delete'], ['Settings', 'Channel', 'PropertyDefinition', 'ActivityType']).because(ADMIN_REASON);
    cannot('manage', ['ApiKey', 'AuditLog', 'Event', 'EventRejection', 'Webhook']).because(ADMIN_REASON);
    cannot('manage', 'PersonalData').because(ADMIN_REASON);
  }
  cannot('manage', 'OperatorSettings').because(OPERATOR_REASON);
  return build();
}
