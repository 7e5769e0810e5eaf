import { Anchor, Checkbox, Group, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { SOURCE_LABELS, type Customer } from '../api/client';
import { useChannelTypes } from '../context';

const when = (t: string | null) => (t ? new Date(t).toLocaleString() : '—');

/** The merged icon (a linked customer) and the star (its set's main channel), with their accessible names. */
/** The rows checked in a customer table: `select(ids, on)` checks or unchecks them, `clear()` unchecks all. */
export function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const select = (ids: string[], on: boolean) => {
    const s = new Set(selected);
    for (const x of ids)
      if (on) s.add(x);
      else s.delete(x);
    setSelected(s);
  };
  return { selected, select, clear: () => setSelected(new Set()) };
}

export function CustomerName({ c, link = true }: { c: Customer; link?: boolean }) {
  return (
    <Group gap={4} wrap="nowrap">
      {link ? (
        <Anchor component={Link} to={`/customers/${c.id}`}>
          {c.name}
        </Anchor>
      ) : (
        <Text span>{c.name}</Text>
      )}
      {c.linked && (
        <Tooltip label="Merged customer">
          <span role="img" aria-label="Merged customer">
            🔗
          </span>
        </Tooltip>
      )}
      {c.mainChannel && (
        <Tooltip label="Main channel">
          <span role="img" aria-label="Main channel">
            ★
          </span>
        </Tooltip>
      )}
    </Group>
  );
}

/** UI2's columns, a checkbox per row and one for the whole page. */
export function CustomerTable(props: {
  rows: Customer[];
  selected: Set<string>;
  onSelect: (ids: string[], on: boolean) => void;
  caption: string;
}) {
  const { rows, selected, onSelect } = props;
  const types = useChannelTypes();
  const typeName = (t: string) => types.data?.find((x) => x.type === t)?.name ?? t;
  const all = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const some = rows.some((r) => selected.has(r.id));
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover>
        <caption style={{ position: 'absolute', left: -10000 }}>{props.caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Checkbox
                aria-label="Select all customers on this page"
                checked={all}
                indeterminate={some && !all}
                onChange={(e) =>
                  onSelect(
                    rows.map((r) => r.id),
                    e.currentTarget.checked,
                  )
                }
              />
            </Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Phone number</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Platform</Table.Th>
            <Table.Th>Last activity</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${c.name}`}
                  checked={selected.has(c.id)}
                  onChange={(e) => onSelect([c.id], e.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Td>
                <CustomerName c={c} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{typeName(c.channel.type)}</Text>
                <Text size="xs" c="dimmed">
                  {c.channel.name}
                </Text>
              </Table.Td>
              <Table.Td>{c.phoneNumber ?? '—'}</Table.Td>
              <Table.Td>{c.email ?? '—'}</Table.Td>
              <Table.Td>{SOURCE_LABELS[c.source]}</Table.Td>
              <Table.Td>{c.platform ?? '—'}</Table.Td>
              <Table.Td>{when(c.lastActivityAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
