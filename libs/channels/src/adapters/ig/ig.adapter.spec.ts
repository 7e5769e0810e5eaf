import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { IgAdapter } from './ig.adapter';

describeChannelAdapterContract(new IgAdapter(), {
  valid: [
    { input: '17841405309211844', normalized: '17841405309211844' },
    { input: ' 17841405309211844 ', normalized: '17841405309211844' },
    { input: '7', normalized: '7' },
    { input: '12345678901234567890', normalized: '12345678901234567890' },
  ],
  invalid: [
    '123456789012345678901',
    '017841405309211844',
    '-17841405309211844',
    '17841405309211844.0',
    '12 34',
    '1e9',
    'abc',
    '+17841405309211844',
    '１２３',
  ],
});
