import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import { AreaChart, BarChart, LineChart } from '@mantine/charts';
import { Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { ok, SOURCE_LABELS, type Schemas } from '../api/client';
import { chartRows, chartSeries, FiguresTable, INTERVAL_LABELS, type Interval, type Series } from '../components/AnalyticsFigures';
import { ProblemAlert } from '../components/Problem';
import { useApi, useChannelTypes, useSettings } from '../context';

const INTERVALS: Interval[] = ['day', 'week', 'month'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const num = (n: number) => n.toLocaleString('en-US');

/** Today's date (`YYYY-MM-DD`) in a time zone. */
function today(timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(),
  );
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The page's choices, all in the address so a view can be shared or reloaded: `from`, `to` (days),
 * `interval`, and `timezone` when it is not the app's. Missing ones default to the last 30 days by day.
 */
function readState(params: URLSearchParams) {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const interval = params.get('interval') ?? '';
  return {
    from: DAY.test(from) ? from : null,
    to: DAY.test(to) ? to : null,
    interval: (INTERVALS as string[]).includes(interval) ? (interval as Interval) : 'day',
    timezone: params.get('timezone') || null,
  };
}

/** UI11 Analytics: new customers by source, channel type and channel; activities by type; active customers; the summary. */
export default function Analytics() {
  const [params, setParams] = useSearchParams();
  const settings = useSettings();
  const state = readState(params);
  const timezone = state.timezone ?? settings.data?.timezone ?? null;

  // Without a range in the address, the last 30 days of the app's time zone; written back so the address says it.
  useEffect(() => {
    if ((state.from && state.to) || !timezone) return;
    const to = today(timezone);
    const next = new URLSearchParams(params);
    next.set('from', addDays(to, -29));
    next.set('to', to);
    next.set('interval', state.interval);
    setParams(next, { replace: true });
  }, [state.from, state.to, state.interval, timezone, params, setParams]);

  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    setParams(next);
  };
  const [picking, setPicking] = useState<[string | null, string | null] | null>(null);
  const range = { from: state.from, to: state.to, interval: state.interval, timezone: state.timezone };
  return (
    <Stack>
      <Title order={1}>Analytics</Title>
      <Group align="flex-end" gap="sm">
        <DatePickerInput
          type="range"
          label="Date range"
          w={340}
          value={picking ?? [state.from, state.to]}
          onChange={(v) => {
            const [a, b] = v.map((d) => (d ? String(d).slice(0, 10) : null));
            if (a && b) {
              setPicking(null);
              set({ from: a, to: b });
            } else setPicking([a, b]);
          }}
          allowSingleDateInRange
        />
        <NativeSelect
          label="Interval"
          value={state.interval}
          onChange={(e) => set({ interval: e.currentTarget.value })}
          data={INTERVALS.map((i) => ({ value: i, label: INTERVAL_LABELS[i] }))}
        />
        {timezone && (
          <Text size="sm" c="dimmed" mb={8}>
            Days in {timezone}
            {state.timezone ? '' : " (the app's time zone)"}
          </Text>
        )}
      </Group>
      <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />
      <Summary />
      {range.from && range.to && <Figures range={{ ...range, from: range.from, to: range.to }} />}
    </Stack>
  );
}

interface Range {
  from: string;
  to: string;
  interval: Interval;
  timezone: string | null;
}

function Figures({ range }: { range: Range }) {
  const api = useApi();
  const types = useChannelTypes();
  const query = { from: range.from, to: range.to, interval: range.interval, ...(range.timezone ? { timezone: range.timezone } : {}) };
  const customers = (groupBy: 'source' | 'channelType' | 'channel') =>
    ({
      queryKey: ['analytics', 'customers', groupBy, query],
      queryFn: () => ok(api.GET('/v1/analytics/customers', { params: { query: { ...query, groupBy } } })),
    }) as const;
  const bySource = useQuery(customers('source'));
  const byType = useQuery(customers('channelType'));
  const byChannel = useQuery(customers('channel'));
  const activities = useQuery({
    queryKey: ['analytics', 'activities', query],
    queryFn: () => ok(api.GET('/v1/analytics/activities', { params: { query } })),
  });
  const typeName = (t: string) => types.data?.find((x) => x.type === t)?.name ?? t;
  const typeSeries = byType.data?.series.map((s) => ({ ...s, label: typeName(s.key) }));
  const active: Series[] | undefined = activities.data && [
    { key: 'active', label: 'Active customers', points: activities.data.activeCustomers },
  ];
  const i = range.interval;
  const total = bySource.data && `${num(bySource.data.total)} new customers from ${range.from} to ${range.to}`;
  return (
    <Stack gap="lg">
      <Chart title="New customers by source" note={total} error={bySource.error} retry={() => void bySource.refetch()}>
        {bySource.data && <Bars series={bySource.data.series} interval={i} caption="New customers by source, per interval" />}
      </Chart>
      <Chart title="New customers by channel type" error={byType.error} retry={() => void byType.refetch()}>
        {typeSeries && <Bars series={typeSeries} interval={i} caption="New customers by channel type, per interval" />}
      </Chart>
      <Chart title="New customers by channel" error={byChannel.error} retry={() => void byChannel.refetch()}>
        {byChannel.data && <Bars series={byChannel.data.series} interval={i} caption="New customers by channel, per interval" />}
      </Chart>
      <Chart
        title="Activities by type"
        note={activities.data && `${num(activities.data.total)} activities from ${range.from} to ${range.to}`}
        error={activities.error}
        retry={() => void activities.refetch()}
      >
        {activities.data && (
          <>
            <LineChart
              h={260}
              data={chartRows(activities.data.series, i)}
              dataKey="period"
              series={chartSeries(activities.data.series)}
              withLegend
              curveType="linear"
            />
            <FiguresTable caption="Activities by type, per interval" series={activities.data.series} interval={i} />
          </>
        )}
      </Chart>
      <Chart title="Active customers" note="Customers with any activity in the interval" error={activities.error}>
        {active && (
          <>
            <AreaChart h={220} data={chartRows(active, i)} dataKey="period" series={chartSeries(active)} />
            <FiguresTable caption="Active customers, per interval" series={active} interval={i} />
          </>
        )}
      </Chart>
    </Stack>
  );
}

function Bars({ series, interval, caption }: { series: Series[]; interval: Interval; caption: string }) {
  if (series.length === 0) return <Text size="sm">Nothing to show for this range.</Text>;
  return (
    <>
      <BarChart h={260} data={chartRows(series, interval)} dataKey="period" series={chartSeries(series)} type="stacked" withLegend />
      <FiguresTable caption={caption} series={series} interval={interval} />
    </>
  );
}

/** A chart's card: its heading, a line of context, the chart and its numbers (or the problem, with a retry). */
function Chart({
  title,
  note,
  error,
  retry,
  children,
}: {
  title: string;
  note?: string;
  error: unknown;
  retry?: () => void;
  children: ReactNode;
}) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {note && <Text size="sm">{note}</Text>}
        <ProblemAlert error={error} onRetry={retry} />
        {children}
      </Stack>
    </Card>
  );
}

