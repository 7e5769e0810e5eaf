/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell that a spreadsheet would read as a formula
 * is written with a leading `'`. Cells starting with `=`, `@`, a tab or a carriage return always are; cells
 * starting with `+` or `-` are unless they are a plain number or phone number (`+6281234567890`, `-12.5`),
 * which a spreadsheet shows as they are and which must stay readable. The import undoes exactly this
 * escaping, so an exported file imports back unchanged.
 */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;
// Digits with the usual phone punctuation and nothing a formula could call.
const PLAIN_PHONE = /^\+\d[\d ().-]*$/;

export function needsFormulaEscape(value: string): boolean {
  if (!value) return false;
  const first = value[0];
  if (first === '=' || first === '@' || first === '\t' || first === '\r') return true;
  if (first === '+' || first === '-') return !(PLAIN_NUMBER.test(value) || PLAIN_PHONE.test(value));
  return false;
}

export function escapeCell(value: string): string {
  return needsFormulaEscape(value) ? `'${value}` : value;
}

/** The value before `escapeCell`: the `'` is removed only when what follows would have needed it. */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && needsFormulaEscape(value.slice(1)) ? value.slice(1) : value;
}
