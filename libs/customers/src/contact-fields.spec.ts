import { checkEmail, checkPhone, normalizeTags, tagIssues } from './contact-fields';

describe('contact fields (C10)', () => {
  it('C10: phone numbers are kept in E.164; local input is read with the default country', () => {
    expect(checkPhone('0812 3456 7890', 'ID').value).toBe('+6281234567890');
    expect(checkPhone('+62 812-3456-7890', 'TH').value).toBe('+6281234567890');
    expect(checkPhone('081 234 5678', 'TH').value).toBe('+66812345678');
    expect(checkPhone('12', 'ID').issue?.code).toBe('invalid_phone_number');
    expect(checkPhone('call me', 'ID').issue?.field).toBe('phoneNumber');
  });

  it('C10: e-mail addresses are validated and lower-cased', () => {
    expect(checkEmail(' Budi.Santoso@Example.COM ').value).toBe('budi.santoso@example.com');
    expect(checkEmail('budi@').issue?.code).toBe('invalid_email');
  });

  it('C10: tags are trimmed and de-duplicated, at most 50 of at most 64 characters', () => {
    expect(normalizeTags([' vip ', 'vip', 'new', ' '])).toEqual(['vip', 'new']);
    expect(tagIssues(Array.from({ length: 51 }, (_, i) => `t${i}`))).toHaveLength(1);
    expect(tagIssues(['x'.repeat(65)])[0].field).toBe('tags[0]');
  });
});
