/**
 * The channel adapter conformance kit: one Jest suite every adapter runs, built-in or from a plugin,
 * with its own examples. Import it from `@cdp/channel-testing` in the adapter's spec:
 *
 * ```ts
 * describeChannelAdapterContract(new ViberAdapter(), {
 *   valid: [{ input: ' 01234ABCD ', normalized: '01234abcd' }],
 *   invalid: ['not-a-viber-id'],
 * });
 * ```
 */
import 'reflect-metadata';
import fc from 'fast-check';
import {
  CHANNEL_TYPE_PATTERN,
  CUSTOMER_SOURCES,
  ChannelPlugin,
  JUNK_IDENTIFIERS,
  MAX_IDENTIFIER_LENGTH,
  REQUIRED_SOURCES,
  checkIdentifierWith,
  type ChannelAdapter,
  type ChannelConfig,
  type IdentifierCheckContext,
} from '@cdp/channels';

export interface ValidIdentifierExample {
  input: string;
  /** What the adapter must turn `input` into. */
  normalized: string;
  /** Overrides the suite's context for this example (e.g. another default country). */
  ctx?: IdentifierCheckContext;
}

export interface ChannelAdapterContractOptions {
  /** The raw config the examples are checked under (validated by the adapter first); default: no config. */
  config?: unknown;
  /** Default `{ defaultCountry: 'ID' }`. */
  ctx?: IdentifierCheckContext;
  /** A name for this run, when an adapter runs the kit under several configs. */
  label?: string;
  valid: ValidIdentifierExample[];
  /** Inputs the adapter must refuse (junk values are checked by the kit itself). */
  invalid: string[];
}

/** Placeholders every channel type must refuse (FEATURES.md X5), in the shapes integrations send them. */
export const JUNK_SAMPLES: readonly string[] = [
  ...JUNK_IDENTIFIERS,
  'NULL',
  'Undefined',
  ' guest ',
  'ANONYMOUS',
  '[object Object]',
  'NaN',
  'None',
  '00',
  '000',
  '0000000',
  '+0',
  '',
  '   ',
  'x'.repeat(MAX_IDENTIFIER_LENGTH + 1),
];

