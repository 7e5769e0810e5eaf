import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ok, type Schemas } from '../api/client';
import { useApi, useChannels } from '../context';
import { ProblemAlert } from './Problem';
import { LoadMore } from './LoadMore';

type Suppression = Schemas['SuppressionDto'];

const KIND_LABELS: Record<Suppression['kind'], string> = { identity: 'Channel identity', email: 'E-mail', phone: 'Phone number' };
const WHAT_RETURNS: Record<Suppression['kind'], string> = {
  identity: 'a customer with this channel and identifier',
  email: 'a customer with this e-mail address',
  phone: 'a customer with this phone number',
};

/**
 * UI10 the suppressions erasures left (X10, admins): only their kind, channel, when and who — the values are
 * kept as keyed hashes, so there is nothing readable to show. "Lift" (with a confirmation) lets the person be
 * added again.
 */
export function Suppressions() {
  const api = useApi();
  const qc = useQueryClient();
  const channels = useChannels();
  const [lifting, setLifting] = useState<Suppression | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['suppressions'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.GET('/v1/suppressions', { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const lift = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/v1/suppressions/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      setLifting(null);
      await qc.invalidateQueries({ queryKey: ['suppressions'] });
    },
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const channelName = (id: string | null) => (id ? (channels.data?.find((c) => c.id === id)?.name ?? 'A removed channel') : 'Any channel');
  return (
    <Stack maw={900}>
      <Text size="sm" c="dimmed">
        An erased customer leaves suppressions of its channel identity, e-mail and phone number (kept only as keyed hashes), so no import,
        event or new customer brings the person back. Lift one to let the person be added again.
      </Text>
      <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isSuccess && rows.length === 0 && <Text>No suppressions.</Text>}
      {rows.length > 0 && (
        <Table striped>
          <caption style={{ position: 'absolute', left: -10000 }}>Suppressions</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Erased</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>
                <span style={{ position: 'absolute', left: -10000 }}>Action</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{KIND_LABELS[s.kind]}</Table.Td>
                <Table.Td>{s.kind === 'identity' ? channelName(s.channelId) : 'Any channel'}</Table.Td>
                <Table.Td>{new Date(s.createdAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  {s.actor.role} {s.actor.userId}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={`Lift ${KIND_LABELS[s.kind]} suppression of ${new Date(s.createdAt).toLocaleString()}`}
                    onClick={() => {
                      lift.reset();
                      setLifting(s);
                    }}
                  >
                    Lift
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <LoadMore list={list} />
      <Modal opened={!!lifting} onClose={() => setLifting(null)} title="Lift suppression">
        {lifting && (
          <Stack>
            <Alert color="yellow">
              The {KIND_LABELS[lifting.kind].toLowerCase()} suppression (
              {channelName(lifting.kind === 'identity' ? lifting.channelId : null)}) will be lifted: {WHAT_RETURNS[lifting.kind]} can be
              added again, by hand, by an import or by events.
            </Alert>
            <ProblemAlert error={lift.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setLifting(null)}>
                Cancel
              </Button>
              <Button color="red" onClick={() => lift.mutate(lifting.id)} loading={lift.isPending}>
                Lift suppression
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
