import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { TiktokAdapter } from './tiktok.adapter';

describeChannelAdapterContract(new TiktokAdapter(), {
  valid: [
    { input: '_000Hq2LzVb0Jd9yXkQ4rT8mW3nE5sA1', normalized: '_000Hq2LzVb0Jd9yXkQ4rT8mW3nE5sA1' },
    { input: ' ieAGHSbV0QeGmpLhF7YZ3Zvpfxf-6LxKwv0I ', normalized: 'ieAGHSbV0QeGmpLhF7YZ3Zvpfxf-6LxKwv0I' },
    { input: 'a+b/c=d-e_f.g', normalized: 'a+b/c=d-e_f.g' },
    { input: 'A'.repeat(128), normalized: 'A'.repeat(128) },
  ],
  invalid: ['A'.repeat(129), 'open id', 'open@id', 'id#1', 'ídentificador', 'a\tb'],
});

describe('TiktokAdapter', () => {
  it('keeps open ids case-sensitive', () => {
    expect(new TiktokAdapter().normalizeIdentifier(' AbC ')).toBe('AbC');
  });
});
