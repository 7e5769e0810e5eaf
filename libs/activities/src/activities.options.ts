export interface ActivitiesModuleOptions {
  /** The omnichannel inbox; a conversation links to `<inboxBaseUrl>/rooms/<roomId>`. */
  inboxBaseUrl: string;
}

export const ACTIVITIES_OPTIONS = Symbol('ACTIVITIES_OPTIONS');
