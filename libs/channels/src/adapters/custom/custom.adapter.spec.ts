import { describeChannelAdapterContract } from '@cdp/channel-testing';
import { CustomAdapter } from './custom.adapter';

const adapter = new CustomAdapter();

describeChannelAdapterContract(adapter, {
  label: 'text (default)',
  valid: [
    { input: 'member-10293', normalized: 'member-10293' },
    { input: '  Pelanggan Setia 7 ', normalized: 'Pelanggan Setia 7' },
    { input: 'Cafe\u0301', normalized: 'Caf\u00e9' },
    { input: 'ユーザー42', normalized: 'ユーザー42' },
    { input: 'x'.repeat(256), normalized: 'x'.repeat(256) },
  ],
  invalid: ['line\nbreak', 'tab\there', 'bell\u0007', 'sep\u2028arator'],
});

describeChannelAdapterContract(adapter, {
  label: 'text with a pattern',
  config: { identifierType: 'text', pattern: 'CUST-[0-9]{4,10}' },
  valid: [
    { input: 'CUST-0001', normalized: 'CUST-0001' },
    { input: ' CUST-1234567890 ', normalized: 'CUST-1234567890' },
  ],
  // The pattern is anchored: a match inside a longer text is not enough.
  invalid: ['CUST-001', 'XCUST-0001', 'CUST-0001X', 'cust-0001', 'CUST-12345678901'],
});

describeChannelAdapterContract(adapter, {
  label: 'phone',
  config: { identifierType: 'phone' },
  valid: [
    { input: '+62 812-3456-7890', normalized: '+6281234567890' },
    { input: '0812 3456 7890', normalized: '+6281234567890' },
  ],
  invalid: ['member-10293', '+628123'],
});

describeChannelAdapterContract(adapter, {
  label: 'email',
  config: { identifierType: 'email' },
  valid: [{ input: 'Budi@Example.com', normalized: 'budi@example.com' }],
  invalid: ['member-10293', 'budi@'],
});

describe('CustomAdapter config', () => {
  const field = (raw: unknown) => adapter.validateConfig(raw).issues.map((i) => `${i.field}:${i.code}`);

  it('defaults identifierType to text, without a pattern', () => {
    expect(adapter.validateConfig(undefined)).toEqual({ config: { identifierType: 'text' }, issues: [] });
  });

  it('keeps a valid pattern', () => {
    expect(adapter.validateConfig({ identifierType: 'text', pattern: '^[A-Z]{2}\\d{6}$' })).toEqual({
      config: { identifierType: 'text', pattern: '^[A-Z]{2}\\d{6}$' },
      issues: [],
    });
  });

  it('treats a null pattern as none', () => {
    expect(adapter.validateConfig({ pattern: null })).toEqual({ config: { identifierType: 'text' }, issues: [] });
  });

  it.each([
    ['a syntax error', '[a-z'],
    ['an empty pattern', ''],
    ['a pattern over 200 characters', 'a'.repeat(201)],
    ['nested repetition', '(a+)+'],
    ['nested bounded repetition', '(\\d{3}-){2}\\d{4}'],
    ['alternation inside a repeated group', '(a|a)*b'],
    ['alternation nested in a repeated group', '((ab|a)c)+'],
    ['a backreference', '(a)\\1'],
    ['a named backreference', '(?<x>a)\\k<x>'],
    ['too many unbounded quantifiers', 'a*a*a*a*b'],
    ['a non-string', 42],
  ])('refuses %s as config.pattern', (_, pattern) => {
    expect(field({ identifierType: 'text', pattern })).toEqual(['config.pattern:invalid_pattern']);
  });

  it.each([['\\p{L}{2}-\\d+'], ['(?:foo|bar)-\\d{3}'], ['\\u{1F600}{1,3}x'], ['[a-z|]+@[0-9]+'], ['(ab){1,200}']])(
    'accepts the safe pattern %s',
    (pattern) => {
      expect(field({ pattern })).toEqual([]);
    },
  );

  it('refuses unknown keys and identifier types', () => {
    expect(field({ identifierType: 'number', regex: 'x' })).toEqual(['config.regex:unknown_field', 'config.identifierType:invalid_option']);
  });

  it('applies a pattern to e-mail identifiers too', () => {
    const config = adapter.validateConfig({ identifierType: 'email', pattern: '[^@]+@example\\.com' }).config;
    expect(adapter.validateIdentifier('budi@example.com', config)).toEqual([]);
    expect(adapter.validateIdentifier('budi@other.com', config)).toHaveLength(1);
  });

  it('issue 11: bounded repeats cannot stall the matcher (seven a{0,16} and a b, against a×112 + "!")', () => {
    const pattern = 'a{0,16}'.repeat(7) + 'b';
    const config = adapter.validateConfig({ pattern }).config;
    expect(config.pattern).toBe(pattern);
    const started = Date.now();
    expect(adapter.validateIdentifier('a'.repeat(112) + '!', config)).toHaveLength(1);
    expect(adapter.validateIdentifier('a'.repeat(112) + 'b', config)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('refuses a pattern the linear-time matcher cannot run (lookaround)', () => {
    expect(field({ pattern: '(?=x)x+' })).toEqual(['config.pattern:invalid_pattern']);
    expect(field({ pattern: 'a(?!b)' })).toEqual(['config.pattern:invalid_pattern']);
  });

  it('does not hang on an adversarial identifier under the worst accepted pattern', () => {
    const config = adapter.validateConfig({ pattern: 'a*a*a*b' }).config;
    const started = Date.now();
    expect(adapter.validateIdentifier('a'.repeat(256), config)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