export function describeChannelAdapterContract(adapter: ChannelAdapter, opts: ChannelAdapterContractOptions): void {
  const ctx: IdentifierCheckContext = opts.ctx ?? { defaultCountry: 'ID' };
  const title = `channel adapter contract: ${adapter.type}${opts.label ? ` (${opts.label})` : ''}`;

  describe(title, () => {
    const defaults = adapter.validateConfig(undefined);
    const configured = adapter.validateConfig(opts.config);
    const config: ChannelConfig = configured.config;
    const check = (raw: unknown, c: IdentifierCheckContext = ctx) => checkIdentifierWith(adapter, raw, config, c);

    describe('declaration', () => {
      it('has a type key of 2 to 32 lower-case letters, digits, - or _', () => {
        expect(adapter.type).toMatch(CHANNEL_TYPE_PATTERN);
      });

      it('is marked with @ChannelPlugin of the same type', () => {
        expect(Reflect.getMetadata(ChannelPlugin.KEY, adapter.constructor)).toMatchObject({ type: adapter.type });
      });

      it('has a display name and an identifier description with an example', () => {
        expect(adapter.name.trim()).not.toBe('');
        expect(adapter.identifier.description.trim()).not.toBe('');
        expect(adapter.identifier.example.trim()).not.toBe('');
      });

      it('CH4: allows the admin and organic sources', () => {
        for (const s of REQUIRED_SOURCES) expect(adapter.sources).toContain(s);
      });

      it('CH4: declares only known customer sources, each once', () => {
        for (const s of adapter.sources) expect(CUSTOMER_SOURCES).toContain(s);
        expect(new Set(adapter.sources).size).toBe(adapter.sources.length);
      });
    });

    describe('config', () => {
      it('fills defaults: no config and {} validate clean, to the same config', () => {
        expect(defaults.issues).toEqual([]);
        expect(adapter.validateConfig({})).toEqual({ config: defaults.config, issues: [] });
      });

      it('accepts its own output again, unchanged', () => {
        expect(adapter.validateConfig(defaults.config)).toEqual(defaults);
        expect(adapter.validateConfig(config)).toEqual({ config, issues: [] });
      });

      it('refuses an unknown key, naming it', () => {
        const { issues } = adapter.validateConfig({ ...defaults.config, notASetting: true });
        expect(issues.map((i) => i.field)).toContain('config.notASetting');
      });

      it.each([
        ['a string', 'phone'],
        ['a number', 42],
        ['an array', []],
        ['a boolean', true],
      ])('refuses %s as config', (_, raw) => {
        expect(adapter.validateConfig(raw).issues.length).toBeGreaterThan(0);
      });

      if (opts.config !== undefined)
        it('accepts the config the examples use', () => {
          expect(configured.issues).toEqual([]);
        });
    });

    describe('identifiers', () => {
      it('accepts its own example under the default config, as it is', () => {
        expect(checkIdentifierWith(adapter, adapter.identifier.example, defaults.config, ctx)).toEqual({
          identifier: adapter.identifier.example,
          issues: [],
        });
      });

      if (opts.valid.length)
        it.each(opts.valid.map((v) => [v.input, v.normalized, v.ctx] as const))('CH3: accepts %j as %j', (input, normalized, c) => {
          expect(check(input, c ?? ctx)).toEqual({ identifier: normalized, issues: [] });
          expect(adapter.validateIdentifier(normalized, config)).toEqual([]);
        });

      if (opts.valid.length)
        it.each(opts.valid.map((v) => [v.normalized, v.ctx] as const))('normalises idempotently: %j stays as it is', (normalized, c) => {
          expect(adapter.normalizeIdentifier(normalized, config, c ?? ctx)).toBe(normalized);
          expect(check(normalized, c ?? ctx).identifier).toBe(normalized);
        });

      if (opts.invalid.length)
        it.each(opts.invalid)('CH3: refuses %j with invalid_identifier', (input) => {
          const result = check(input);
          expect(result.identifier).toBeUndefined();
          expect(result.issues.length).toBeGreaterThan(0);
          for (const i of result.issues) expect(i).toMatchObject({ field: 'identifier', code: 'invalid_identifier' });
        });

      it.each(JUNK_SAMPLES.map((s) => [s]))('X5: refuses the junk identifier %j', (junk) => {
        const result = check(junk);
        expect(result.identifier).toBeUndefined();
        expect(result.issues[0]).toMatchObject({ field: 'identifier', code: 'invalid_identifier' });
      });

      it('X5: refuses what is not a string', () => {
        for (const raw of [null, undefined, 0, 123, {}, []]) expect(check(raw).issues[0]?.code).toBe('invalid_identifier');
      });

      it('names the field the caller asks for', () => {
        const field = 'rows[3].identifier';
        const bad = opts.invalid[0] ?? 'null';
        for (const i of check(bad, { ...ctx, field }).issues) expect(i.field).toBe(field);
      });

      it('never throws, and whatever it accepts is canonical (a fixed point)', () => {
        const phoneish = fc.stringMatching(/^[+0-9 ()-]{0,24}$/);
        const seeded = fc.constantFrom(...opts.valid.map((v) => v.input), ...opts.invalid, adapter.identifier.example);
        fc.assert(
          fc.property(fc.oneof(fc.string({ maxLength: 300 }), phoneish, seeded), (raw) => {
            const result = check(raw);
            if (result.identifier === undefined) return result.issues.length > 0;
            return result.issues.length === 0 && check(result.identifier).identifier === result.identifier;
          }),
          { numRuns: 300 },
        );
      });
    });
  });
}
