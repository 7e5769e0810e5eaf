import { Alert, Anchor, Badge, Button, Card, Grid, Group, Modal, Stack, TagsInput, Tabs, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ok, SOURCE_LABELS, type CustomerDetail } from '../api/client';
import { ConsentSection } from '../components/Consent';
import { DataRights } from '../components/DataRights';
import { ActivityTab, ConversationsTab } from '../components/History';
import { EditableField } from '../components/EditableField';
import { LinkedCustomers } from '../components/LinkedCustomers';
import { fieldErrors, ProblemAlert } from '../components/Problem';
import { PropertiesEditor } from '../components/PropertiesEditor';
import { abilities, useApi, useChannelTypes, useSettings, useTags } from '../context';
import { useSession } from '../session';

/** UI6–UI8 a customer: profile with pencils, tags, properties, groups, linked customers, the two history tabs. */
export default function CustomerDetails() {
  const { id } = useParams() as { id: string };
  const api = useApi();
  const qc = useQueryClient();
  const customer = useQuery({
    queryKey: ['customers', 'one', id],
    queryFn: () => ok(api.GET('/v1/customers/{id}', { params: { path: { id } } })),
  });
  if (customer.error) return <ProblemAlert error={customer.error} onRetry={() => void customer.refetch()} />;
  if (!customer.data) return <Text>Loading…</Text>;
  const refresh = () => qc.invalidateQueries({ queryKey: ['customers'] });
  return <Details key={id} c={customer.data} refresh={refresh} />;
}

function Details({ c, refresh }: { c: CustomerDetail; refresh: () => Promise<unknown> }) {
  const api = useApi();
  const navigate = useNavigate();
  const { claims } = useSession();
  const settings = useSettings();
  const can = abilities(claims!, settings.data);
  const types = useChannelTypes();
  const tags = useTags();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [tagDraft, setTagDraft] = useState<string[] | null>(null);

  const patch = async (body: { name?: string; email?: string | null; phoneNumber?: string | null; tags?: string[] }) => {
    try {
      await ok(api.PATCH('/v1/customers/{id}', { params: { path: { id: c.id } }, body }));
      setErrors({});
      await refresh();
    } catch (e) {
      const f = fieldErrors(e);
      setErrors(Object.keys(f).length ? f : { _: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  };
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/v1/customers/{id}', { params: { path: { id: c.id } } })),
    onSuccess: async () => {
      await refresh();
      navigate('/customers');
    },
  });
  const saveTags = useMutation({
    mutationFn: (t: string[]) => patch({ tags: t }),
    onSuccess: () => setTagDraft(null),
  });
  const typeName = types.data?.find((t) => t.type === c.channel.type)?.name ?? c.channel.type;

  return (
    <Stack>
      <Anchor component={Link} to="/customers" size="sm">
        ← Customers
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <EditableField
            as="title"
            label="Name"
            value={c.name}
            pencilLabel="Edit name"
            error={errors.name}
            onSave={(v) => patch({ name: v ?? '' })}
          />
          <Group gap={6}>
            <Badge variant="light">{typeName}</Badge>
            <Text size="sm">{c.channel.name}</Text>
            <Text size="sm" c="dimmed">
              {c.identifier}
            </Text>
            {c.linked && <Badge color="grape">Merged customer</Badge>}
            {c.mainChannel && <Badge color="yellow">Main channel</Badge>}
          </Group>
        </Stack>
        <Group gap="xs">
          {can.personalData && <DataRights customer={c} />}
          {can.deleteCustomers && (
            <Button color="red" variant="outline" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          )}
        </Group>
      </Group>
      {errors._ && <ProblemAlert error={new Error(errors._)} />}
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Stack gap="xs">
              <EditableField
                label="E-mail"
                value={c.email}
                pencilLabel="Edit e-mail"
                error={errors.email}
                onSave={(v) => patch({ email: v })}
              />
              <EditableField
                label="Phone number"
                value={c.phoneNumber}
                pencilLabel="Edit phone number"
                error={errors.phoneNumber}
                onSave={(v) => patch({ phoneNumber: v })}
              />
              <Text size="sm">
                <Text span c="dimmed">
                  Source:{' '}
                </Text>
                {SOURCE_LABELS[c.source]} ·{' '}
                <Text span c="dimmed">
                  Platform:{' '}
                </Text>
                {c.platform ?? '—'} ·{' '}
                <Text span c="dimmed">
                  Created:{' '}
                </Text>
                {new Date(c.createdAt).toLocaleString()}
              </Text>
              <Title order={2} size="h4" mt="sm">
                All Tags
              </Title>
              <TagsInput
                label="Tags"
                description="Pick one of the app's tags or type a new one, then save"
                data={(tags.data ?? []).map((t) => t.tag)}
                value={tagDraft ?? c.tags}
                onChange={setTagDraft}
                error={errors.tags}
              />
              {tagDraft && (
                <Group>
                  <Button size="xs" onClick={() => saveTags.mutate(tagDraft)} loading={saveTags.isPending}>
                    Save tags
                  </Button>
                  <Button size="xs" variant="default" onClick={() => setTagDraft(null)}>
                    Cancel
                  </Button>
                </Group>
              )}
              <Title order={2} size="h4" mt="sm">
                Customer Group
              </Title>
              {c.groups.length === 0 ? (
                <Text size="sm">Not in any group.</Text>
              ) : (
                <Group gap="xs">
                  {c.groups.map((g) => (
                    <Anchor key={g.id} component={Link} to={`/groups/${g.id}`}>
                      {g.name}
                    </Anchor>
                  ))}
                </Group>
              )}
              <ConsentSection customer={c} refresh={refresh} />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              Customer Properties
            </Title>
            <PropertiesEditor customer={c} onSaved={refresh} />
          </Card>
        </Grid.Col>
      </Grid>
      <LinkedCustomers customer={c} refresh={refresh} />
      <Tabs defaultValue="activity" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="activity">Activity</Tabs.Tab>
          <Tabs.Tab value="conversations">Conversations History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="activity" pt="sm">
          <ActivityTab customer={c} />
        </Tabs.Panel>
        <Tabs.Panel value="conversations" pt="sm">
          <ConversationsTab customer={c} />
        </Tabs.Panel>
      </Tabs>
      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title="Delete customer">
        <Stack>
          <Alert color="red">
            {c.name} and everything held about them (activities, group memberships) will be deleted. This cannot be undone.
          </Alert>
          <ProblemAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              Delete customer
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
