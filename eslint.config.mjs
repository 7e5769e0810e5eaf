// Lint: typescript-eslint's recommended rules, plus the module boundaries of DESIGN.md "Layout":
// libs import each other only through `@cdp/<lib>` (its src/index.ts), and only in the allowed direction.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const deepImport = {
  group: ['@cdp/*/*', '**/libs/*/src/**', '**/libs/*/src'],
  message: 'Import another lib only via @cdp/<name> (its index.ts).',
};

// Who may import whom (DESIGN.md): platform, access and channels are leaves on the domain side.
const allowed = {
  platform: [],
  access: ['platform'],
  channels: ['platform', 'access'],
  customers: ['platform', 'access', 'channels'],
  merge: ['platform', 'access', 'channels', 'customers'],
  activities: ['platform', 'access', 'channels', 'customers', 'merge'],
  groups: ['platform', 'access', 'channels', 'customers', 'merge'],
  webhooks: ['platform', 'access', 'channels', 'customers', 'merge', 'activities', 'groups'],
  privacy: ['platform', 'access', 'channels', 'customers', 'merge', 'activities', 'groups'],
  analytics: ['platform', 'access', 'channels', 'customers', 'merge', 'activities', 'groups'],
};
const libs = Object.keys(allowed);

// Who owns customer rows (DESIGN.md): only libs/customers names its tables in SQL; other libs ask it through
// its public face. A statement (a template or string) reading or writing one of them elsewhere fails the lint.
const CUSTOMER_TABLES = ['customers', 'customer_activity'];
const namesCustomerTable = `/\\b(from|join|update|into)\\s+(${CUSTOMER_TABLES.join('|')})\\b/i`;
const customerTablesRule = {
  message: 'SQL over the customers tables belongs to libs/customers: ask it through @cdp/customers (DESIGN.md "Who owns customer rows").',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'bench/.work/**',
      'scripts/**',
      '*.config.js',
      'apps/console/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['libs/**/*.ts', 'apps/api/src/**/*.ts'],
    ignores: ['libs/customers/**', 'apps/api/src/migrations/**', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `TemplateElement[value.raw=${namesCustomerTable}]`, ...customerTablesRule },
        { selector: `Literal[value=${namesCustomerTable}]`, ...customerTablesRule },
      ],
    },
  },
  ...libs.map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepImport,
            ...(libs.filter((l) => l !== lib && !allowed[lib].includes(l)).length
              ? [
                  {
                    group: libs.filter((l) => l !== lib && !allowed[lib].includes(l)).map((l) => `@cdp/${l}`),
                    message: `libs/${lib} may import only ${allowed[lib].map((l) => '@cdp/' + l).join(', ') || 'no other lib'} (DESIGN.md dependency direction).`,
                  },
                ]
              : []),
            { group: ['**/apps/**'], message: 'Libs never import the composition root.' },
          ],
        },
      ],
    },
  })),
);
