import { Button, Code, Group, Modal, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ok, type Schemas } from '../api/client';
import { useApi } from '../context';
import { ProblemAlert } from './Problem';
import { LoadMore } from './LoadMore';

type Rejection = Schemas['EventRejectionDto'];

export const VIA_LABELS: Record<Rejection['via'], string> = { events: 'Events API', segment: 'Segment' };

/** The payload as sent, indented when it is whole JSON (a payload cut at 32 KB is shown as it is). */
function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/**
 * UI10 "Rejected events": the dead-letter list of `GET /v1/event-rejections`, newest first, by "Load more".
 * It is a tab of Settings, next to API keys and webhooks, rather than a route of its own: like them it is for
 * admins only (the API answers admins only) and it is where an admin looks when an integration misbehaves;
 * a menu entry would show agents and supervisors a page they may not open.
 */
export function RejectedEvents() {
  const api = useApi();
  const [via, setVia] = useState<'' | Rejection['via']>('');
  const [open, setOpen] = useState<Rejection | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['event-rejections', via],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/event-rejections', {
          params: { query: { limit: 50, ...(via ? { via } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Text size="sm">Events and Segment messages the service refused, kept 30 days with the reason the sender was given.</Text>
      <Group align="flex-end" gap="xs">
        <NativeSelect
          label="Source"
          value={via}
          onChange={(e) => setVia(e.currentTarget.value as typeof via)}
          data={[
            { value: '', label: 'All sources' },
            { value: 'events', label: VIA_LABELS.events },
            { value: 'segment', label: VIA_LABELS.segment },
          ]}
        />
        <Button variant="default" onClick={() => void list.refetch()} loading={list.isRefetching && !list.isFetchingNextPage}>
          Refresh
        </Button>
      </Group>
      <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isSuccess && rows.length === 0 && <Text size="sm">No rejected events in the last 30 days.</Text>}
      {rows.length > 0 && (
        <Table striped>
          <caption style={{ position: 'absolute', left: -10000 }}>Rejected events</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Code</Table.Th>
              <Table.Th>Message</Table.Th>
              <Table.Th>Index</Table.Th>
              <Table.Th>Payload</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(r.receivedAt).toLocaleString()}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{VIA_LABELS[r.via]}</Table.Td>
                <Table.Td>
                  <Code>{r.code}</Code>
                </Table.Td>
                <Table.Td>{r.message}</Table.Td>
                <Table.Td>{r.index}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" aria-label={`View payload of item ${r.index}, ${r.code}`} onClick={() => setOpen(r)}>
                    View payload
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <LoadMore list={list} />
      <Modal opened={open !== null} onClose={() => setOpen(null)} title="Rejected payload" size="lg">
        {open && (
          <Stack gap="xs">
            <Text size="sm">
              {VIA_LABELS[open.via]}, item {open.index}, {new Date(open.receivedAt).toLocaleString()}: <Code>{open.code}</Code>{' '}
              {open.message}
            </Text>
            <Code block aria-label="Payload">
              {pretty(open.payload)}
            </Code>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
