import { Alert, Anchor, Button, Group, Menu, Modal, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ok } from '../api/client';
import { AddCustomersDialog } from '../components/AddCustomersDialog';
import { CustomerTable, useSelection } from '../components/CustomerTable';
import { ProblemAlert } from '../components/Problem';
import { useApi, useSettings } from '../context';
import { LoadMore } from '../components/LoadMore';

type Dialog = null | 'info' | 'add' | 'delete' | 'broadcast';

/** UI9 a group: its members and its menu (information, add, remove, delete, broadcast audience). */
export default function GroupPage() {
  const { id } = useParams() as { id: string };
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const settings = useSettings();
  const path = { params: { path: { id } } };
  const group = useQuery({ queryKey: ['groups', 'one', id], queryFn: () => ok(api.GET('/v1/groups/{id}', path)) });
  const members = useInfiniteQuery({
    queryKey: ['groups', 'members', id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/v1/groups/{id}/members', { params: { path: { id }, query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } } }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const { selected, select, clear } = useSelection();
  const [dialog, setDialog] = useState<Dialog>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['groups'] });
  const remove = useMutation({
    mutationFn: () => ok(api.POST('/v1/groups/{id}/members/remove', { ...path, body: { customerIds: [...selected] } })),
    onSuccess: async () => {
      clear();
      await refresh();
    },
  });
  const del = useMutation({
    mutationFn: () => ok(api.DELETE('/v1/groups/{id}', path)),
    onSuccess: async () => {
      await refresh();
      navigate('/groups');
    },
  });
  if (group.error) return <ProblemAlert error={group.error} onRetry={() => void group.refetch()} />;
  if (!group.data) return <Text>Loading…</Text>;
  const g = group.data;
  const rows = members.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack>
      <Anchor component={Link} to="/groups" size="sm">
        ← Groups
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{g.name}</Title>
          <Text c="dimmed">{g.description ?? 'No description'}</Text>
          <Text role="status">{g.memberCount.toLocaleString('en-US')} members</Text>
        </div>
        <Group gap="xs">
          {selected.size > 0 && (
            <Button color="red" variant="light" onClick={() => remove.mutate()} loading={remove.isPending}>
              Remove Customer ({selected.size})
            </Button>
          )}
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default">Group menu</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setDialog('info')}>Group Information</Menu.Item>
              <Menu.Item onClick={() => setDialog('add')}>Add Customers</Menu.Item>
              <Menu.Item onClick={() => setDialog('broadcast')}>Send Broadcast</Menu.Item>
              <Menu.Item color="red" onClick={() => setDialog('delete')}>
                Delete Group
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <ProblemAlert error={remove.error} />
      {remove.data && <Text role="status">Removed {remove.data.removed} customers.</Text>}
      <Text size="sm" c="dimmed">
        To remove customers, check them and press “Remove Customer”.
      </Text>
      <CustomerTable rows={rows} selected={selected} onSelect={select} caption="Members" />
      {members.isSuccess && rows.length === 0 && <Text>This group has no members yet.</Text>}
      <LoadMore list={members} />
      {dialog === 'info' && (
        <InfoDialog id={id} name={g.name} description={g.description ?? ''} onClose={() => setDialog(null)} onSaved={refresh} />
      )}
      {dialog === 'add' && <AddCustomersDialog groupId={id} groupName={g.name} onClose={() => setDialog(null)} onAdded={refresh} />}
      <Modal opened={dialog === 'delete'} onClose={() => setDialog(null)} title="Delete Group">
        <Stack>
          <Alert color="red">The group {g.name} will be deleted. Its customers stay; only the group goes.</Alert>
          <ProblemAlert error={del.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDialog(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => del.mutate()} loading={del.isPending}>
              Delete Group
            </Button>
          </Group>
        </Stack>
      </Modal>
      {dialog === 'broadcast' && (
        <BroadcastDialog id={id} enterprise={settings.data?.plan === 'enterprise'} onClose={() => setDialog(null)} />
      )}
    </Stack>
  );
}

function InfoDialog(props: { id: string; name: string; description: string; onClose: () => void; onSaved: () => Promise<unknown> }) {
  const api = useApi();
  const [name, setName] = useState(props.name);
  const [description, setDescription] = useState(props.description);
  const save = useMutation({
    mutationFn: () =>
      ok(
        api.PATCH('/v1/groups/{id}', {
          params: { path: { id: props.id } },
          body: { name: name.trim(), description: description.trim() || null },
        }),
      ),
    onSuccess: async () => {
      await props.onSaved();
      props.onClose();
    },
  });
  return (
    <Modal opened onClose={props.onClose} title="Group Information">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <TextInput label="Group Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea label="Descriptions" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <ProblemAlert error={save.error} />
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** "Send Broadcast": the audience after linked sets are reduced to one and opted-out customers left out; only on the Enterprise plan. */
function BroadcastDialog({ id, enterprise, onClose }: { id: string; enterprise: boolean; onClose: () => void }) {
  const api = useApi();
  const audience = useQuery({
    queryKey: ['groups', 'audience', id],
    enabled: enterprise,
    queryFn: () => ok(api.GET('/v1/groups/{id}/broadcast-audience', { params: { path: { id } } })),
  });
  return (
    <Modal opened onClose={onClose} title="Send Broadcast">
      {!enterprise ? (
        <Alert color="yellow">Broadcast to groups is only available for Enterprise.</Alert>
      ) : (
        <Stack>
          <ProblemAlert error={audience.error} />
          {audience.data && (
            <Text role="status">
              {audience.data.recipientCount.toLocaleString('en-US')} recipients from {audience.data.memberCount.toLocaleString('en-US')}{' '}
              members (merged customers count once).
            </Text>
          )}
          {audience.data && (
            <Text>
              {audience.data.excludedOptedOut.toLocaleString('en-US')} opted-out{' '}
              {audience.data.excludedOptedOut === 1 ? 'customer was' : 'customers were'} left out.
            </Text>
          )}
        </Stack>
      )}
    </Modal>
  );
}
