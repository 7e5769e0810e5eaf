import { jsonDepth, MAX_JSON_DEPTH, nulFields } from './input';

describe('hostile-input checks (issue 11)', () => {
  it('jsonDepth counts nesting of arrays and objects, not brackets inside strings, and stops past the limit', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"[["}')).toBe(1);
    expect(jsonDepth('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(MAX_JSON_DEPTH);
    expect(jsonDepth('['.repeat(300_000) + ']'.repeat(300_000))).toBe(MAX_JSON_DEPTH + 1);
  });

  it('nulFields names the fields holding NUL, in values and in keys, at most ten', () => {
    expect(nulFields({ name: 'ok', tags: ['a', 'b\u0000'], properties: { city: 'x\u0000' } })).toEqual(['tags[1]', 'properties.city']);
    expect(nulFields({ 'we\u0000ird': 1 })).toEqual(['["we\\u0000ird"]']);
    expect(nulFields('\u0000')).toEqual(['(body)']);
    expect(nulFields({ list: Array.from({ length: 50 }, () => '\u0000') })).toHaveLength(10);
    expect(nulFields({ events: [{ a: '\u0000' }], b: '\u0000' }, '', (p) => p.startsWith('events['))).toEqual(['b']);
  });
});
