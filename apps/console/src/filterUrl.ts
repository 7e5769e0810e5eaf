import type { CustomerFilter } from './api/client';

export const SORTS = [
  { value: '-createdAt', label: 'Newest' },
  { value: 'name', label: 'Name' },
  { value: '-lastActivityAt', label: 'Last activity' },
] as const;
export type Sort = (typeof SORTS)[number]['value'];

/** The applied filter, the search and the sort live in the address (`?filter=…&search=…&sort=…`). */
export function readListState(params: URLSearchParams): { filter: CustomerFilter; search: string; sort: Sort } {
  let filter: CustomerFilter = {};
  try {
    const raw = params.get('filter');
    if (raw) filter = JSON.parse(raw) as CustomerFilter;
  } catch {
    filter = {};
  }
  const sort = SORTS.find((s) => s.value === params.get('sort'))?.value ?? '-createdAt';
  return { filter, search: params.get('search') ?? '', sort };
}

export function writeListState(state: { filter: CustomerFilter; search: string; sort: Sort }): URLSearchParams {
  const p = new URLSearchParams();
  if (state.search) p.set('search', state.search);
  if (Object.keys(state.filter).length) p.set('filter', JSON.stringify(state.filter));
  if (state.sort !== '-createdAt') p.set('sort', state.sort);
  return p;
}

export const hasFilter = (f: CustomerFilter) => Object.keys(f).length > 0;
