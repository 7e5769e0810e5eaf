import { Inject, Injectable } from '@nestjs/common';
import { CustomersService } from '@cdp/customers';
import { CURSOR_CODEC, CursorCodec, DEFAULT_PAGE_SIZE, isUuid, NotFoundError, type Page } from '@cdp/platform';
import { ACTIVITIES_OPTIONS, type ActivitiesModuleOptions } from '../activities.options';
import { toConversation, type ConversationDto, type ConversationsQueryDto } from './conversation.dto';
import { ConversationsRepository } from './conversations.repository';

/** Conversation history (FEATURES.md A4): the read model the conversation events build. */
@Injectable()
export class ConversationsService {
  private readonly inboxBaseUrl: string;

  constructor(
    private readonly repo: ConversationsRepository,
    private readonly customers: CustomersService,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
    @Inject(ACTIVITIES_OPTIONS) options: ActivitiesModuleOptions,
  ) {
    this.inboxBaseUrl = options.inboxBaseUrl.replace(/\/+$/, '');
  }

  async get(appId: string, id: string): Promise<ConversationDto> {
    const row = isUuid(id) ? await this.repo.findById(appId, id) : undefined;
    if (!row) throw new NotFoundError('Conversation');
    return toConversation(row, this.inboxBaseUrl);
  }

  /** The customer's conversations, latest started first. */
  async listByCustomer(appId: string, customerId: string, q: ConversationsQueryDto): Promise<Page<ConversationDto>> {
    if (!isUuid(customerId)) throw new NotFoundError('Customer');
    await this.customers.getRow(appId, customerId);
    const list = { appId, list: `conversations:${customerId}:${q.status ?? 'all'}` };
    const position = q.cursor ? this.cursors.decodeTimeId(list, q.cursor) : undefined;
    const after = position && { startedAt: position.at, id: position.id };
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repo.listByCustomer(appId, customerId, { status: q.status, after, limit: limit + 1 });
    return this.cursors.timeIdPage(
      list,
      rows,
      limit,
      (r) => [r.started_at, r.id],
      (r) => toConversation(r, this.inboxBaseUrl),
    );
  }
}
