import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ok, SOURCE_LABELS, type CustomerFilter, type PropertyDefinition, type Schemas } from '../api/client';
import { useActivityTypes, useApi, useChannels, useChannelTypes, usePropertyDefinitions, useTags } from '../context';
import { CONSENT_LABELS, CONSENT_STATUSES } from './Consent';

type Condition = Schemas['PropertyConditionDto'];
type Operator = Condition['operator'];
type SourceOption = Schemas['SourceOptionDto'];

export const MAX_CONDITIONS = 5;
const SOURCES = ['admin', 'ads', 'organic', 'broadcast'] as const;

/** The operators each property type takes (API.md "Filter"), with their words. */
export const OPERATORS: Record<PropertyDefinition['type'], Operator[]> = {
  text: ['eq', 'neq', 'contains', 'not_contains', 'is_set', 'is_not_set'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'],
  boolean: ['eq', 'neq', 'is_set', 'is_not_set'],
  select: ['eq', 'neq', 'is_set', 'is_not_set'],
};
const OPERATOR_LABELS: Record<Operator, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  not_contains: 'does not contain',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  is_set: 'has a value',
  is_not_set: 'has no value',
};
const DATE_OPERATOR_LABELS: Partial<Record<Operator, string>> = { gt: 'after', gte: 'on or after', lt: 'before', lte: 'on or before' };
const needsValue = (op: Operator) => op !== 'is_set' && op !== 'is_not_set';

/** A filter without its empty keys (what goes into the address and the API). */
export function compact(f: CustomerFilter): CustomerFilter {
  const out: CustomerFilter = {};
  if (f.search) out.search = f.search;
  if (f.channelIds?.length) out.channelIds = f.channelIds;
  if (f.channelTypes?.length) out.channelTypes = f.channelTypes;
  if (f.sources?.length) out.sources = f.sources;
  if (f.platforms?.length) out.platforms = f.platforms;
  if (f.tags?.length) out.tags = f.tags;
  if (typeof f.linked === 'boolean') out.linked = f.linked;
  if (f.consent?.length) out.consent = f.consent;
  if (f.properties?.conditions.length) out.properties = f.properties;
  const a = f.activity;
  if (a && (a.types?.length || a.from || a.to || a.on)) {
    out.activity = {};
    if (a.types?.length) out.activity.types = a.types;
    if (a.on) out.activity.on = a.on;
    else {
      if (a.from) out.activity.from = a.from;
      if (a.to) out.activity.to = a.to;
    }
  }
  return out;
}

/**
 * UI3 "Filter": channel, customer properties, source, activity, tags, linked, consent. The source rules are the API's
 * (`POST /customers/filter/normalize`): after a channel change the draft is normalised there and the screen
 * says what changed; the options it answers disabled are shown disabled.
 */
