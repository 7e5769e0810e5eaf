import { Anchor, Card, Checkbox, Code, Group, MultiSelect, SegmentedControl, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ok, type CustomerDetail } from '../api/client';
import { useActivityTypes, useApi } from '../context';
import { ProblemAlert } from './Problem';
import { LoadMore } from './LoadMore';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 1));

/** UI8 "Activity": newest first; types, a date range or one day, and the linked customers' too. */
export function ActivityTab({ customer }: { customer: CustomerDetail }) {
  const api = useApi();
  const types = useActivityTypes();
  const [chosen, setChosen] = useState<string[]>([]);
  const [oneDay, setOneDay] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [on, setOn] = useState('');
  const [linked, setLinked] = useState(false);
  const query = {
    ...(chosen.length ? { types: chosen } : {}),
    ...(oneDay ? (on ? { on } : {}) : { ...(from ? { from } : {}), ...(to ? { to } : {}) }),
    scope: linked ? ('linked' as const) : ('self' as const),
    limit: 20,
  };
  const items = useInfiniteQuery({
    queryKey: ['customers', 'activities', customer.id, query],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/customers/{id}/activities', {
          params: { path: { id: customer.id }, query: { ...query, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = items.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <MultiSelect
          label="Activity types"
          placeholder="All types"
          data={(types.data ?? []).map((t) => ({ value: t.key, label: t.name }))}
          value={chosen}
          onChange={setChosen}
          w={280}
          clearable
        />
        <Checkbox label="One day" checked={oneDay} onChange={(e) => setOneDay(e.currentTarget.checked)} mb={8} />
        {oneDay ? (
          <TextInput type="date" label="Day" value={on} onChange={(e) => setOn(e.currentTarget.value)} />
        ) : (
          <>
            <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </>
        )}
        <Switch label="Include linked customers" checked={linked} onChange={(e) => setLinked(e.currentTarget.checked)} mb={8} />
      </Group>
      <ProblemAlert error={items.error} onRetry={() => void items.refetch()} />
      {items.isSuccess && rows.length === 0 && <Text size="sm">No activity in this selection.</Text>}
      <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Activities">
        {rows.map((a) => (
          <li key={a.id}>
            <Card withBorder padding="xs">
              <Group justify="space-between">
                <Text fw={600} size="sm">
                  {a.typeName}
                </Text>
                <Text size="xs" c="dimmed">
                  {new Date(a.occurredAt).toLocaleString()}
                </Text>
              </Group>
              {Object.keys(a.data).length > 0 && <Code block>{JSON.stringify(a.data)}</Code>}
            </Card>
          </li>
        ))}
      </Stack>
      <LoadMore list={items} />
    </Stack>
  );
}

/** UI8 "Conversations History": "Ongoing" and "Resolved", each with its information, notes and the inbox link. */
export function ConversationsTab({ customer }: { customer: CustomerDetail }) {
  const api = useApi();
  const [status, setStatus] = useState<'ongoing' | 'resolved'>('ongoing');
  const list = useInfiniteQuery({
    queryKey: ['customers', 'conversations', customer.id, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/customers/{id}/conversations', {
          params: { path: { id: customer.id }, query: { status, limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <SegmentedControl
        aria-label="Conversation status"
        value={status}
        onChange={(v) => setStatus(v as 'ongoing' | 'resolved')}
        data={[
          { value: 'ongoing', label: 'Ongoing' },
          { value: 'resolved', label: 'Resolved' },
        ]}
        w={260}
      />
      <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isSuccess && rows.length === 0 && <Text size="sm">No {status} conversations.</Text>}
      {rows.map((c) => (
        <Card key={c.id} withBorder padding="sm" component="article" aria-label={`Conversation ${c.roomId}`}>
          <Group justify="space-between">
            <Text fw={600} size="sm">
              Room {c.roomId}
            </Text>
            <Text size="xs" c="dimmed">
              {new Date(c.startedAt).toLocaleString()}
              {c.resolvedAt ? ` – ${new Date(c.resolvedAt).toLocaleString()}` : ''}
            </Text>
          </Group>
          {c.lastMessage && <Text size="sm">{c.lastMessage}</Text>}
          <Text size="sm" fw={600} mt="xs">
            Additional Information
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {show(c.additionalInfo)}
          </Text>
          <Text size="sm" fw={600} mt="xs">
            Notes
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {show(c.notes)}
          </Text>
          <Anchor href={c.inboxUrl} target="_blank" rel="noreferrer" mt="xs" size="sm">
            Go To Inbox
          </Anchor>
        </Card>
      ))}
      <LoadMore list={list} />
    </Stack>
  );
}