type SummaryDto = Schemas['AnalyticsSummaryDto'];

/** The summary figures (not bound to the range): totals, by source and channel type, linked, groups, active, consent. */
function Summary() {
  const api = useApi();
  const types = useChannelTypes();
  const summary = useQuery({ queryKey: ['analytics', 'summary'], queryFn: () => ok(api.GET('/v1/analytics/summary')) });
  const s = summary.data;
  const figures = (list: [string, number][]) => (
    <SimpleGrid component="dl" cols={{ base: 2, sm: 4 }} spacing="xs" m={0}>
      {list.map(([label, value]) => (
        <div key={label}>
          <Text component="dt" size="sm" c="dimmed">
            {label}
          </Text>
          <Text component="dd" m={0} fw={700} fz="lg">
            {num(value)}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
  return (
    <Card withBorder component="section" aria-label="Summary">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Summary
        </Title>
        <ProblemAlert error={summary.error} onRetry={() => void summary.refetch()} />
        {s && (
          <>
            {figures([
              ['Customers', s.customers],
              ['Linked customers', s.linkedCustomers],
              ['Groups', s.groups],
              ['Active in the last 7 days', s.activeLast7Days],
              ['Active in the last 30 days', s.activeLast30Days],
            ])}
            <Title order={3} size="h5">
              By source
            </Title>
            {figures((Object.keys(SOURCE_LABELS) as (keyof SummaryDto['bySource'])[]).map((k) => [SOURCE_LABELS[k], s.bySource[k]]))}
            <Title order={3} size="h5">
              By channel type
            </Title>
            {figures(Object.entries(s.byChannelType).map(([k, v]) => [types.data?.find((t) => t.type === k)?.name ?? k, v]))}
            <Title order={3} size="h5">
              Consent
            </Title>
            {figures([
              ['Opted in', s.consent.opted_in],
              ['Opted out', s.consent.opted_out],
              ['Unknown', s.consent.unknown],
            ])}
          </>
        )}
      </Stack>
    </Card>
  );
}
