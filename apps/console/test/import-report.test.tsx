import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ImportReport } from '../src/components/ImportReport';
import { renderWith } from './harness';

const report = {
  id: 'i1',
  status: 'completed' as const,
  dryRun: true,
  fileName: 'customers.csv',
  totalRows: 4,
  createdCount: 2,
  skippedCount: 1,
  failedCount: 1,
  failureReason: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  completedAt: '2026-11-01T00:00:01.000Z',
  errors: [
    { row: 3, column: 'identifier', code: 'invalid_identifier', message: 'identifier must be international digits without +' },
    { row: 5, column: '', code: 'customer_exists', message: 'This customer already exists' },
  ],
};

describe('The import report (UI4)', () => {
  it('UI4 shows the totals and one table row per row error: row, column, message', () => {
    renderWith(<ImportReport report={report} />);
    const region = screen.getByRole('region', { name: 'Import report' });
    expect(within(region).getByText('Would be created')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Rows with errors' });
    const rows = within(table)
      .getAllByRole('row')
      .map((r) =>
        within(r)
          .queryAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows.slice(1)).toEqual([
      ['3', 'identifier', 'identifier must be international digits without +'],
      ['5', '—', 'This customer already exists'],
    ]);
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Row', 'Column', 'Message']);
  });

  it('UI4 a clean file says every row is fine, without a table', () => {
    renderWith(<ImportReport report={{ ...report, dryRun: false, failedCount: 0, skippedCount: 0, createdCount: 4, errors: [] }} />);
    expect(screen.getByRole('status').textContent).toBe('Every row is fine: 4 customers created.');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
