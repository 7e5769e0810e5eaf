import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { TelegramAdapter } from './telegram.adapter';

describeChannelAdapterContract(new TelegramAdapter(), {
  valid: [
    { input: '123456789', normalized: '123456789' },
    { input: ' 123456789 ', normalized: '123456789' },
    { input: '7', normalized: '7' },
    { input: '12345678901234567890', normalized: '12345678901234567890' },
  ],
  invalid: ['123456789012345678901', '0123456789', '-123456789', '123456789.0', '12 34', '1e9', 'abc', '+123456789', '１２３'],
});
