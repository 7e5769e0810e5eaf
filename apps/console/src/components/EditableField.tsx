import { ActionIcon, Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';

/** A value with a pencil: the pencil opens an input, "Save" sends it, the field's error shows at the field. */
export function EditableField(props: {
  label: string;
  value: string | null;
  pencilLabel: string;
  onSave: (v: string | null) => Promise<unknown>;
  error?: string;
  as?: 'title';
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.value ?? '');
  const [busy, setBusy] = useState(false);
  if (editing)
    return (
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            await props.onSave(text.trim() === '' ? null : text.trim());
            setEditing(false);
          } catch {
            /* the error is shown at the field */
          } finally {
            setBusy(false);
          }
        }}
      >
        <Group align="flex-start" gap="xs">
          <TextInput label={props.label} value={text} onChange={(e) => setText(e.currentTarget.value)} error={props.error} autoFocus />
          <Button type="submit" mt={25} loading={busy}>
            Save
          </Button>
          <Button variant="default" mt={25} onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </Group>
      </form>
    );
  return (
    <Group gap={6}>
      {props.as === 'title' ? (
        <Text component="h1" fz={28} fw={700} m={0}>
          {props.value}
        </Text>
      ) : (
        <Text>
          <Text span c="dimmed" size="sm">
            {props.label}:{' '}
          </Text>
          {props.value ?? '—'}
        </Text>
      )}
      <ActionIcon
        variant="subtle"
        aria-label={props.pencilLabel}
        onClick={() => {
          setText(props.value ?? '');
          setEditing(true);
        }}
      >
        <span aria-hidden>✎</span>
      </ActionIcon>
    </Group>
  );
}
