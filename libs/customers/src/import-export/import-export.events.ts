import { DomainEvent, EventType } from '@cdp/platform';

/**
 * An import finished and its totals are final (recorded once, in the transaction that completes it; webhooks
 * hand it on as `import.completed`). `dryRun` is true for a "Check file" run, which created nobody.
 */
@EventType('import.completed')
export class ImportCompletedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly importId: string,
    readonly dryRun: boolean,
    readonly totalRows: number,
    readonly createdCount: number,
    readonly skippedCount: number,
    readonly failedCount: number,
  ) {
    super();
  }
}

/**
 * An export's file is ready (recorded once, when it is completed). Ids and counts only: the file and its
 * link go to the recipient by mail, never through an event.
 */
@EventType('export.completed')
export class ExportCompletedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly exportId: string,
    readonly rowCount: number,
  ) {
    super();
  }
}
