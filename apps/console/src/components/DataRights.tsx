import { Alert, Button, Group, List, Menu, Modal, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ok, type Customer, type CustomerDetail } from '../api/client';
import { useApi } from '../context';
import { saveBlob } from '../download';
import { ProblemAlert } from './Problem';

type Scope = 'self' | 'linked';

/** "Budi (WA Sales 62812…)": a customer named with its channel and identifier, so the right one is recognised. */
const named = (c: Pick<Customer, 'name' | 'identifier' | 'channel'>) => `${c.name} (${c.channel.name} ${c.identifier})`;

/**
 * UI6 the rights of a person (X10), for admins: "Download data" (everything held, as JSON) and "Erase" with a
 * confirmation that names what goes. A linked customer can take its whole linked set.
 */
export function DataRights({ customer }: { customer: CustomerDetail }) {
  const api = useApi();
  const [erasing, setErasing] = useState(false);
  const download = useMutation({
    mutationFn: async (scope: Scope) => {
      const file = await ok(
        api.GET('/v1/customers/{id}/data-export', { params: { path: { id: customer.id }, query: { scope } }, parseAs: 'blob' }),
      );
      saveBlob(file as Blob, `customer-data-${customer.id}${scope === 'linked' ? '-linked' : ''}.json`);
    },
  });
  return (
    <>
      {customer.linked ? (
        <Menu position="bottom-end">
          <Menu.Target>
            <Button variant="default" loading={download.isPending}>
              Download data
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => download.mutate('self')}>This customer only</Menu.Item>
            <Menu.Item onClick={() => download.mutate('linked')}>With its linked customers</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      ) : (
        <Button variant="default" onClick={() => download.mutate('self')} loading={download.isPending}>
          Download data
        </Button>
      )}
      <Button color="red" onClick={() => setErasing(true)}>
        Erase
      </Button>
      {download.error && (
        <Modal opened onClose={() => download.reset()} title="Download data">
          <ProblemAlert error={download.error} />
        </Modal>
      )}
      {erasing && <EraseDialog customer={customer} onClose={() => setErasing(false)} />}
    </>
  );
}

/** What an erasure takes, in words: the customers by name, everything held about them, and what is suppressed. */
export function erasureText(customer: CustomerDetail, scope: Scope): { customers: string[]; held: string } {
  const set = [customer, ...(scope === 'linked' ? customer.linkedCustomers : [])];
  const kept = [
    'channel identity',
    ...(set.some((c) => c.email) ? ['e-mail'] : []),
    ...(set.some((c) => c.phoneNumber) ? ['phone number'] : []),
  ];
  const held =
    'their activities, conversations, group memberships, consent history, merge history and every other record that references them. ' +
    `Their ${kept.join(', ').replace(/, ([^,]*)$/, ' and $1')} ${kept.length === 1 ? 'is' : 'are'} suppressed, so they cannot be ` +
    'added again (by hand, import or events) until the suppression is lifted in Settings. This cannot be undone.';
  return { customers: set.map(named), held };
}

export function EraseDialog({ customer, onClose }: { customer: CustomerDetail; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [scope, setScope] = useState<Scope>('self');
  const { customers, held } = erasureText(customer, scope);
  const erase = useMutation({
    mutationFn: () => ok(api.POST('/v1/customers/{id}/erase', { params: { path: { id: customer.id } }, body: { scope, suppress: true } })),
    onSuccess: async (r) => {
      qc.removeQueries({ queryKey: ['customers', 'one', customer.id] });
      await qc.invalidateQueries({ queryKey: ['customers'] });
      await qc.invalidateQueries({ queryKey: ['groups'] });
      onClose();
      navigate('/customers', {
        state: { notice: `Erased ${r.erasedCustomers} customers and ${r.erasedActivities} activities.` },
      });
    },
  });
  return (
    <Modal opened onClose={onClose} title="Erase customer" size="lg">
      <Stack>
        {customer.linked && customer.linkedCustomers.length > 0 && (
          <Radio.Group label="Erase" value={scope} onChange={(v) => setScope(v as Scope)}>
            <Stack gap={6} mt={4}>
              <Radio value="self" label="This customer only" />
              <Radio value="linked" label={`This customer and its ${customer.linkedCustomers.length} linked customers`} />
            </Stack>
          </Radio.Group>
        )}
        <Alert color="red">
          <Text size="sm" fw={700}>
            {customers.length === 1 ? 'This customer will be erased:' : `These ${customers.length} customers will be erased:`}
          </Text>
          <List size="sm" aria-label="Customers to erase">
            {customers.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
          <Text size="sm" mt="xs">
            With them goes everything held about them: {held}
          </Text>
        </Alert>
        <ProblemAlert error={erase.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={() => erase.mutate()} loading={erase.isPending}>
            {customers.length === 1 ? 'Erase customer' : `Erase ${customers.length} customers`}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
