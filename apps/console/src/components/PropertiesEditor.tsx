import { Button, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ok, type CustomerDetail } from '../api/client';
import { useApi, usePropertyDefinitions } from '../context';
import { fieldErrors, ProblemAlert } from './Problem';

type Value = string | number | boolean | null;

/** UI6 "Customer Properties": every defined property with an input fitted to its type; empty clears it. */
export function PropertiesEditor({ customer, onSaved }: { customer: CustomerDetail; onSaved: () => Promise<unknown> }) {
  const api = useApi();
  const defs = usePropertyDefinitions();
  const current = customer.properties as Record<string, Value>;
  const [draft, setDraft] = useState<Record<string, Value>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!defs.data) return <Text size="sm">Loading…</Text>;
  if (defs.data.length === 0) return <Text size="sm">No customer properties are defined for this app.</Text>;
  const value = (key: string) => (key in draft ? draft[key] : (current[key] ?? null));
  const set = (key: string, v: Value) => {
    setSaved(false);
    setDraft({ ...draft, [key]: v });
  };
  const errors = fieldErrors(error);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await ok(api.PUT('/v1/customers/{id}/properties', { params: { path: { id: customer.id } }, body: draft }));
          setDraft({});
          setError(null);
          setSaved(true);
          await onSaved();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="xs">
        {defs.data.map((d) => {
          const v = value(d.key);
          const err = errors[`properties.${d.key}`] ?? errors[d.key];
          if (d.type === 'number')
            return (
              <NumberInput
                key={d.key}
                label={d.label}
                value={typeof v === 'number' ? v : ''}
                error={err}
                onChange={(n) => set(d.key, n === '' ? null : Number(n))}
              />
            );
          if (d.type === 'boolean')
            return (
              <NativeSelect
                key={d.key}
                label={d.label}
                value={v === null ? '' : String(v)}
                error={err}
                onChange={(e) => set(d.key, e.currentTarget.value === '' ? null : e.currentTarget.value === 'true')}
                data={[
                  { value: '', label: '—' },
                  { value: 'true', label: 'Yes' },
                  { value: 'false', label: 'No' },
                ]}
              />
            );
          if (d.type === 'select')
            return (
              <NativeSelect
                key={d.key}
                label={d.label}
                value={v === null ? '' : String(v)}
                error={err}
                onChange={(e) => set(d.key, e.currentTarget.value || null)}
                data={[{ value: '', label: '—' }, ...(d.options ?? [])]}
              />
            );
          return (
            <TextInput
              key={d.key}
              type={d.type === 'date' ? 'date' : 'text'}
              label={d.label}
              value={v === null ? '' : String(v)}
              error={err}
              onChange={(e) => set(d.key, e.currentTarget.value || null)}
            />
          );
        })}
        {error && Object.keys(errors).length === 0 ? <ProblemAlert error={error} /> : null}
        {saved && <Text role="status">Properties saved.</Text>}
        <Button type="submit" disabled={Object.keys(draft).length === 0} loading={busy}>
          Save properties
        </Button>
      </Stack>
    </form>
  );
}
