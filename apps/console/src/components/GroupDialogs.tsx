import { Button, Modal, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ok, type CustomerFilter } from '../api/client';
import { useApi } from '../context';
import { ProblemAlert } from './Problem';

/** Who a group action takes: the rows checked in the list, or everything the filter matches. */
export type Audience = { customerIds: string[] } | { filter: CustomerFilter };

/** UI9 "Create Group": "Group Name" and "Descriptions", from checked rows or from a filter. */
export function CreateGroupDialog({ opened, onClose, audience }: { opened: boolean; onClose: () => void; audience?: Audience }) {
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/v1/groups', {
          body: { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...audience },
        }),
      ),
    onSuccess: (g) => {
      void qc.invalidateQueries({ queryKey: ['groups'] });
      onClose();
      navigate(`/groups/${g.id}`);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Create Group">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          {audience && 'customerIds' in audience && <Text size="sm">{audience.customerIds.length} customers selected.</Text>}
          {audience && 'filter' in audience && <Text size="sm">Every customer the current filter matches.</Text>}
          <TextInput label="Group Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <Textarea label="Descriptions" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <ProblemAlert error={create.error} />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create Group
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** UI9 "Add to Existing Group" / "Add All Result Filter": pick a group, add the audience to it. */
export function AddToGroupDialog({
  opened,
  onClose,
  audience,
  title,
}: {
  opened: boolean;
  onClose: () => void;
  audience: Audience;
  title: string;
}) {
  const api = useApi();
  const qc = useQueryClient();
  const groups = useQuery({
    queryKey: ['groups', 'all'],
    queryFn: () => ok(api.GET('/v1/groups', { params: { query: { limit: 100 } } })),
    enabled: opened,
  });
  const [groupId, setGroupId] = useState('');
  const add = useMutation({
    mutationFn: (id: string) => ok(api.POST('/v1/groups/{id}/members', { params: { path: { id } }, body: audience })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['groups'] }),
  });
  const list = groups.data?.data ?? [];
  const chosen = groupId || list[0]?.id || '';
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        <NativeSelect
          label="Group"
          value={chosen}
          onChange={(e) => setGroupId(e.currentTarget.value)}
          data={list.map((g) => ({ value: g.id, label: g.name }))}
        />
        {list.length === 0 && groups.isSuccess && <Text size="sm">There are no groups yet: create one first.</Text>}
        <ProblemAlert error={add.error} />
        {add.data && (
          <Text role="status">
            Added {add.data.added} customers ({add.data.alreadyMembers} were already members); the group now has {add.data.memberCount}{' '}
            members.
          </Text>
        )}
        <Button onClick={() => chosen && add.mutate(chosen)} loading={add.isPending} disabled={!chosen}>
          Add to group
        </Button>
      </Stack>
    </Modal>
  );
}
