import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { ConversationDto, ConversationPageDto, ConversationsQueryDto } from './conversation.dto';
import { ConversationsService } from './conversations.service';

@ApiTags('Activities')
@ApiBearerAuth()
@Controller('v1')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get('customers/:id/conversations')
  @Can('read', 'Conversation')
  @ApiOperation({
    operationId: 'listCustomerConversations',
    summary: "A customer's ongoing and resolved conversations, latest started first",
  })
  @ApiOkResponse({ type: ConversationPageDto })
  @ApiProblems(401, 403, 404, 422)
  list(@CurrentIdentity() id: Identity, @Param('id') customerId: string, @Query() q: ConversationsQueryDto) {
    return this.conversations.listByCustomer(id.appId, customerId, q);
  }

  @Get('conversations/:id')
  @Can('read', 'Conversation')
  @ApiOperation({
    operationId: 'getConversation',
    summary: 'One conversation, with its additional information, notes and the link to the inbox',
  })
  @ApiOkResponse({ type: ConversationDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() id: Identity, @Param('id') conversationId: string) {
    return this.conversations.get(id.appId, conversationId);
  }
}
