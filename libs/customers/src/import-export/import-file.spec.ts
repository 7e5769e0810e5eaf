import { ValidationFailedError } from '@cdp/platform';
import { ImportInvalidHeaderError, ImportTooManyRowsError } from './import-export.errors';
import { mapHeader, parseImportFile } from './import-file';

const file = (s: string) => Buffer.from(s, 'utf8');

describe('reading an import file (IE2, IE3)', () => {
  it('IE2: BOM, CRLF, quoted separators and line breaks; blank records dropped', () => {
    const parsed = parseImportFile(file('\ufeffname,identifier,channel_id,source\r\n"a,b","x\r\ny",c,wa\r\n\r\n , ,,\r\nd,e,f,g'), 'comma');
    expect(parsed.columns).toEqual(['name', 'identifier', 'channel_id', 'source']);
    expect(parsed.rows).toEqual([
      ['a,b', 'x\r\ny', 'c', 'wa'],
      ['d', 'e', 'f', 'g'],
    ]);
  });

  it('IE2: semicolons', () => {
    expect(parseImportFile(file('name;identifier;channel_id;source\n"a;b";1;c;wa\n'), 'semicolon').rows).toEqual([['a;b', '1', 'c', 'wa']]);
  });

  it('IE2: not UTF-8, or not CSV: validation_failed', () => {
    expect(() => parseImportFile(Buffer.from([0x6e, 0xff, 0x0a]), 'comma')).toThrow(ValidationFailedError);
    expect(() => parseImportFile(file('name,identifier,channel_id,source\n"open,1,2,3\n'), 'comma')).toThrow(ValidationFailedError);
  });

  it('IE3: 1,000 data rows pass, 1,001 do not', () => {
    const rows = (n: number) => 'name,identifier,channel_id,source\n' + 'a,1,c,wa\n'.repeat(n);
    expect(parseImportFile(file(rows(1000)), 'comma').rows).toHaveLength(1000);
    expect(() => parseImportFile(file(rows(1001)), 'comma')).toThrow(ImportTooManyRowsError);
  });

  it('IE3: header matched case-insensitively and trimmed, in any order; export-only columns ignored', () => {
    expect(mapHeader([' SOURCE', 'Channel_Id ', 'tags', 'identifier', 'Name', 'error'])).toEqual({
      source: 0,
      channel_id: 1,
      identifier: 3,
      name: 4,
    });
  });

  it('IE3: missing, unknown and repeated columns are named together', () => {
    try {
      mapHeader(['name', 'nick', 'name']);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ImportInvalidHeaderError);
      const e = err as ImportInvalidHeaderError;
      expect(e.errors.map((i) => i.code)).toEqual([
        'missing_column',
        'missing_column',
        'missing_column',
        'unknown_column',
        'repeated_column',
      ]);
      expect(e.message).toMatch(/identifier, channel_id, source.*nick.*name/);
    }
  });
});
