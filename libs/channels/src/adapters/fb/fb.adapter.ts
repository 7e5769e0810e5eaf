import { Injectable } from '@nestjs/common';
import { ChannelPlugin } from '../../plugin/channel-adapter';
import { NumericIdAdapter } from '../numeric-id.adapter';

/** Facebook Messenger: the page-scoped user id (PSID). */
@ChannelPlugin({ type: 'fb' })
@Injectable()
export class FbAdapter extends NumericIdAdapter {
  readonly type = 'fb';
  readonly name = 'Facebook Messenger';
  readonly identifier = { description: 'The page-scoped Messenger user id (PSID): digits only', example: '5893204716238845' };
}
