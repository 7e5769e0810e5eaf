import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { QiscusAdapter } from './qiscus.adapter';

const adapter = new QiscusAdapter();

describeChannelAdapterContract(adapter, {
  label: 'phone (default)',
  valid: [
    { input: '+6281234567890', normalized: '+6281234567890' },
    { input: '+62 812-3456-7890', normalized: '+6281234567890' },
    { input: '0812-3456-7890', normalized: '+6281234567890' },
    { input: '6281234567890', normalized: '+6281234567890' },
    { input: '(0812) 3456 7890', normalized: '+6281234567890' },
    { input: '+1 415 555 2671', normalized: '+14155552671' },
    { input: '07911 123456', normalized: '+447911123456', ctx: { defaultCountry: 'GB' } },
  ],
  invalid: ['budi@example.com', '+628123', '+62 812 3456 7890 ext. 5', 'call +6281234567890', '+999123456', '+6200000000000'],
});

describeChannelAdapterContract(adapter, {
  label: 'email',
  config: { identifierType: 'email' },
  valid: [
    { input: 'budi@example.com', normalized: 'budi@example.com' },
    { input: ' Budi.Santoso@Example.CO.ID ', normalized: 'budi.santoso@example.co.id' },
  ],
  invalid: ['+6281234567890', 'budi', 'budi@', '@example.com', 'budi @example.com'],
});

describe('QiscusAdapter config', () => {
  it('defaults identifierType to phone', () => {
    expect(adapter.validateConfig(undefined)).toEqual({ config: { identifierType: 'phone' }, issues: [] });
  });

  it('refuses an identifierType it does not know', () => {
    expect(adapter.validateConfig({ identifierType: 'text' }).issues).toEqual([
      expect.objectContaining({ field: 'config.identifierType', code: 'invalid_option' }),
    ]);
  });

  it('reads local numbers with the default country, Indonesia when none is given', () => {
    expect(adapter.normalizeIdentifier('0812 3456 7890', { identifierType: 'phone' }, {})).toBe('+6281234567890');
    expect(adapter.normalizeIdentifier('020 7946 0958', { identifierType: 'phone' }, { defaultCountry: 'GB' })).toBe('+442079460958');
  });
});