export function FilterPanel({ value, onApply }: { value: CustomerFilter; onApply: (f: CustomerFilter) => void }) {
  const api = useApi();
  const channels = useChannels();
  const types = useChannelTypes();
  const properties = usePropertyDefinitions();
  const activityTypes = useActivityTypes();
  const tags = useTags();
  const [draft, setDraft] = useState<CustomerFilter>(value);
  const [options, setOptions] = useState<SourceOption[] | null>(null);
  const [changes, setChanges] = useState<string[]>([]);
  const [oneDay, setOneDay] = useState(!!value.activity?.on);
  const [error, setError] = useState<string | null>(null);

  const normalize = async (f: CustomerFilter, report: boolean) => {
    try {
      const r = await ok(api.POST('/v1/customers/filter/normalize', { body: { filter: compact(f) } }));
      setOptions(r.sourceOptions);
      // Only the draft that was sent takes the answer: a change the user made meanwhile is never overwritten.
      setDraft((current) => (current === f ? { ...f, sources: r.filter.sources ?? [] } : current));
      if (report) setChanges(r.changes);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void normalize(value, false);
    // The options of the filter as it was applied; later changes go through onChannels.
  }, []);

  const channelGroups = useMemo(() => {
    const byType = new Map<string, { id: string; name: string }[]>();
    for (const c of channels.data ?? []) byType.set(c.type, [...(byType.get(c.type) ?? []), c]);
    const typeName = (t: string) => types.data?.find((x) => x.type === t)?.name ?? t;
    return [...byType.entries()].map(([type, list]) => ({ type, name: typeName(type), list }));
  }, [channels.data, types.data]);

  const onChannels = (ids: string[]) => {
    const next = { ...draft, channelIds: ids };
    setDraft(next);
    void normalize(next, true);
  };
  const conditions = draft.properties?.conditions ?? [];
  const setConditions = (list: Condition[]) =>
    setDraft({ ...draft, properties: { match: draft.properties?.match ?? 'all', conditions: list } });
  const defs = properties.data ?? [];
  const defOf = (key: string) => defs.find((d) => d.key === key);
  const activity = draft.activity ?? {};
  const setActivity = (a: Partial<NonNullable<CustomerFilter['activity']>>) => setDraft({ ...draft, activity: { ...activity, ...a } });

  return (
    <Stack gap="md" aria-label="Filter">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Fieldset legend="Channel">
        {channelGroups.length === 0 && <Text size="sm">No channels yet.</Text>}
        <Checkbox.Group value={draft.channelIds ?? []} onChange={onChannels}>
          <Stack gap={6}>
            {channelGroups.map((g) => (
              <div key={g.type} role="group" aria-label={g.name}>
                <Text size="sm" fw={600}>
                  {g.name}
                </Text>
                <Group gap="sm" mt={4}>
                  {g.list.map((c) => (
                    <Checkbox key={c.id} value={c.id} label={c.name} />
                  ))}
                </Group>
              </div>
            ))}
          </Stack>
        </Checkbox.Group>
      </Fieldset>
      {changes.length > 0 && (
        <Alert color="yellow" role="status" aria-live="polite">
          {changes.join(' ')}
        </Alert>
      )}
      <Fieldset legend="Source">
        <Checkbox.Group value={draft.sources ?? []} onChange={(s) => setDraft({ ...draft, sources: s })}>
          <Group gap="sm">
            {SOURCES.map((s) => {
              const enabled = options?.find((o) => o.source === s)?.enabled ?? true;
              return <Checkbox key={s} value={s} label={SOURCE_LABELS[s]} disabled={!enabled} />;
            })}
          </Group>
        </Checkbox.Group>
        <Text size="xs" c="dimmed" mt={4}>
          None checked means all sources.
        </Text>
      </Fieldset>
      <Fieldset legend="Customer Properties">
        <Stack gap="xs">
          <SegmentedControl
            aria-label="Conditions combine with"
            value={draft.properties?.match ?? 'all'}
            onChange={(m) => setDraft({ ...draft, properties: { match: m as 'all' | 'any', conditions } })}
            data={[
              { value: 'all', label: 'AND' },
              { value: 'any', label: 'OR' },
            ]}
          />
          {conditions.map((c, i) => (
            <ConditionRow
              key={i}
              index={i}
              condition={c}
              defs={defs}
              def={defOf(c.key)}
              onChange={(n) => setConditions(conditions.map((x, j) => (j === i ? n : x)))}
              onRemove={() => setConditions(conditions.filter((_, j) => j !== i))}
            />
          ))}
          <Group>
            <Button
              variant="light"
              size="xs"
              disabled={conditions.length >= MAX_CONDITIONS || defs.length === 0}
              onClick={() => defs[0] && setConditions([...conditions, { key: defs[0].key, operator: 'eq', value: initialValue(defs[0]) }])}
            >
              Add condition
            </Button>
            {conditions.length >= MAX_CONDITIONS && <Text size="xs">At most {MAX_CONDITIONS} conditions.</Text>}
          </Group>
        </Stack>
      </Fieldset>
      <Fieldset legend="Activity">
        <Stack gap="xs">
          <Checkbox.Group label="Activity types" value={activity.types ?? []} onChange={(t) => setActivity({ types: t })}>
            <Group gap="sm" mt={4}>
              {(activityTypes.data ?? []).map((t) => (
                <Checkbox key={t.key} value={t.key} label={`${t.name}${t.kind === 'custom' ? ' (custom)' : ''}`} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox
            label="One day"
            checked={oneDay}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setOneDay(on);
              setActivity(on ? { on: activity.from ?? activity.on, from: undefined, to: undefined } : { from: activity.on, on: undefined });
            }}
          />
          {oneDay ? (
            <TextInput
              type="date"
              label="Day"
              value={activity.on ?? ''}
              onChange={(e) => setActivity({ on: e.currentTarget.value || undefined })}
            />
          ) : (
            <Group grow>
              <TextInput
                type="date"
                label="From"
                value={activity.from ?? ''}
                onChange={(e) => setActivity({ from: e.currentTarget.value || undefined })}
              />
              <TextInput
                type="date"
                label="To"
                value={activity.to ?? ''}
                onChange={(e) => setActivity({ to: e.currentTarget.value || undefined })}
              />
            </Group>
          )}
        </Stack>
      </Fieldset>
      <MultiSelect
        label="Tags"
        placeholder="Any tag"
        searchable
        data={(tags.data ?? []).map((t) => t.tag)}
        value={draft.tags ?? []}
        onChange={(t) => setDraft({ ...draft, tags: t })}
      />
      <NativeSelect
        label="Linked"
        value={draft.linked === undefined ? 'any' : draft.linked ? 'yes' : 'no'}
        onChange={(e) => {
          const v = e.currentTarget.value;
          setDraft({ ...draft, linked: v === 'any' ? undefined : v === 'yes' });
        }}
        data={[
          { value: 'any', label: 'All customers' },
          { value: 'yes', label: 'Linked customers only' },
          { value: 'no', label: 'Not linked only' },
        ]}
      />
      <Fieldset legend="Consent">
        <Checkbox.Group
          value={draft.consent ?? []}
          onChange={(v) => setDraft({ ...draft, consent: v as NonNullable<CustomerFilter['consent']> })}
        >
          <Group gap="sm">
            {CONSENT_STATUSES.map((s) => (
              <Checkbox key={s} value={s} label={CONSENT_LABELS[s]} />
            ))}
          </Group>
        </Checkbox.Group>
        <Text size="xs" c="dimmed" mt={4}>
          None checked means any consent status.
        </Text>
      </Fieldset>
      <Group justify="flex-end">
        <Button
          variant="default"
          onClick={() => {
            const empty: CustomerFilter = {};
            setDraft(empty);
            setChanges([]);
            setOneDay(false);
            void normalize(empty, false);
            onApply({});
          }}
        >
          Reset
        </Button>
        <Button onClick={() => onApply(compact(draft))}>Apply</Button>
      </Group>
    </Stack>
  );
}

function initialValue(def: PropertyDefinition): Condition['value'] {
  if (def.type === 'boolean') return true;
  if (def.type === 'select') return def.options?.[0] ?? '';
  return '';
}

function ConditionRow(props: {
  index: number;
  condition: Condition;
  defs: PropertyDefinition[];
  def: PropertyDefinition | undefined;
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const { condition: c, def, defs, index, onChange } = props;
  const n = index + 1;
  const ops = def ? OPERATORS[def.type] : OPERATORS.text;
  const labelOf = (op: Operator) => (def?.type === 'date' ? (DATE_OPERATOR_LABELS[op] ?? OPERATOR_LABELS[op]) : OPERATOR_LABELS[op]);
  const value = c.value as string | number | boolean | undefined;
  let input = null;
  if (needsValue(c.operator) && def) {
    const label = `Value of condition ${n}`;
    if (def.type === 'number')
      input = (
        <NumberInput
          aria-label={label}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange({ ...c, value: v === '' ? undefined : Number(v) })}
        />
      );
    else if (def.type === 'date')
      input = (
        <TextInput
          type="date"
          aria-label={label}
          value={String(value ?? '')}
          onChange={(e) => onChange({ ...c, value: e.currentTarget.value })}
        />
      );
    else if (def.type === 'boolean')
      input = (
        <NativeSelect
          aria-label={label}
          value={String(value ?? true)}
          onChange={(e) => onChange({ ...c, value: e.currentTarget.value === 'true' })}
          data={[
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]}
        />
      );
    else if (def.type === 'select')
      input = (
        <NativeSelect
          aria-label={label}
          value={String(value ?? '')}
          onChange={(e) => onChange({ ...c, value: e.currentTarget.value })}
          data={def.options ?? []}
        />
      );
    else
      input = (
        <TextInput aria-label={label} value={String(value ?? '')} onChange={(e) => onChange({ ...c, value: e.currentTarget.value })} />
      );
  }
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap" role="group" aria-label={`Condition ${n}`}>
      <NativeSelect
        aria-label={`Property of condition ${n}`}
        value={c.key}
        data={defs.map((d) => ({ value: d.key, label: d.label }))}
        onChange={(e) => {
          const d = defs.find((x) => x.key === e.currentTarget.value)!;
          const op = OPERATORS[d.type].includes(c.operator) ? c.operator : 'eq';
          onChange({ key: d.key, operator: op, value: initialValue(d) });
        }}
      />
      <NativeSelect
        aria-label={`Operator of condition ${n}`}
        value={c.operator}
        data={ops.map((op) => ({ value: op, label: labelOf(op) }))}
        onChange={(e) => {
          const op = e.currentTarget.value as Operator;
          onChange(needsValue(op) ? { ...c, operator: op } : { key: c.key, operator: op });
        }}
      />
      {input}
      <Button variant="subtle" color="red" size="xs" onClick={props.onRemove} aria-label={`Remove condition ${n}`}>
        Remove
      </Button>
    </Group>
  );
}
