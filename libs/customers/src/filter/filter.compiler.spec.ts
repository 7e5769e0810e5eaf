import { sql } from '@cdp/platform';
import { FilterConditionRegistry } from './filter-condition.registry';
import { CustomerFilterCompiler } from './filter.compiler';
import type { ValidatedFilter } from './filter.types';

const base: ValidatedFilter = {
  __validated: true,
  channelIds: [],
  channelTypes: [],
  sources: [],
  platforms: [],
  tags: [],
  consent: [],
  contributed: [],
  timezone: 'UTC',
};
const compiler = (registry = new FilterConditionRegistry()) => new CustomerFilterCompiler(registry);

describe('CustomerFilterCompiler', () => {
  it('an empty filter matches everything', () => {
    expect(compiler().compile('app', base).text).toBe('true');
  });

  it('user text never enters the SQL text: search terms and property keys and values are parameters', () => {
    const evil = "'; drop table customers; --";
    const q = compiler().compile('app', {
      ...base,
      search: { term: `${evil}%_\\`, prefix: false },
      tags: [evil],
      properties: { match: 'all', conditions: [{ key: evil, type: 'text', operator: 'contains', value: evil }] },
    });
    expect(q.text).not.toContain('drop');
    expect(q.values).toContain(`${evil}\\%\\_\\\\`);
    expect(q.values).toContain(evil);
  });

  it('C4: long terms are substrings, terms of 1–2 characters a prefix of search_text (the folded name)', () => {
    expect(compiler().compile('app', { ...base, search: { term: 'bud', prefix: false } }).text).toContain("like ('%' || ? || '%')");
    expect(compiler().compile('app', { ...base, search: { term: 'bu', prefix: true } }).text).toContain("like (? || '%')");
  });

  it('C6: with match all, every eq merges into one containment (PERFORMANCE.md rule 3); any ORs the conditions', () => {
    const all = compiler().compile('app', {
      ...base,
      properties: {
        match: 'all',
        conditions: [
          { key: 'city', type: 'text', operator: 'eq', value: 'Jakarta' },
          { key: 'tier', type: 'select', operator: 'eq', value: 'gold' },
          { key: 'age', type: 'number', operator: 'gt', value: 30 },
        ],
      },
    });
    expect(all.text.match(/@>/g)).toHaveLength(1);
    expect(all.values).toContain(JSON.stringify({ city: 'Jakarta', tier: 'gold' }));
    expect(all.text).toContain(' and ');
    const any = compiler().compile('app', {
      ...base,
      properties: {
        match: 'any',
        conditions: [
          { key: 'city', type: 'text', operator: 'eq', value: 'A' },
          { key: 'city', type: 'text', operator: 'eq', value: 'B' },
        ],
      },
    });
    expect(any.text.match(/@>/g)).toHaveLength(2);
    expect(any.text).toContain(' or ');
  });

  it('C5: instances and types OR together; other keys AND', () => {
    const q = compiler().compile('app', {
      ...base,
      channelIds: ['018f0000-0000-7000-8000-000000000000'],
      channelTypes: ['wa'],
      linked: false,
    });
    expect(q.text).toMatch(/c\.channel_id = any\(.*\) or c\.channel_id in \(select/);
    expect(q.text).toContain(') and (c.profile_id is null)');
  });

  it('contributed conditions compile through the registry with the filter time zone', () => {
    const registry = new FilterConditionRegistry();
    const seen: unknown[] = [];
    registry.register<{ types: string[] }>('activity', {
      compile: (appId, value, ctx) => {
        seen.push([appId, value, ctx.timezone]);
        return sql`c.id in (select 1 where ${value.types[0]} = 'x')`;
      },
    });
    const q = compiler(registry).compile('app', {
      ...base,
      timezone: 'Asia/Jakarta',
      contributed: [{ key: 'activity', value: { types: ['purchase.completed'] } }],
    });
    expect(q.text).toBe("(c.id in (select 1 where ? = 'x'))");
    expect(seen).toEqual([['app', { types: ['purchase.completed'] }, 'Asia/Jakarta']]);
    expect(() => registry.register('activity', { compile: () => sql`true` })).toThrow(/already registered/);
  });
});
