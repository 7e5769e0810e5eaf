import { ActionIcon, Badge, Button, Card, Checkbox, Group, Modal, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ok, type CustomerDetail, type Schemas } from '../api/client';
import { useApi } from '../context';
import { CustomerName } from './CustomerTable';
import { ProblemAlert } from './Problem';

const REASONS: Record<string, string> = { same_phone: 'Same phone number', same_email: 'Same e-mail', similar_name: 'Similar name' };

/** UI7 linked customers: the dropdown, merge (search, preview, merge), unmerge, the star, possible duplicates. */
export function LinkedCustomers({ customer: c, refresh }: { customer: CustomerDetail; refresh: () => Promise<unknown> }) {
  const api = useApi();
  const navigate = useNavigate();
  const [merging, setMerging] = useState(false);
  const path = { params: { path: { id: c.id } } };
  const linked = useQuery({ queryKey: ['customers', 'linked', c.id], queryFn: () => ok(api.GET('/v1/customers/{id}/linked', path)) });
  const duplicates = useQuery({
    queryKey: ['customers', 'duplicates', c.id],
    queryFn: () => ok(api.GET('/v1/customers/{id}/duplicates', path)),
  });
  const unmerge = useMutation({ mutationFn: () => ok(api.POST('/v1/customers/{id}/unmerge', path)), onSuccess: refresh });
  const star = useMutation({
    mutationFn: (id: string) => ok(api.POST('/v1/customers/{id}/main-channel', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const dismiss = useMutation({
    mutationFn: (otherId: string) =>
      ok(api.POST('/v1/customers/{id}/duplicates/{otherId}/dismiss', { params: { path: { id: c.id, otherId } } })),
    onSuccess: () => duplicates.refetch(),
  });
  const mergeOne = useMutation({
    mutationFn: (otherId: string) =>
      ok(
        api.POST('/v1/customers/{id}/merge', {
          ...path,
          params: { path: { id: c.id }, query: { dryRun: false } },
          body: { customerIds: [otherId] },
        }),
      ),
    onSuccess: refresh,
  });
  const set = linked.data?.customers ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Linked Customer
        </Title>
        <Group gap="xs">
          <Button size="xs" onClick={() => setMerging(true)}>
            Merge Another Customer
          </Button>
          {c.linked && (
            <Button size="xs" variant="default" onClick={() => unmerge.mutate()} loading={unmerge.isPending}>
              Unmerge Customer
            </Button>
          )}
        </Group>
      </Group>
      <ProblemAlert error={unmerge.error ?? star.error ?? mergeOne.error ?? dismiss.error} />
      {c.linkedCustomers.length === 0 ? (
        <Text size="sm">This customer has no linked customers</Text>
      ) : (
        <Stack gap="xs">
          <NativeSelect
            label="Linked Customer"
            value=""
            onChange={(e) => e.currentTarget.value && navigate(`/customers/${e.currentTarget.value}`)}
            data={[
              { value: '', label: `${c.linkedCustomers.length} linked customers — open one` },
              ...c.linkedCustomers.map((l) => ({ value: l.id, label: `${l.name} (${l.channel.name})` })),
            ]}
          />
          <Table>
            <caption style={{ position: 'absolute', left: -10000 }}>The linked set</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Main channel</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {set.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <CustomerName c={m} link={m.id !== c.id} />
                  </Table.Td>
                  <Table.Td>{m.channel.name}</Table.Td>
                  <Table.Td>
                    {m.mainChannel ? (
                      <Badge color="yellow">★ Main channel</Badge>
                    ) : (
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Set ${m.name} (${m.channel.name}) as main channel`}
                        onClick={() => star.mutate(m.id)}
                      >
                        <span aria-hidden>☆</span>
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      <Title order={3} size="h5" mt="md" mb="xs">
        Possible duplicates
      </Title>
      {duplicates.data?.length === 0 && <Text size="sm">No suggestions.</Text>}
      <Stack gap={6}>
        {duplicates.data?.map((d) => (
          <Group key={d.customer.id} justify="space-between" role="group" aria-label={`Suggestion ${d.customer.name}`}>
            <Group gap="xs">
              <CustomerName c={d.customer} />
              <Text size="sm" c="dimmed">
                {d.customer.channel.name} · {d.reasons.map((r) => REASONS[r] ?? r).join(', ')}
              </Text>
            </Group>
            <Group gap="xs">
              <Button size="xs" onClick={() => mergeOne.mutate(d.customer.id)}>
                Merge
              </Button>
              <Button size="xs" variant="default" onClick={() => dismiss.mutate(d.customer.id)}>
                Dismiss
              </Button>
            </Group>
          </Group>
        ))}
      </Stack>
      {merging && <MergeDialog customer={c} onClose={() => setMerging(false)} onMerged={refresh} />}
    </Card>
  );
}

/** "Merge Another Customer": search those not yet linked, "Next" shows the dry run's result, "Merge" does it. */
function MergeDialog({
  customer: c,
  onClose,
  onMerged,
}: {
  customer: CustomerDetail;
  onClose: () => void;
  onMerged: () => Promise<unknown>;
}) {
  const api = useApi();
  const [search, setSearch] = useState('');
  const [term, setTerm] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [preview, setPreview] = useState<Schemas['LinkedSetDto'] | null>(null);
  const found = useQuery({
    queryKey: ['customers', 'merge-search', term],
    enabled: term.length > 0,
    queryFn: () => ok(api.POST('/v1/customers/search', { body: { filter: { search: term, linked: false }, sort: 'name', limit: 20 } })),
  });
  const run = useMutation({
    mutationFn: (dryRun: boolean) =>
      ok(api.POST('/v1/customers/{id}/merge', { params: { path: { id: c.id }, query: { dryRun } }, body: { customerIds: chosen } })),
    onSuccess: async (set, dryRun) => {
      if (dryRun) setPreview(set);
      else {
        await onMerged();
        onClose();
      }
    },
  });
  const candidates = (found.data?.data ?? []).filter((x) => x.id !== c.id);
  return (
    <Modal opened onClose={onClose} title="Merge Another Customer" size="lg">
      <Stack>
        {!preview ? (
          <>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                setTerm(search.trim());
              }}
            >
              <Group align="flex-end" gap="xs">
                <TextInput
                  label="Search customers not yet linked"
                  value={search}
                  onChange={(e) => setSearch(e.currentTarget.value)}
                  data-autofocus
                />
                <Button type="submit" variant="default">
                  Search
                </Button>
              </Group>
            </form>
            <Checkbox.Group value={chosen} onChange={setChosen} label="Customers to merge">
              <Stack gap={4} mt={4}>
                {candidates.map((x) => (
                  <Checkbox key={x.id} value={x.id} label={`${x.name} — ${x.channel.name} (${x.identifier})`} />
                ))}
              </Stack>
            </Checkbox.Group>
            {term && found.isSuccess && candidates.length === 0 && <Text size="sm">No unlinked customer matches.</Text>}
            <ProblemAlert error={run.error} />
            <Button onClick={() => run.mutate(true)} disabled={chosen.length === 0} loading={run.isPending}>
              Next
            </Button>
          </>
        ) : (
          <>
            <Text fw={600}>After the merge, the linked set will be:</Text>
            <Stack gap={4} aria-label="Merge preview">
              {preview.customers.map((x) => (
                <Text key={x.id} size="sm">
                  {x.name} — {x.channel.name}
                  {x.id === preview.mainCustomerId ? ' ★ main channel' : ''}
                </Text>
              ))}
            </Stack>
            <Text size="sm">Tags: {preview.profile.tags.join(', ') || '—'}</Text>
            <Text size="sm">
              Properties:{' '}
              {Object.entries(preview.profile.properties)
                .map(([k, v]) => `${k}: ${String(v.value)}`)
                .join(', ') || '—'}
            </Text>
            <ProblemAlert error={run.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPreview(null)}>
                Back
              </Button>
              <Button onClick={() => run.mutate(false)} loading={run.isPending}>
                Merge
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
