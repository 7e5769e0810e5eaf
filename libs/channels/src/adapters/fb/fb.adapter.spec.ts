import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { FbAdapter } from './fb.adapter';

describeChannelAdapterContract(new FbAdapter(), {
  valid: [
    { input: '5893204716238845', normalized: '5893204716238845' },
    { input: ' 5893204716238845 ', normalized: '5893204716238845' },
    { input: '7', normalized: '7' },
    { input: '12345678901234567890', normalized: '12345678901234567890' },
  ],
  invalid: [
    '123456789012345678901',
    '05893204716238845',
    '-5893204716238845',
    '5893204716238845.0',
    '12 34',
    '1e9',
    'abc',
    '+5893204716238845',
    '１２３',
  ],
});
