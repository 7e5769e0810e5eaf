import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Fieldset,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, ok, type Schemas } from '../api/client';
import { useApi } from '../context';
import { fieldErrors, ProblemAlert } from './Problem';
import { LoadMore } from './LoadMore';

type Webhook = Schemas['WebhookDto'];
type EventChoice = Schemas['CreateWebhookDto']['events'][number];

/** Every event type a webhook can receive (API.md "Webhooks"); `*` stands for all of them, later ones included. */
export const WEBHOOK_EVENTS = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.erased',
  'customer.merged',
  'customer.unmerged',
  'customer.main_channel_changed',
  'customer.consent_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.members_added',
  'group.members_removed',
  'import.completed',
  'export.completed',
] as const satisfies readonly Exclude<EventChoice, '*'>[];
/** The contract's types this list lacks: none, or the console does not compile (the generated types are the API's). */
type Missing = Exclude<Exclude<EventChoice, '*'>, (typeof WEBHOOK_EVENTS)[number]>;
export const EVERY_EVENT_LISTED: [Missing] extends [never] ? true : Missing = true;

const hidden = { position: 'absolute', left: -10000 } as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** The URL field's message: a refused address (`webhook_url_not_allowed`) in the problem's own words. */
function urlError(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  if (error.problem?.code === 'webhook_url_not_allowed') return error.message;
  return fieldErrors(error).url;
}

/**
 * A signing secret, shown once: right after creation or rotation. Nothing keeps it (the API does not show
 * it again either), so closing this box is the last chance to copy it.
 */
