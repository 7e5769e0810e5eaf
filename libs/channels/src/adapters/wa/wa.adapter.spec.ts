import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { WaAdapter } from './wa.adapter';

const adapter = new WaAdapter();

describeChannelAdapterContract(adapter, {
  valid: [
    { input: '6281234567890', normalized: '6281234567890' },
    { input: '+62 812-3456-7890', normalized: '6281234567890' },
    { input: '+6281234567890', normalized: '6281234567890' },
    { input: '0062 812 3456 7890', normalized: '6281234567890' },
    { input: '0812-3456-7890', normalized: '6281234567890' },
    { input: '(0812) 3456.7890', normalized: '6281234567890' },
    { input: '+1 (415) 555-2671', normalized: '14155552671' },
    { input: '447911123456', normalized: '447911123456' },
    { input: '07911 123456', normalized: '447911123456', ctx: { defaultCountry: 'GB' } },
    // Digits without a trunk prefix are international, whatever the app's country.
    { input: '6281234567890', normalized: '6281234567890', ctx: { defaultCountry: 'US' } },
  ],
  invalid: [
    '628123',
    '+628123',
    '6200000000000',
    '999123456',
    'budi',
    '62812345678901234567',
    '+62 812 3456 7890 ext. 5',
    'wa:6281234567890',
    '6281234567890@s.whatsapp.net',
  ],
});

describe('WaAdapter', () => {
  it('CH4: is the one built-in type that allows ads and broadcast', () => {
    expect([...adapter.sources].sort()).toEqual(['admin', 'ads', 'broadcast', 'organic']);
  });

  it('takes no settings', () => {
    expect(adapter.validateConfig({ identifierType: 'phone' }).issues).toEqual([
      expect.objectContaining({ field: 'config.identifierType', code: 'unknown_field' }),
    ]);
  });
});
