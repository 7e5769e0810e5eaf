import { Injectable } from '@nestjs/common';
import { ChannelPlugin } from '../../plugin/channel-adapter';
import { NumericIdAdapter } from '../numeric-id.adapter';

/** Instagram messaging: the Instagram-scoped user id (IGSID). */
@ChannelPlugin({ type: 'ig' })
@Injectable()
export class IgAdapter extends NumericIdAdapter {
  readonly type = 'ig';
  readonly name = 'Instagram';
  readonly identifier = { description: 'The Instagram-scoped user id (IGSID): digits only', example: '17841405309211844' };
}
