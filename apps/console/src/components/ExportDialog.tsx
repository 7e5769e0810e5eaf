import { Button, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ok, type CustomerFilter } from '../api/client';
import { useApi } from '../context';
import { useSession } from '../session';
import { ProblemAlert } from './Problem';

/** UI5 "Export": the current filter, mailed to an address; at most the latest 1,000 customers. */
export function ExportDialog({ opened, onClose, filter }: { opened: boolean; onClose: () => void; filter: CustomerFilter }) {
  const api = useApi();
  const { claims } = useSession();
  const [email, setEmail] = useState(claims?.email ?? '');
  const start = useMutation({ mutationFn: () => ok(api.POST('/v1/customers/exports', { body: { filter, email: email.trim() } })) });
  const id = start.data?.id;
  const status = useQuery({
    queryKey: ['export', id],
    enabled: !!id,
    queryFn: () => ok(api.GET('/v1/customers/exports/{id}', { params: { path: { id: id! } } })),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'completed' || q.state.data.status === 'failed') ? false : 500),
  });
  const exp = status.data ?? start.data;
  return (
    <Modal opened={opened} onClose={onClose} title="Export">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate();
        }}
      >
        <Stack>
          <Text size="sm">Exports the customers of the current filter as a CSV file; a download link is sent by e-mail.</Text>
          <Text size="sm" fw={600}>
            At most the latest 1,000 customers are exported.
          </Text>
          <TextInput label="E-mail address" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <ProblemAlert error={start.error ?? status.error} />
          {exp && (
            <Text role="status">
              Export {exp.status}
              {exp.status === 'completed' ? `: ${exp.rowCount} customers, the link was sent to ${exp.email}.` : '.'}
              {exp.status === 'failed' && exp.failureReason ? ` ${exp.failureReason}` : ''}
            </Text>
          )}
          <Button type="submit" loading={start.isPending} disabled={!email.trim() || !!id}>
            Export
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
