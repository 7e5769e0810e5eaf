import { ESLint } from 'eslint';
import { join } from 'node:path';

// The lint is where the layout of DESIGN.md is enforced; these prove the rules fire, so a change to the
// config that silences one fails here.
describe('architecture rules of the lint (DESIGN.md "Who owns customer rows", "Layout")', () => {
  const eslint = new ESLint({ cwd: join(__dirname, '..', '..', '..') });
  const problems = async (code: string, file: string) =>
    (await eslint.lintText(code, { filePath: join(__dirname, '..', '..', '..', file) }))[0].messages.map((m) => m.message);
  const statement = "import { sql } from '@cdp/platform';\nexport const q = sql`select id from customers where app_id = ${'a'}`;\n";

  it('SQL naming the customers table outside libs/customers fails the lint', async () => {
    for (const file of ['libs/merge/src/probe.ts', 'libs/groups/src/probe.repository.ts', 'apps/api/src/cli/probe.ts'])
      expect(await problems(statement, file)).toEqual([expect.stringContaining('belongs to libs/customers')]);
    expect(
      await problems("export const q = 'UPDATE customer_activity SET last_activity_at = now()';\n", 'libs/activities/src/probe.ts'),
    ).toEqual([expect.stringContaining('belongs to libs/customers')]);
  });

  it('the same SQL inside libs/customers is its owner speaking', async () => {
    expect(await problems(statement, 'libs/customers/src/probe.repository.ts')).toEqual([]);
  });

  it('a deep import of another lib fails the lint', async () => {
    // The probe is written in pieces so that it is only ever a string here, never an import of this file.
    const deep = ['@cdp', 'customers', 'customers.service'].join('/');
    expect(await problems(`export { CustomersService } from '${deep}';\n`, 'libs/merge/src/probe.ts')).toEqual([
      expect.stringContaining('Import another lib only via @cdp/<name>'),
    ]);
  });
});
