import { Alert, Button, Card, Code, Group, NativeSelect, Stack, Switch, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ok } from '../api/client';
import { ProblemAlert } from '../components/Problem';
import { RejectedEvents } from '../components/RejectedEvents';
import { Suppressions } from '../components/Suppressions';
import { Webhooks } from '../components/Webhooks';
import { abilities, useApi, useChannels, useChannelTypes, usePropertyDefinitions, useSettings } from '../context';
import { useSession } from '../session';

/** UI10 settings: the agent setting, time zone and country, properties, channels; API keys, webhooks, rejected events, audit and suppressions for admins. */
export default function Settings() {
  const { claims } = useSession();
  const settings = useSettings();
  const admin = abilities(claims!, settings.data).manageSettings;
  return (
    <Stack>
      <Title order={1}>Settings</Title>
      <Tabs defaultValue="customers" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="customers">Customers Agent Setting</Tabs.Tab>
          <Tabs.Tab value="properties">Customer properties</Tabs.Tab>
          <Tabs.Tab value="channels">Channels</Tabs.Tab>
          {admin && <Tabs.Tab value="api-keys">API keys</Tabs.Tab>}
          {admin && <Tabs.Tab value="webhooks">Webhooks</Tabs.Tab>}
          {admin && <Tabs.Tab value="rejected-events">Rejected events</Tabs.Tab>}
          {admin && <Tabs.Tab value="audit">Audit log</Tabs.Tab>}
          {admin && <Tabs.Tab value="suppressions">Suppressions</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="customers" pt="md">
          <CustomerSettings admin={admin} />
        </Tabs.Panel>
        <Tabs.Panel value="properties" pt="md">
          <Properties admin={admin} />
        </Tabs.Panel>
        <Tabs.Panel value="channels" pt="md">
          <Channels admin={admin} />
        </Tabs.Panel>
        {admin && (
          <Tabs.Panel value="api-keys" pt="md">
            <ApiKeys />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="webhooks" pt="md">
            <Webhooks />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="rejected-events" pt="md">
            <RejectedEvents />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="audit" pt="md">
            <Audit />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="suppressions" pt="md">
            <Suppressions />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}

function CustomerSettings({ admin }: { admin: boolean }) {
  const api = useApi();
  const qc = useQueryClient();
  const settings = useSettings();
  const [timezone, setTimezone] = useState<string | null>(null);
  const [country, setCountry] = useState<string | null>(null);
  const update = useMutation({
    mutationFn: (body: { agentCanImportExport?: boolean; timezone?: string; defaultCountry?: string }) =>
      ok(api.PATCH('/v1/settings/customers', { body })),
    onSuccess: (s) => qc.setQueryData(['settings'], s),
  });
  if (settings.error) return <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />;
  const s = settings.data;
  if (!s) return <Text>Loading…</Text>;
  return (
    <Card withBorder maw={640}>
      <Stack>
        <Title order={2} size="h4">
          Customers Agent Setting
        </Title>
        <Switch
          label="Agent can Import & Export Customer Data"
          checked={s.agentCanImportExport}
          disabled={!admin || update.isPending}
          onChange={(e) => update.mutate({ agentCanImportExport: e.currentTarget.checked })}
        />
        <Text size="sm" c="dimmed">
          {admin ? 'Lets agents and supervisors import and export customers.' : 'Only an admin can change this setting.'}
        </Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ ...(timezone !== null ? { timezone } : {}), ...(country !== null ? { defaultCountry: country } : {}) });
          }}
        >
          <Stack gap="xs">
            <TextInput
              label="Time zone"
              description="IANA name, e.g. Asia/Jakarta"
              value={timezone ?? s.timezone}
              readOnly={!admin}
              onChange={(e) => setTimezone(e.currentTarget.value)}
            />
            <TextInput
              label="Default country"
              description="For phone numbers without a country code"
              value={country ?? s.defaultCountry}
              readOnly={!admin}
              onChange={(e) => setCountry(e.currentTarget.value)}
            />
            {admin && (
              <Group>
                <Button type="submit" disabled={timezone === null && country === null} loading={update.isPending}>
                  Save settings
                </Button>
              </Group>
            )}
          </Stack>
        </form>
        <ProblemAlert error={update.error} />
        <Text size="sm" c="dimmed">
          Plan: {s.plan} · group member limit: {s.groupMemberLimit.toLocaleString('en-US')}
        </Text>
      </Stack>
    </Card>
  );
}

