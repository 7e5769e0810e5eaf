import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ok } from '../api/client';
import { CreateGroupDialog } from '../components/GroupDialogs';
import { ProblemAlert } from '../components/Problem';
import { useApi } from '../context';
import { LoadMore } from '../components/LoadMore';

/** UI9 the groups: search, member counts, "Create Group". */
export default function Groups() {
  const api = useApi();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const groups = useInfiniteQuery({
    queryKey: ['groups', 'list', search],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/groups', {
          params: { query: { limit: 25, ...(search ? { search } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = groups.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Groups</Title>
        <Button onClick={() => setCreating(true)}>Create Group</Button>
      </Group>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(text.trim());
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput label="Search group" value={text} onChange={(e) => setText(e.currentTarget.value)} w={300} />
          <Button type="submit" variant="default">
            Search
          </Button>
        </Group>
      </form>
      <ProblemAlert error={groups.error} onRetry={() => void groups.refetch()} />
      <Table striped>
        <caption style={{ position: 'absolute', left: -10000 }}>Groups</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Group Name</Table.Th>
            <Table.Th>Descriptions</Table.Th>
            <Table.Th>Members</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((g) => (
            <Table.Tr key={g.id}>
              <Table.Td>
                <Anchor component={Link} to={`/groups/${g.id}`}>
                  {g.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{g.description ?? '—'}</Table.Td>
              <Table.Td>{g.memberCount.toLocaleString('en-US')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {groups.isSuccess && rows.length === 0 && (
        <Text>No groups yet. Check customers in the Customer List to group them, or create an empty group.</Text>
      )}
      <LoadMore list={groups} />
      {creating && <CreateGroupDialog opened onClose={() => setCreating(false)} />}
    </Stack>
  );
}
