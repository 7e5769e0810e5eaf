import { checkIdentityGuardrails, isJunkIdentifier } from './identity-guardrails';

describe('identity guardrails', () => {
  const junk = ['null', 'NULL', 'undefined', '0', '-1', 'anonymous', 'Guest', '[object Object]', 'nan', 'NaN', 'none'];
  junk.push('000', '0000000', '+0', '-0');

  it.each(junk)('X5: %j is junk', (value) => {
    expect(isJunkIdentifier(value)).toBe(true);
    expect(checkIdentityGuardrails(` ${value} `).issues).toEqual([
      expect.objectContaining({ field: 'identifier', code: 'invalid_identifier' }),
    ]);
  });

  it.each(['1', '-2', '0812', '100', 'guest1', 'nullable', 'anonymous-cat', 'O0O'])('X5: %j is not junk', (value) => {
    expect(isJunkIdentifier(value)).toBe(false);
    expect(checkIdentityGuardrails(value)).toEqual({ value, issues: [] });
  });

  it('trims', () => {
    expect(checkIdentityGuardrails('  abc \n')).toEqual({ value: 'abc', issues: [] });
  });

  it('refuses empty, blank and over-long identifiers, and non-strings', () => {
    for (const raw of ['', '  ', 'x'.repeat(257), undefined, null, 42, {}])
      expect(checkIdentityGuardrails(raw).issues[0]?.code).toBe('invalid_identifier');
    expect(checkIdentityGuardrails('x'.repeat(256)).issues).toEqual([]);
  });

  it('names the field it is given', () => {
    expect(checkIdentityGuardrails('null', 'rows[2].identifier').issues[0].field).toBe('rows[2].identifier');
  });
});
