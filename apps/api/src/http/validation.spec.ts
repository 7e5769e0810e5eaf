import 'reflect-metadata';
import { Expose, Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional } from 'class-validator';
import { ItemsCheckedByHandler, ValidationFailedError } from '@cdp/platform';
import { validationPipe } from './validation';

class ListQuery {
  @IsOptional()
  @IsIn(['a', 'b'])
  sort?: string;

  @IsOptional()
  seen: string[] = [];
}

class ExposedQuery {
  @IsOptional()
  @Expose()
  @Transform(({ value }) => value ?? 'by default')
  mode?: string;
}

const query = (metatype: new () => unknown) => ({ type: 'query' as const, metatype, data: undefined });

describe('the global validation pipe on empty inputs', () => {
  it('answers each empty query with a fresh instance of its class, sharing nothing between requests', async () => {
    const pipe = validationPipe();
    const first = (await pipe.transform({}, query(ListQuery))) as ListQuery;
    const second = (await pipe.transform({}, query(ListQuery))) as ListQuery;
    expect(second).toBeInstanceOf(ListQuery);
    expect(second).not.toBe(first);
    second.seen.push('x');
    const third = (await pipe.transform({}, query(ListQuery))) as ListQuery;
    expect(third.seen).toEqual([]);
  });

  it('still judges every query with a key, after empty ones have passed', async () => {
    const pipe = validationPipe();
    await pipe.transform({}, query(ListQuery));
    await expect(pipe.transform({ sort: 'c' }, query(ListQuery))).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(pipe.transform({ color: 'red' }, query(ListQuery))).rejects.toBeInstanceOf(ValidationFailedError);
    expect(await pipe.transform({ sort: 'a' }, query(ListQuery))).toMatchObject({ sort: 'a' });
  });

  it('gives a class with exposed fields what class-transformer builds, every time', async () => {
    const pipe = validationPipe();
    for (let i = 0; i < 3; i++)
      expect(await pipe.transform({}, query(ExposedQuery))).toEqual(Object.assign(new ExposedQuery(), { mode: 'by default' }));
  });
});

@ItemsCheckedByHandler('items')
class BatchBody {
  @IsArray()
  items!: unknown[];

  @IsOptional()
  @IsIn(['a', 'b'])
  mode?: string;
}

const body = (metatype: new () => unknown) => ({ type: 'body' as const, metatype, data: undefined });

describe('the global validation pipe on a batch whose items the handler checks', () => {
  it('hands the items over as sent, bad ones included, for the handler to judge one by one', async () => {
    const items = [{ a: 1 }, 'not an object', { nested: { deep: [1, 2] } }];
    const out = (await validationPipe().transform({ items, mode: 'a' }, body(BatchBody))) as BatchBody;
    expect(out).toBeInstanceOf(BatchBody);
    expect(out.items).toBe(items);
    expect(out.mode).toBe('a');
  });

  it('still refuses a batch that is not an array, an unknown field and a bad sibling field', async () => {
    const pipe = validationPipe();
    for (const bad of [{ items: 'x' }, {}, { items: [], colour: 'red' }, { items: [{ a: 1 }], mode: 'c' }])
      await expect(pipe.transform(bad, body(BatchBody))).rejects.toBeInstanceOf(ValidationFailedError);
  });

  it('refuses a key named like a member every object has, outside the items only', async () => {
    const pipe = validationPipe();
    const items = [{ constructor: 1, valueOf: 2 }];
    expect(((await pipe.transform({ items }, body(BatchBody))) as BatchBody).items).toBe(items);
    for (const bad of [
      { items: [], toString: 'x' },
      { items: [], constructor: 'x' },
    ]) {
      const err = await pipe.transform(bad, body(BatchBody)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationFailedError);
      expect((err as ValidationFailedError).errors).toEqual([expect.objectContaining({ code: 'reserved_name' })]);
    }
    await expect(pipe.transform({ sort: 'a', hasOwnProperty: '1' }, query(ListQuery))).rejects.toBeInstanceOf(ValidationFailedError);
  });
});
