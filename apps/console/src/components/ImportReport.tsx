import { Group, SimpleGrid, Table, Text } from '@mantine/core';
import type { Schemas } from '../api/client';

type Import = Schemas['ImportDto'];

/** UI4: an import's totals, then its row errors (row, column, message). */
export function ImportReport({ report }: { report: Import }) {
  const verb = report.dryRun ? 'would be created' : 'created';
  return (
    <div aria-label="Import report" role="region">
      <SimpleGrid cols={4} mb="sm">
        <Figure label="Rows" value={report.totalRows} />
        <Figure label={report.dryRun ? 'Would be created' : 'Created'} value={report.createdCount} />
        <Figure label="Skipped" value={report.skippedCount} />
        <Figure label="Failed" value={report.failedCount} />
      </SimpleGrid>
      {report.status === 'failed' && <Text c="red">The import failed: {report.failureReason}</Text>}
      {report.status === 'completed' && report.errors.length === 0 && (
        <Text role="status">
          Every row is fine: {report.createdCount} customers {verb}.
        </Text>
      )}
      {report.errors.length > 0 && (
        <Table striped withTableBorder>
          <caption>Rows with errors</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Message</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.errors.map((e, i) => (
              <Table.Tr key={`${e.row}-${e.column}-${i}`}>
                <Table.Td>{e.row}</Table.Td>
                <Table.Td>{e.column || '—'}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Group gap={6}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700}>{value.toLocaleString('en-US')}</Text>
    </Group>
  );
}