function Properties({ admin }: { admin: boolean }) {
  const api = useApi();
  const qc = useQueryClient();
  const defs = usePropertyDefinitions();
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<'text' | 'number' | 'date' | 'boolean' | 'select'>('text');
  const [options, setOptions] = useState('');
  const create = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/v1/customer-properties', {
          body: {
            key: key.trim(),
            label: label.trim(),
            type,
            ...(type === 'select'
              ? {
                  options: options
                    .split(',')
                    .map((o) => o.trim())
                    .filter(Boolean),
                }
              : {}),
          },
        }),
      ),
    onSuccess: () => {
      setKey('');
      setLabel('');
      setOptions('');
      void qc.invalidateQueries({ queryKey: ['properties'] });
    },
  });
  return (
    <Stack maw={760}>
      <Table>
        <caption style={{ position: 'absolute', left: -10000 }}>Customer property definitions</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Options</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(defs.data ?? []).map((d) => (
            <Table.Tr key={d.key}>
              <Table.Td>
                <Code>{d.key}</Code>
              </Table.Td>
              <Table.Td>{d.label}</Table.Td>
              <Table.Td>{d.type}</Table.Td>
              <Table.Td>{d.options?.join(', ') ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {admin && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} required />
            <TextInput label="Label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required />
            <NativeSelect
              label="Type"
              value={type}
              onChange={(e) => setType(e.currentTarget.value as typeof type)}
              data={['text', 'number', 'date', 'boolean', 'select']}
            />
            {type === 'select' && (
              <TextInput label="Options (comma-separated)" value={options} onChange={(e) => setOptions(e.currentTarget.value)} />
            )}
            <Button type="submit" loading={create.isPending}>
              Add property
            </Button>
          </Group>
        </form>
      )}
      <ProblemAlert error={create.error} />
    </Stack>
  );
}

function Channels({ admin }: { admin: boolean }) {
  const api = useApi();
  const qc = useQueryClient();
  const channels = useChannels();
  const types = useChannelTypes();
  const [type, setType] = useState('');
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['channels'] });
  const create = useMutation({
    mutationFn: () => ok(api.POST('/v1/channels', { body: { type: type || types.data![0].type, name: name.trim() } })),
    onSuccess: () => {
      setName('');
      void refresh();
    },
  });
  const rename = useMutation({
    mutationFn: (r: { id: string; name: string }) =>
      ok(api.PATCH('/v1/channels/{id}', { params: { path: { id: r.id } }, body: { name: r.name.trim() } })),
    onSuccess: () => {
      setRenaming(null);
      void refresh();
    },
  });
  const typeName = (t: string) => types.data?.find((x) => x.type === t)?.name ?? t;
  return (
    <Stack maw={760}>
      <Table>
        <caption style={{ position: 'absolute', left: -10000 }}>Channels</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Type</Table.Th>
            {admin && <Table.Th>Rename</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(channels.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                {renaming?.id === c.id ? (
                  <TextInput
                    aria-label={`New name of ${c.name}`}
                    value={renaming.name}
                    onChange={(e) => setRenaming({ id: c.id, name: e.currentTarget.value })}
                  />
                ) : (
                  c.name
                )}
              </Table.Td>
              <Table.Td>{typeName(c.type)}</Table.Td>
              {admin && (
                <Table.Td>
                  {renaming?.id === c.id ? (
                    <Group gap={4}>
                      <Button size="xs" onClick={() => rename.mutate(renaming)}>
                        Save
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setRenaming(null)}>
                        Cancel
                      </Button>
                    </Group>
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Rename ${c.name}`}
                      onClick={() => setRenaming({ id: c.id, name: c.name })}
                    >
                      Rename
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {admin && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-end" gap="xs">
            <NativeSelect
              label="Channel type"
              value={type}
              onChange={(e) => setType(e.currentTarget.value)}
              data={(types.data ?? []).map((t) => ({ value: t.type, label: t.name }))}
            />
            <TextInput label="Channel name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
            <Button type="submit" loading={create.isPending}>
              Add channel
            </Button>
          </Group>
        </form>
      )}
      <ProblemAlert error={create.error ?? rename.error} />
    </Stack>
  );
}

function ApiKeys() {
  const api = useApi();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => ok(api.GET('/v1/api-keys')) });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => ok(api.POST('/v1/api-keys', { body: { name: name.trim() } })),
    onSuccess: () => {
      setName('');
      void keys.refetch();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => keys.refetch(),
  });
  return (
    <Stack maw={760}>
      {create.data && (
        <Alert color="green" title="The new key (shown only now)" role="status">
          <Code>{create.data.key}</Code>
        </Alert>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput label="Key name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          <Button type="submit" loading={create.isPending}>
            Create API key
          </Button>
        </Group>
      </form>
      <ProblemAlert error={create.error ?? revoke.error ?? keys.error} />
      <Table>
        <caption style={{ position: 'absolute', left: -10000 }}>API keys</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Revoke</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(keys.data ?? []).map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <Code>{k.prefix}</Code>
              </Table.Td>
              <Table.Td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="light" aria-label={`Revoke ${k.name}`} onClick={() => revoke.mutate(k.id)}>
                  Revoke
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Audit() {
  const api = useApi();
  const log = useQuery({ queryKey: ['audit'], queryFn: () => ok(api.GET('/v1/audit-log', { params: { query: { limit: 50 } } })) });
  return (
    <Stack>
      <ProblemAlert error={log.error} onRetry={() => void log.refetch()} />
      <Table striped>
        <caption style={{ position: 'absolute', left: -10000 }}>Audit log</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Subject</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(log.data?.data ?? []).map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
              <Table.Td>{e.action}</Table.Td>
              <Table.Td>{e.actor.userId}</Table.Td>
              <Table.Td>{e.subject ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
