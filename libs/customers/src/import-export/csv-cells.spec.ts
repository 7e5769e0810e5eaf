import { escapeCell, needsFormulaEscape, unescapeCell } from './csv-cells';

describe('formula-injection escaping (IE5)', () => {
  it.each(['=1+1', '@SUM(A1)', '\tx', '\rx', '+cmd|x', '-2+3+cmd', '-', '+'])('IE5: %j is escaped with a leading quote', (v) => {
    expect(needsFormulaEscape(v)).toBe(true);
    expect(escapeCell(v)).toBe(`'${v}`);
  });

  it.each(['Budi', '+6281234567890', '+62 812-3456-7890', '+1 (555) 010-9999', '-42', '+3.5', '-1e5', '', "'=quoted already", 'a=b'])(
    'IE5: %j is written as it is',
    (v) => expect(escapeCell(v)).toBe(v),
  );

  it.each(['=HYPERLINK("x")', '-abc', "'plain", '+6281234567890', "''=x", '@x', '\t', 'x'])(
    'IE4: import undoes exactly the escaping of %j',
    (v) => {
      expect(unescapeCell(escapeCell(v))).toBe(v);
    },
  );

  it('IE4: a leading quote before text that never needed escaping is kept', () => {
    expect(unescapeCell("'Ali")).toBe("'Ali");
    expect(unescapeCell("'+6281234567890")).toBe("'+6281234567890");
  });
});
