import { Badge, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ok, type CustomerDetail, type Schemas } from '../api/client';
import { useApi } from '../context';
import { ProblemAlert } from './Problem';

type Status = Schemas['ConsentDto']['status'];
type Source = NonNullable<Schemas['ConsentDto']['source']>;

/** The consent statuses in words (API.md "Consent": opted_in, opted_out, unknown). */
export const CONSENT_LABELS: Record<Status, string> = { opted_in: 'Opted in', opted_out: 'Opted out', unknown: 'Unknown' };
export const CONSENT_STATUSES = ['opted_in', 'opted_out', 'unknown'] as const;
// Filled, dark shades: white text keeps a 4.5:1 contrast.
const CONSENT_COLORS: Record<Status, string> = { opted_in: 'teal.9', opted_out: 'red.9', unknown: 'gray.7' };
const SOURCE_WORDS: Record<Source, string> = { api: 'the API', import: 'an import', event: 'an event', console: 'the console' };
const when = (t: string) => new Date(t).toLocaleString();

/**
 * UI6 the consent status of a customer on its channel (X9): the current status with when and how it was given,
 * a control to change it, and every change (the history, newest first).
 */
export function ConsentSection({ customer, refresh }: { customer: CustomerDetail; refresh: () => Promise<unknown> }) {
  const api = useApi();
  const current = customer.consent;
  const [status, setStatus] = useState<'opted_in' | 'opted_out'>(current.status === 'opted_in' ? 'opted_out' : 'opted_in');
  const [note, setNote] = useState('');
  const change = useMutation({
    mutationFn: () =>
      ok(
        api.PUT('/v1/customers/{id}/consent', {
          params: { path: { id: customer.id } },
          body: { status, source: 'console', ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: async (c) => {
      setNote('');
      setStatus(c.consent.status === 'opted_in' ? 'opted_out' : 'opted_in');
      await refresh();
    },
  });
  return (
    <Stack gap="xs" component="section" aria-labelledby="consent-heading">
      <Title order={2} size="h4" mt="sm" id="consent-heading">
        Consent
      </Title>
      <Group gap="xs" role="status" aria-label="Consent status">
        <Text size="sm" c="dimmed">
          Status:
        </Text>
        <Badge color={CONSENT_COLORS[current.status]} variant="filled">
          {CONSENT_LABELS[current.status]}
        </Badge>
        <Text size="sm" c="dimmed">
          {current.updatedAt
            ? `since ${when(current.updatedAt)}${current.source ? `, set by ${SOURCE_WORDS[current.source]}` : ''}`
            : 'never given or refused'}
        </Text>
      </Group>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate();
        }}
      >
        <Group gap="xs" align="flex-end">
          <NativeSelect
            label="Change consent to"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as 'opted_in' | 'opted_out')}
            data={[
              { value: 'opted_in', label: CONSENT_LABELS.opted_in },
              { value: 'opted_out', label: CONSENT_LABELS.opted_out },
            ]}
          />
          <TextInput label="Reason for the change" placeholder="Optional" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Button type="submit" loading={change.isPending}>
            Save consent
          </Button>
        </Group>
      </form>
      <ProblemAlert error={change.error} />
      <ConsentHistory customerId={customer.id} />
    </Stack>
  );
}

/** Every change of the consent, newest first; one older than the current status is kept but marked as not applied. */
function ConsentHistory({ customerId }: { customerId: string }) {
  const api = useApi();
  const history = useInfiniteQuery({
    queryKey: ['customers', 'consent-history', customerId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/customers/{id}/consent-history', {
          params: { path: { id: customerId }, query: { limit: 10, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = history.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600} id="consent-history-heading">
        Consent history
      </Text>
      <ProblemAlert error={history.error} onRetry={() => void history.refetch()} />
      {history.isSuccess && rows.length === 0 && <Text size="sm">No changes yet.</Text>}
      <Stack gap={2} component="ol" aria-labelledby="consent-history-heading" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {rows.map((h, i) => (
          <li key={`${h.at}-${i}`}>
            <Text size="sm">
              <Text span fw={600}>
                {CONSENT_LABELS[h.status]}
              </Text>{' '}
              on {when(h.at)} by {SOURCE_WORDS[h.source]}
              {h.actor ? ` (${h.actor.role} ${h.actor.userId})` : ''}
              {h.note ? ` — “${h.note}”` : ''}
              {!h.applied && (
                <Text span c="dimmed">
                  {' '}
                  (older than the status then held, so not applied)
                </Text>
              )}
            </Text>
          </li>
        ))}
      </Stack>
      {history.hasNextPage && (
        <Button size="xs" variant="default" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
          More consent history
        </Button>
      )}
    </Stack>
  );
}
