import { Badge, Button, Drawer, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { ok, type CustomerFilter } from '../api/client';
import { CustomerTable, useSelection } from '../components/CustomerTable';
import { LoadMore } from '../components/LoadMore';
import { ExportDialog } from '../components/ExportDialog';
import { FilterPanel } from '../components/FilterPanel';
import { AddToGroupDialog, CreateGroupDialog, type Audience } from '../components/GroupDialogs';
import { ImportDialog } from '../components/ImportDialog';
import { ProblemAlert } from '../components/Problem';
import { abilities, useApi, useSettings } from '../context';
import { hasFilter, readListState, SORTS, writeListState, type Sort } from '../filterUrl';
import { useSession } from '../session';

const PAGE = 25;
const COUNT_CAP = 10_000;

type Dialog = null | 'filter' | 'import' | 'export' | 'create' | 'add' | 'create-filter' | 'add-filter';

/** UI2 the Customer List: search, sort, the filter (in the address), selection and the actions they feed. */
export default function CustomerList() {
  const api = useApi();
  const { claims } = useSession();
  const settings = useSettings();
  const can = abilities(claims!, settings.data);
  const [params, setParams] = useSearchParams();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const { filter, search, sort } = readListState(params);
  const [searchText, setSearchText] = useState(search);
  const { selected, select, clear } = useSelection();
  const [dialog, setDialog] = useState<Dialog>(null);
  useEffect(() => setSearchText(search), [search]);

  const full: CustomerFilter = useMemo(() => ({ ...filter, ...(search ? { search } : {}) }), [filter, search]);
  const key = JSON.stringify(full);
  const pages = useInfiniteQuery({
    queryKey: ['customers', 'list', key, sort],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.POST('/v1/customers/search', { body: { filter: full, sort, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const count = useQuery({
    queryKey: ['customers', 'count', key],
    queryFn: () => ok(api.POST('/v1/customers/count', { body: { filter: full, limit: COUNT_CAP } })),
  });
  const rows = pages.data?.pages.flatMap((p) => p.data) ?? [];

  const go = (next: { filter?: CustomerFilter; search?: string; sort?: Sort }) => {
    clear();
    setParams(writeListState({ filter, search, sort, ...next }));
  };
  const checked: Audience = { customerIds: [...selected] };
  const byFilter: Audience = { filter: full };
  const filtered = hasFilter(full);
  const activeKeys = Object.keys(filter).length;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Customers</Title>
        <Group gap="xs">
          {can.importExport && (
            <Button variant="default" onClick={() => setDialog('import')}>
              Import
            </Button>
          )}
          {can.importExport && (
            <Button variant="default" onClick={() => setDialog('export')}>
              Export
            </Button>
          )}
        </Group>
      </Group>
      <Group align="flex-end" gap="sm">
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            go({ search: searchText.trim() });
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput
              label="Search customer"
              placeholder="Name, e-mail, phone or identifier"
              value={searchText}
              onChange={(e) => setSearchText(e.currentTarget.value)}
              w={300}
            />
            <Button type="submit" variant="default">
              Search
            </Button>
          </Group>
        </form>
        <NativeSelect
          label="Sort by"
          value={sort}
          onChange={(e) => go({ sort: e.currentTarget.value as Sort })}
          data={SORTS.map((s) => ({ ...s }))}
        />
        <Button variant={activeKeys ? 'filled' : 'default'} onClick={() => setDialog('filter')}>
          Filter{activeKeys ? ` (${activeKeys})` : ''}
        </Button>
      </Group>
      <Group gap="xs" mih={36}>
        <Text role="status" aria-live="polite" fw={600}>
          {count.data ? `${count.data.count.toLocaleString('en-US')}${count.data.capped ? '+' : ''} customers` : 'Counting…'}
        </Text>
        {selected.size > 0 && <Badge variant="light">{selected.size} selected</Badge>}
        {selected.size > 0 && (
          <>
            <Button size="xs" onClick={() => setDialog('create')}>
              Create Group ({selected.size})
            </Button>
            <Button size="xs" variant="light" onClick={() => setDialog('add')}>
              Add to Existing Group
            </Button>
          </>
        )}
        {filtered && selected.size === 0 && (
          <>
            <Button size="xs" variant="light" onClick={() => setDialog('create-filter')}>
              Group All Result Filter
            </Button>
            <Button size="xs" variant="light" onClick={() => setDialog('add-filter')}>
              Add All Result Filter
            </Button>
          </>
        )}
      </Group>
      {notice && <Text role="status">{notice}</Text>}
      <ProblemAlert error={pages.error} onRetry={() => void pages.refetch()} />
      <CustomerTable rows={rows} selected={selected} onSelect={select} caption="Customers" />
      {pages.isSuccess && rows.length === 0 && <Text>No customers match.</Text>}
      <LoadMore list={pages} justify="center" />

      <Drawer opened={dialog === 'filter'} onClose={() => setDialog(null)} title="Filter" position="right" size="lg">
        <FilterPanel
          value={filter}
          onApply={(f) => {
            setDialog(null);
            go({ filter: f });
          }}
        />
      </Drawer>
      {dialog === 'import' && <ImportDialog opened onClose={() => setDialog(null)} />}
      {dialog === 'export' && <ExportDialog opened onClose={() => setDialog(null)} filter={full} />}
      {dialog === 'create' && <CreateGroupDialog opened onClose={() => setDialog(null)} audience={checked} />}
      {dialog === 'create-filter' && <CreateGroupDialog opened onClose={() => setDialog(null)} audience={byFilter} />}
      {dialog === 'add' && <AddToGroupDialog opened onClose={() => setDialog(null)} audience={checked} title="Add to Existing Group" />}
      {dialog === 'add-filter' && (
        <AddToGroupDialog opened onClose={() => setDialog(null)} audience={byFilter} title="Add All Result Filter" />
      )}
    </Stack>
  );
}
