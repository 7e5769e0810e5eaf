import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ok, type CustomerFilter } from '../api/client';
import { useApi } from '../context';
import { CustomerTable, useSelection } from './CustomerTable';
import { ProblemAlert } from './Problem';
import { LoadMore } from './LoadMore';

const PAGE = 10;

/**
 * UI9 the group menu's "Add Customers": search the customers, check rows ("Add to group" with the number
 * checked) or take every customer the search matches ("Add All Result Filter"); they join this group. For the
 * full filter, the Customer List's own "Add to Existing Group" and "Add All Result Filter" lead here too.
 */
export function AddCustomersDialog(props: { groupId: string; groupName: string; onClose: () => void; onAdded: () => Promise<unknown> }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const { selected, select, clear } = useSelection();
  const filter: CustomerFilter = search ? { search } : {};
  const key = JSON.stringify(filter);
  const pages = useInfiniteQuery({
    queryKey: ['customers', 'pick', key],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.POST('/v1/customers/search', { body: { filter, sort: 'name', limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const count = useQuery({
    queryKey: ['customers', 'count', key],
    enabled: !!search,
    queryFn: () => ok(api.POST('/v1/customers/count', { body: { filter, limit: 10_000 } })),
  });
  const add = useMutation({
    mutationFn: (body: { customerIds: string[] } | { filter: CustomerFilter }) =>
      ok(api.POST('/v1/groups/{id}/members', { params: { path: { id: props.groupId } }, body })),
    onSuccess: async () => {
      clear();
      await props.onAdded();
    },
  });
  const rows = pages.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Modal opened onClose={props.onClose} title="Add Customers" size="xl">
      <Stack>
        <Text size="sm">Customers checked here, or every customer the search matches, join {props.groupName}.</Text>
        <form
          role="search"
          aria-label="Customers to add"
          onSubmit={(e) => {
            e.preventDefault();
            clear();
            setSearch(text.trim());
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput
              label="Search customer"
              placeholder="Name, e-mail, phone or identifier"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              w={300}
              data-autofocus
            />
            <Button type="submit" variant="default">
              Search
            </Button>
          </Group>
        </form>
        <ProblemAlert error={pages.error} onRetry={() => void pages.refetch()} />
        <CustomerTable rows={rows} selected={selected} onSelect={select} caption="Customers to add" />
        {pages.isSuccess && rows.length === 0 && <Text size="sm">No customers match.</Text>}
        <LoadMore list={pages} />
        <ProblemAlert error={add.error} />
        {add.data && (
          <Text role="status">
            Added {add.data.added} customers ({add.data.alreadyMembers} were already members); the group now has{' '}
            {add.data.memberCount.toLocaleString('en-US')} members.
          </Text>
        )}
        <Group justify="space-between">
          <Button variant="subtle" component={Link} to="/customers">
            Use the Customer List&apos;s filter instead
          </Button>
          <Group gap="xs">
            {search && (
              <Button
                variant="light"
                onClick={() => add.mutate({ filter })}
                loading={add.isPending && !('customerIds' in (add.variables ?? {}))}
              >
                Add All Result Filter{count.data ? ` (${count.data.count.toLocaleString('en-US')}${count.data.capped ? '+' : ''})` : ''}
              </Button>
            )}
            <Button
              onClick={() => add.mutate({ customerIds: [...selected] })}
              disabled={selected.size === 0}
              loading={add.isPending && 'customerIds' in (add.variables ?? {})}
            >
              Add to group ({selected.size})
            </Button>
            <Button variant="default" onClick={props.onClose}>
              Done
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
