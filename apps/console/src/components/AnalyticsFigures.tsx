import { Table } from '@mantine/core';
import type { Schemas } from '../api/client';

export type Interval = 'day' | 'week' | 'month';
export type Series = Pick<Schemas['AnalyticsSeriesDto'], 'key' | 'label' | 'points'>;

export const INTERVAL_LABELS: Record<Interval, string> = { day: 'Day', week: 'Week', month: 'Month' };

const num = (n: number) => n.toLocaleString('en-US');

/** An interval in words: its day, the Monday that starts its week, or its month (`start` is `YYYY-MM-DD`). */
export function periodLabel(start: string, interval: Interval): string {
  if (interval === 'day') return start;
  if (interval === 'week') return `Week of ${start}`;
  return new Date(`${start}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The rows a chart draws: one per interval, with each series under a key of its own (`s0`, `s1`, …) since
 * series keys such as `customer.created` or a channel id would be read as paths by the chart library.
 */
export function chartRows(series: Series[], interval: Interval): Record<string, string | number>[] {
  const starts = series[0]?.points.map((p) => p.start) ?? [];
  return starts.map((start, i) => {
    const row: Record<string, string | number> = { period: periodLabel(start, interval) };
    series.forEach((s, j) => (row[`s${j}`] = s.points[i]?.count ?? 0));
    return row;
  });
}

const PALETTE = ['blue.7', 'teal.7', 'orange.7', 'grape.7', 'red.7', 'cyan.8', 'lime.8', 'pink.7', 'indigo.7', 'yellow.8', 'gray.7'];

/** The chart's series, named as people read them, in a colour each. */
export function chartSeries(series: Series[]): { name: string; label: string; color: string }[] {
  return series.map((s, j) => ({ name: `s${j}`, label: s.label, color: PALETTE[j % PALETTE.length] }));
}

/**
 * A chart's numbers: one row per interval of the range (zeros included, as the API answers them), one
 * column per series and a total per interval and per series. What the chart shows, readable without it.
 */
export function FiguresTable({ caption, series, interval }: { caption: string; series: Series[]; interval: Interval }) {
  const starts = series[0]?.points.map((p) => p.start) ?? [];
  const totals = series.map((s) => s.points.reduce((sum, p) => sum + p.count, 0));
  return (
    <Table striped withTableBorder fz="sm" captionSide="top">
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{INTERVAL_LABELS[interval]}</Table.Th>
          {series.map((s) => (
            <Table.Th scope="col" key={s.key} ta="right">
              {s.label}
            </Table.Th>
          ))}
          {series.length > 1 && (
            <Table.Th scope="col" ta="right">
              Total
            </Table.Th>
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {starts.map((start, i) => (
          <Table.Tr key={start}>
            <Table.Th scope="row" fw={400}>
              {periodLabel(start, interval)}
            </Table.Th>
            {series.map((s) => (
              <Table.Td key={s.key} ta="right">
                {num(s.points[i]?.count ?? 0)}
              </Table.Td>
            ))}
            {series.length > 1 && <Table.Td ta="right">{num(series.reduce((sum, s) => sum + (s.points[i]?.count ?? 0), 0))}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
      {starts.length > 1 && (
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">Total</Table.Th>
            {totals.map((t, j) => (
              <Table.Td key={series[j].key} ta="right" fw={600}>
                {num(t)}
              </Table.Td>
            ))}
            {series.length > 1 && (
              <Table.Td ta="right" fw={600}>
                {num(totals.reduce((a, b) => a + b, 0))}
              </Table.Td>
            )}
          </Table.Tr>
        </Table.Tfoot>
      )}
    </Table>
  );
}
