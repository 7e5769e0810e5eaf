import { isValidTimeZone } from './settings.service';

describe('time zone names (FEATURES.md C8: the zone a filter reads its dates in; UI10: the time zone setting)', () => {
  it('takes an IANA zone every time it is asked, and refuses a name that is none, every time', () => {
    for (let i = 0; i < 3; i++) {
      expect(isValidTimeZone('Asia/Jakarta')).toBe(true);
      expect(isValidTimeZone('UTC')).toBe(true);
      expect(isValidTimeZone('Asia/Atlantis')).toBe(false);
      expect(isValidTimeZone('')).toBe(false);
      expect(isValidTimeZone(`Asia/${'x'.repeat(70)}`)).toBe(false);
    }
  });

  it('still judges new names after many valid spellings were seen', () => {
    const spellings = ['asia/jakarta', 'ASIA/JAKARTA', 'Asia/jakarta', 'asia/Jakarta'];
    for (let i = 0; i < 3000; i++) isValidTimeZone(spellings[i % spellings.length]);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });
});
