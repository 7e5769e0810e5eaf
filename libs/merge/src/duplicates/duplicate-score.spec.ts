import { duplicateScore, orderReasons } from './duplicate-score';

describe('duplicate score', () => {
  it('X4: a shared phone or e-mail outweighs a similar name; more evidence scores higher', () => {
    const phone = duplicateScore(['same_phone'], null);
    const email = duplicateScore(['same_email'], null);
    const name = duplicateScore(['similar_name'], 0.8);
    const both = duplicateScore(['same_phone', 'same_email'], null);
    const all = duplicateScore(['same_phone', 'same_email', 'similar_name'], 1);
    expect(phone).toBe(0.9);
    expect(email).toBe(0.8);
    expect(name).toBeCloseTo(0.48, 3);
    expect(both).toBeGreaterThan(phone);
    expect(all).toBeGreaterThan(both);
    expect(all).toBeLessThanOrEqual(1);
    expect(duplicateScore(['similar_name'], Number.NaN)).toBe(0);
  });

  it('X4: reasons are listed strongest first, each once', () => {
    expect(orderReasons(['similar_name', 'same_email', 'same_phone', 'same_email'])).toEqual(['same_phone', 'same_email', 'similar_name']);
  });
});
