import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { chartRows, FiguresTable, periodLabel, type Series } from '../src/components/AnalyticsFigures';
import Analytics from '../src/pages/Analytics';
import { CHANNEL_TYPES, renderWith, SETTINGS } from './harness';

const bySource: Series[] = [
  {
    key: 'organic',
    label: 'Organic',
    points: [
      { start: '2026-11-02', count: 3 },
      { start: '2026-11-09', count: 0 },
      { start: '2026-11-16', count: 1200 },
    ],
  },
  {
    key: 'ads',
    label: 'Ads',
    points: [
      { start: '2026-11-02', count: 0 },
      { start: '2026-11-09', count: 0 },
      { start: '2026-11-16', count: 5 },
    ],
  },
];

const body = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent));

describe('Analytics figures (UI11): each chart with its numbers', () => {
  it('UI11 one row per interval, zeros shown as 0, a column per series with totals', () => {
    renderWith(<FiguresTable caption="New customers by source, per interval" series={bySource} interval="week" />);
    const table = screen.getByRole('table', { name: 'New customers by source, per interval' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .slice(0, 4)
        .map((h) => h.textContent),
    ).toEqual(['Week', 'Organic', 'Ads', 'Total']);
    expect(body(table)).toEqual([
      ['Week of 2026-11-02', '3', '0', '3'],
      ['Week of 2026-11-09', '0', '0', '0'],
      ['Week of 2026-11-16', '1,200', '5', '1,205'],
      ['Total', '1,203', '5', '1,208'],
    ]);
  });

  it('UI11 a single series has no total column; days and months are named as such', () => {
    const active: Series[] = [
      {
        key: 'active',
        label: 'Active customers',
        points: [
          { start: '2026-10-01', count: 0 },
          { start: '2026-11-01', count: 7 },
        ],
      },
    ];
    renderWith(<FiguresTable caption="Active customers, per interval" series={active} interval="month" />);
    expect(body(screen.getByRole('table', { name: 'Active customers, per interval' }))).toEqual([
      ['October 2026', '0'],
      ['November 2026', '7'],
      ['Total', '7'],
    ]);
    expect(periodLabel('2026-11-05', 'day')).toBe('2026-11-05');
  });

  it('UI11 the chart rows carry every interval, zeros included, under keys the chart can read', () => {
    expect(chartRows(bySource, 'week')).toEqual([
      { period: 'Week of 2026-11-02', s0: 3, s1: 0 },
      { period: 'Week of 2026-11-09', s0: 0, s1: 0 },
      { period: 'Week of 2026-11-16', s0: 1200, s1: 5 },
    ]);
  });

  it('UI11 the page shows the range and interval of the address, the API figures per chart, and the summary', async () => {
    const range = { from: '2026-11-02', to: '2026-11-22', interval: 'week', timezone: 'UTC' };
    const customers = { ...range, total: 1208, series: bySource };
    const view = renderWith(<Analytics />, {
      path: '/analytics?from=2026-11-02&to=2026-11-22&interval=week',
      routes: {
        'GET /v1/settings/customers': SETTINGS(false),
        'GET /v1/channel-types': CHANNEL_TYPES,
        'GET /v1/analytics/customers': customers,
        'GET /v1/analytics/activities': {
          ...range,
          total: 4,
          series: [{ key: 'purchase.completed', label: 'Purchase completed', points: bySource[1].points.map((p) => ({ ...p, count: 1 })) }],
          activeCustomers: bySource[1].points,
        },
        'GET /v1/analytics/summary': {
          customers: 5000,
          bySource: { admin: 1, ads: 2, organic: 3, broadcast: 0 },
          byChannelType: { wa: 4000, line: 1000 },
          linkedCustomers: 12,
          groups: 3,
          activeLast7Days: 40,
          activeLast30Days: 90,
          consent: { opted_in: 1, opted_out: 0, unknown: 4999 },
        },
      },
    });
    const table = await screen.findByRole('table', { name: 'New customers by source, per interval' });
    expect(body(table)[2]).toEqual(['Week of 2026-11-16', '1,200', '5', '1,205']);
    await screen.findByText('1,208 new customers from 2026-11-02 to 2026-11-22');
    expect(body(await screen.findByRole('table', { name: 'Active customers, per interval' }))[1]).toEqual(['Week of 2026-11-09', '0']);
    expect((screen.getByLabelText('Interval') as HTMLSelectElement).value).toBe('week');
    await screen.findByText('4,000');
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(within(summary).getByText('WhatsApp')).toBeTruthy();
    expect(within(summary).getByText('5,000')).toBeTruthy();
    expect(view.calls.filter((c) => c.path === '/v1/analytics/customers')).toHaveLength(3);
  });
});
