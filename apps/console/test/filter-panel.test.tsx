import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CustomerFilter } from '../src/api/client';
import { FilterPanel } from '../src/components/FilterPanel';
import { ACTIVITY_TYPES, CHANNEL_TYPES, CHANNELS, PROPERTIES, renderWith, type Call } from './harness';

/** What the service answers for a filter: the source rule stays the service's, here for LINE only. */
function normalize(call: Call) {
  const f = (call.body as { filter: CustomerFilter }).filter;
  const nonWa = (f.channelIds ?? []).some((id) => id !== 'c-wa');
  const sources = (f.sources ?? []).filter((s) => !nonWa || (s !== 'ads' && s !== 'broadcast'));
  const dropped = (f.sources ?? []).length !== sources.length;
  return {
    filter: { ...f, sources },
    changes: dropped
      ? [
          sources.length
            ? 'Ads and Broadcast removed: they are only for WhatsApp.'
            : 'Source reset to All: Ads and Broadcast are only for WhatsApp',
        ]
      : [],
    sourceOptions: ['admin', 'ads', 'organic', 'broadcast'].map((s) => ({
      source: s,
      enabled: !nonWa || s === 'admin' || s === 'organic',
    })),
  };
}

const routes = {
  'GET /v1/channels': CHANNELS,
  'GET /v1/channel-types': CHANNEL_TYPES,
  'GET /v1/customer-properties': PROPERTIES,
  'GET /v1/activity-types': ACTIVITY_TYPES,
  'GET /v1/tags': [{ tag: 'vip', count: 3 }],
  'POST /v1/customers/filter/normalize': normalize,
};

const checkbox = (name: string) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

describe('The filter panel (UI3)', () => {
  it('UI3 source options follow the channel: Ads picked, then LINE checked → source back to All, Ads and Broadcast disabled, and the screen says so', async () => {
    const apply = vi.fn();
    const { calls } = renderWith(<FilterPanel value={{}} onApply={apply} />, { routes });
    await screen.findByRole('checkbox', { name: 'WA Sales' });
    expect(screen.getByRole('group', { name: 'WhatsApp' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'LINE' })).toBeTruthy();
    fireEvent.click(checkbox('WA Sales'));
    await waitFor(() => expect(checkbox('Ads').disabled).toBe(false));
    fireEvent.click(checkbox('Ads'));
    expect(checkbox('Ads').checked).toBe(true);

    fireEvent.click(checkbox('LINE Official'));
    await screen.findByText('Source reset to All: Ads and Broadcast are only for WhatsApp');
    expect(checkbox('Ads').checked).toBe(false);
    expect(checkbox('Ads').disabled).toBe(true);
    expect(checkbox('Broadcast').disabled).toBe(true);
    expect(checkbox('Organic').disabled).toBe(false);
    expect(checkbox('Added by Admin').disabled).toBe(false);
    const last = calls.filter((c) => c.path === '/v1/customers/filter/normalize').at(-1)!;
    expect(last.body).toEqual({ filter: { channelIds: ['c-wa', 'c-line'], sources: ['ads'] } });

    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(apply).toHaveBeenCalledWith({ channelIds: ['c-wa', 'c-line'] });
  });

  it('UI3 at most 5 property conditions: "Add condition" stops at five', async () => {
    renderWith(<FilterPanel value={{}} onApply={() => undefined} />, { routes });
    const add = await screen.findByRole('button', { name: 'Add condition' });
    await waitFor(() => expect((add as HTMLButtonElement).disabled).toBe(false));
    for (let i = 0; i < 5; i++) fireEvent.click(add);
    expect(screen.getAllByRole('group', { name: /^Condition \d$/ })).toHaveLength(5);
    expect((add as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('At most 5 conditions.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove condition 5' }));
    expect((add as HTMLButtonElement).disabled).toBe(false);
  });

  it('UI3 operators and value inputs fit the property type (text, number, date, boolean, select)', async () => {
    const apply = vi.fn();
    renderWith(<FilterPanel value={{}} onApply={apply} />, { routes });
    const add = await screen.findByRole('button', { name: 'Add condition' });
    await waitFor(() => expect((add as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(add);
    const property = screen.getByRole('combobox', { name: 'Property of condition 1' });
    const operators = () =>
      within(screen.getByRole('combobox', { name: 'Operator of condition 1' }))
        .getAllByRole('option')
        .map((o) => o.textContent);

    expect(operators()).toEqual(['is', 'is not', 'contains', 'does not contain', 'has a value', 'has no value']);
    fireEvent.change(property, { target: { value: 'age' } });
    expect(operators()).toEqual(['is', 'is not', 'greater than', 'at least', 'less than', 'at most', 'has a value', 'has no value']);
    fireEvent.change(property, { target: { value: 'birthday' } });
    expect(operators()).toContain('before');
    expect((screen.getByLabelText('Value of condition 1') as HTMLInputElement).type).toBe('date');
    fireEvent.change(property, { target: { value: 'vip' } });
    expect(operators()).toEqual(['is', 'is not', 'has a value', 'has no value']);
    fireEvent.change(property, { target: { value: 'tier' } });
    expect(operators()).toEqual(['is', 'is not', 'has a value', 'has no value']);
    const value = screen.getByRole('combobox', { name: 'Value of condition 1' });
    expect(
      within(value)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['gold', 'silver']);
    fireEvent.change(value, { target: { value: 'silver' } });
    // "has a value" takes no value input.
    fireEvent.change(screen.getByRole('combobox', { name: 'Operator of condition 1' }), { target: { value: 'is_set' } });
    expect(screen.queryByLabelText('Value of condition 1')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'OR' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(apply).toHaveBeenCalledWith({ properties: { match: 'any', conditions: [{ key: 'tier', operator: 'is_set' }] } });
  });

  it('UI3 activity: a date range, or one day with the "One day" checkbox', async () => {
    const apply = vi.fn();
    renderWith(<FilterPanel value={{}} onApply={apply} />, { routes });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Purchase completed (custom)' }));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-30' } });
    expect(screen.queryByLabelText('Day')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(apply).toHaveBeenLastCalledWith({ activity: { types: ['purchase.completed'], from: '2026-11-01', to: '2026-11-30' } });

    fireEvent.click(checkbox('One day'));
    expect(screen.queryByLabelText('From')).toBeNull();
    expect(screen.queryByLabelText('To')).toBeNull();
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: '2026-11-15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(apply).toHaveBeenLastCalledWith({ activity: { types: ['purchase.completed'], on: '2026-11-15' } });
  });
});
