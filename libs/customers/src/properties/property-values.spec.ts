import { checkPropertyValues, isIsoDate, isReservedPropertyKey, type PropertyDefinition } from './property-values';

const defs = new Map<string, PropertyDefinition>(
  [
    { key: 'city', label: 'City', type: 'select', options: ['Jakarta', 'Bandung'] },
    { key: 'vip', label: 'VIP', type: 'boolean' },
    { key: 'birthday', label: 'Birthday', type: 'date' },
    { key: 'ltv', label: 'Lifetime value', type: 'number' },
    { key: 'note', label: 'Note', type: 'text' },
  ].map((d) => [d.key, d as PropertyDefinition]),
);

describe('customer property values (C10, C11)', () => {
  it('C11: accepts values that fit their definition and treats null as removal', () => {
    const r = checkPropertyValues(
      defs,
      { city: 'Jakarta', vip: true, birthday: '1990-02-28', ltv: 12.5, note: 'hi', tier: null },
      'properties',
    );
    expect(r.issues.map((i) => i.field)).toEqual(['properties.tier']);
    expect(r.set).toEqual({ city: 'Jakarta', vip: true, birthday: '1990-02-28', ltv: 12.5, note: 'hi' });
    const n = checkPropertyValues(defs, { city: null, vip: null });
    expect(n).toEqual({ set: {}, remove: ['city', 'vip'], issues: [] });
  });

  it('C11: refuses wrong types, naming properties.<key>', () => {
    const r = checkPropertyValues(defs, { city: 'Surabaya', vip: 'yes', birthday: '2026-02-30', ltv: '12', note: 'x'.repeat(1001) });
    expect(r.issues.map((i) => i.field).sort()).toEqual([
      'properties.birthday',
      'properties.city',
      'properties.ltv',
      'properties.note',
      'properties.vip',
    ]);
    expect(r.issues.every((i) => i.code === 'invalid_property_value')).toBe(true);
    expect(checkPropertyValues(defs, { ltv: Number.POSITIVE_INFINITY }).issues).toHaveLength(1);
    expect(checkPropertyValues(defs, ['a']).issues[0].field).toBe('properties');
  });

  it('C11: real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-9')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
  });

  it('C11: built-in field names are reserved in any case', () => {
    expect(isReservedPropertyKey('PhoneNumber')).toBe(true);
    expect(isReservedPropertyKey('lastactivityat')).toBe(true);
    expect(isReservedPropertyKey('city')).toBe(false);
  });
});
