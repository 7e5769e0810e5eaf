import { Injectable } from '@nestjs/common';
import { ChannelPlugin } from '../../plugin/channel-adapter';
import { NumericIdAdapter } from '../numeric-id.adapter';

/** Telegram: the bot API's numeric user id (customers are users, so never a negative group chat id). */
@ChannelPlugin({ type: 'telegram' })
@Injectable()
export class TelegramAdapter extends NumericIdAdapter {
  readonly type = 'telegram';
  readonly name = 'Telegram';
  readonly identifier = { description: 'The Telegram user id: digits only', example: '123456789' };
}