export function SecretOnce({ secret, url, onDone }: { secret: string; url: string; onDone: () => void }) {
  return (
    <Alert color="blue" title={`Signing secret of ${url}`} role="status">
      <Stack gap="xs">
        <Group gap="xs" wrap="nowrap">
          <Code aria-label="Signing secret">{secret}</Code>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy secret'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm">This secret won&apos;t be shown again: copy it now to where your receiver verifies signatures.</Text>
        <Group>
          <Button size="xs" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * UI10 "Webhooks" (admins only, as the API is): the endpoints, their creation with the secret shown once,
 * enable/disable, secret rotation, deletion with a confirmation, and each endpoint's delivery log.
 */
export function Webhooks() {
  const api = useApi();
  const qc = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => ok(api.GET('/v1/webhooks')) });
  const refresh = () => qc.invalidateQueries({ queryKey: ['webhooks'] });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventChoice[]>([]);
  const [description, setDescription] = useState('');
  const [secret, setSecret] = useState<{ secret: string; url: string } | null>(null);
  const [confirm, setConfirm] = useState<{ kind: 'delete' | 'rotate'; hook: Webhook } | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/v1/webhooks', {
          body: { url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) },
        }),
      ),
    onSuccess: (created) => {
      setSecret({ secret: created.secret, url: created.url });
      setUrl('');
      setEvents([]);
      setDescription('');
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (v: { id: string; enabled: boolean }) =>
      ok(api.PATCH('/v1/webhooks/{id}', { params: { path: { id: v.id } }, body: { enabled: v.enabled } })),
    // The answer is the webhook as it now is: the switch shows it at once, the list is read again behind it.
    onSuccess: (updated) => {
      qc.setQueryData<Webhook[]>(['webhooks'], (list) => list?.map((h) => (h.id === updated.id ? updated : h)));
      void refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (hook: Webhook) => ok(api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id: hook.id } } })),
    onSuccess: (r, hook) => {
      setConfirm(null);
      setSecret({ secret: r.secret, url: hook.url });
    },
  });
  const remove = useMutation({
    mutationFn: (hook: Webhook) => ok(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.id } } })),
    onSuccess: (_, hook) => {
      setConfirm(null);
      if (logOf === hook.id) setLogOf(null);
      qc.setQueryData<Webhook[]>(['webhooks'], (list) => list?.filter((h) => h.id !== hook.id));
      void refresh();
    },
  });
  const test = useMutation({
    mutationFn: (hook: Webhook) => ok(api.POST('/v1/webhooks/{id}/test', { params: { path: { id: hook.id } } })),
    onSuccess: (_, hook) => {
      setLogOf(hook.id);
      void qc.invalidateQueries({ queryKey: ['webhooks', 'deliveries', hook.id] });
    },
  });
  const all = events.includes('*');
  const pick = (type: EventChoice, on: boolean) => setEvents(on ? [...events, type] : events.filter((e) => e !== type));
  const shown = hooks.data?.find((h) => h.id === logOf);
  const fieldMessage = urlError(create.error);

  return (
    <Stack maw={1000}>
      {secret && <SecretOnce secret={secret.secret} url={secret.url} onDone={() => setSecret(null)} />}
      <form
        aria-label="New webhook"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            New webhook
          </Title>
          <Group align="flex-start" gap="xs" grow>
            <TextInput
              label="Endpoint URL"
              placeholder="https://example.com/cdp-webhooks"
              value={url}
              onChange={(e) => {
                setUrl(e.currentTarget.value);
                if (create.error) create.reset();
              }}
              error={fieldMessage}
              required
            />
            <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          </Group>
          <Fieldset legend="Event types (the changes this endpoint is told of)" variant="unstyled">
            <Checkbox
              label="All events (those added later included)"
              checked={all}
              onChange={(e) => setEvents(e.currentTarget.checked ? ['*'] : [])}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing={4} mt="xs">
              {WEBHOOK_EVENTS.map((t) => (
                <Checkbox
                  key={t}
                  label={t}
                  disabled={all}
                  checked={all || events.includes(t)}
                  onChange={(e) => pick(t, e.currentTarget.checked)}
                />
              ))}
            </SimpleGrid>
          </Fieldset>
          <Group>
            <Button type="submit" loading={create.isPending} disabled={events.length === 0}>
              Create webhook
            </Button>
          </Group>
        </Stack>
      </form>
      <ProblemAlert error={fieldMessage ? null : create.error} />
      <ProblemAlert error={toggle.error ?? test.error} />
      <ProblemAlert error={hooks.error} onRetry={() => void hooks.refetch()} />
      {hooks.isSuccess && hooks.data.length === 0 && <Text size="sm">No webhooks yet.</Text>}
      {hooks.isSuccess && hooks.data.length > 0 && (
        <Table>
          <caption style={hidden}>Webhooks</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>Event types</Table.Th>
              <Table.Th>Enabled</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {hooks.data.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Text size="sm">{h.url}</Text>
                  {h.description && (
                    <Text size="xs" c="dimmed">
                      {h.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {h.events.map((e) => (
                      <Badge key={e} variant="light" tt="none">
                        {e === '*' ? 'All events' : e}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`Enabled: ${h.url}`}
                    checked={h.enabled}
                    disabled={toggle.isPending}
                    onChange={(e) => toggle.mutate({ id: h.id, enabled: e.currentTarget.checked })}
                  />
                  {h.disabledReason && (
                    <Text size="xs" c="dimmed">
                      {h.disabledReason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Button
                      size="xs"
                      variant={logOf === h.id ? 'filled' : 'default'}
                      aria-label={`Delivery log of ${h.url}`}
                      aria-pressed={logOf === h.id}
                      onClick={() => setLogOf(logOf === h.id ? null : h.id)}
                    >
                      Delivery log
                    </Button>
                    <Button size="xs" variant="default" aria-label={`Send test to ${h.url}`} onClick={() => test.mutate(h)}>
                      Send test
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Rotate secret of ${h.url}`}
                      onClick={() => setConfirm({ kind: 'rotate', hook: h })}
                    >
                      Rotate secret
                    </Button>
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      aria-label={`Delete ${h.url}`}
                      onClick={() => setConfirm({ kind: 'delete', hook: h })}
                    >
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {shown && <Deliveries hook={shown} />}
      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm?.kind === 'delete' ? 'Delete webhook' : 'Rotate secret'}
      >
        {confirm && (
          <Stack>
            <Text size="sm">
              {confirm.kind === 'delete'
                ? `${confirm.hook.url} and its delivery log will be deleted; it is told of no further changes.`
                : `${confirm.hook.url} gets a new signing secret at once; the old one stops being used for the next attempt.`}
            </Text>
            <ProblemAlert error={confirm.kind === 'delete' ? remove.error : rotate.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Cancel
              </Button>
              {confirm.kind === 'delete' ? (
                <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(confirm.hook)}>
                  Delete webhook
                </Button>
              ) : (
                <Button loading={rotate.isPending} onClick={() => rotate.mutate(confirm.hook)}>
                  Rotate secret
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

const STATUS = {
  pending: { label: 'Pending', color: 'yellow' },
  succeeded: { label: 'Succeeded', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
} as const;

/** One endpoint's delivery log, newest first, refreshed while it is open (deliveries go out in the background). */
function Deliveries({ hook }: { hook: Webhook }) {
  const api = useApi();
  const log = useInfiniteQuery({
    queryKey: ['webhooks', 'deliveries', hook.id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: hook.id }, query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    refetchInterval: 3000,
  });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      ok(api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: hook.id, deliveryId } } })),
    onSuccess: () => log.refetch(),
  });
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack gap="xs" component="section" aria-label={`Delivery log of ${hook.url}`}>
      <Title order={2} size="h4">
        Delivery log of {hook.url}
      </Title>
      <ProblemAlert error={log.error ?? redeliver.error} onRetry={() => void log.refetch()} />
      {log.isSuccess && rows.length === 0 && <Text size="sm">No deliveries yet.</Text>}
      {rows.length > 0 && (
        <Table striped>
          <caption style={hidden}>Deliveries</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Event type</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>Response code</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th>Redeliver</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.eventType}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS[d.status].color} variant="dot" tt="none">
                    {STATUS[d.status].label}
                  </Badge>
                  {d.lastError && (
                    <Text size="xs" c="dimmed">
                      {d.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{d.attempts}</Table.Td>
                <Table.Td>{d.lastStatusCode ?? '—'}</Table.Td>
                <Table.Td>
                  {when(d.createdAt)}
                  {d.nextAttemptAt && (
                    <Text size="xs" c="dimmed">
                      next attempt {when(d.nextAttemptAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={`Redeliver ${d.eventType} of ${when(d.createdAt)}`}
                    loading={redeliver.isPending && redeliver.variables === d.id}
                    onClick={() => redeliver.mutate(d.id)}
                  >
                    Redeliver
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <LoadMore list={log} />
    </Stack>
  );
}
