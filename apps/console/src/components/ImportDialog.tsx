import { Button, FileInput, Group, Modal, Progress, Radio, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ok } from '../api/client';
import { useApi } from '../context';
import { saveBlob } from '../download';
import { ImportReport } from './ImportReport';
import { ProblemAlert } from './Problem';

type Separator = 'comma' | 'semicolon';

/** UI4 "Import": the template, the separator, the file, "Check file" (dry run) and "Upload", then the report. */
export function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const [separator, setSeparator] = useState<Separator>('comma');
  const [file, setFile] = useState<File | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const report = useQuery({
    queryKey: ['import', importId],
    enabled: !!importId,
    queryFn: () => ok(api.GET('/v1/customers/imports/{id}', { params: { path: { id: importId! } } })),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'completed' || q.state.data.status === 'failed') ? false : 500),
  });
  const done = report.data && (report.data.status === 'completed' || report.data.status === 'failed');
  if (done && !report.data!.dryRun) void qc.invalidateQueries({ queryKey: ['customers'] });

  const template = async () => {
    setError(null);
    try {
      const blob = await ok(api.GET('/v1/customers/imports/template', { params: { query: { separator } }, parseAs: 'blob' }));
      saveBlob(blob as Blob, 'customers-template.csv');
    } catch (e) {
      setError(e);
    }
  };
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setBusy(true);
    setImportId(null);
    try {
      const created = await ok(
        api.POST('/v1/customers/imports', {
          params: { query: { dryRun } },
          body: { file: '', separator },
          bodySerializer: () => {
            const fd = new FormData();
            fd.append('separator', separator);
            fd.append('file', file, file.name);
            return fd;
          },
        }),
      );
      setImportId(created.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const errorRows = async () => {
    const blob = await ok(api.GET('/v1/customers/imports/{id}/errors.csv', { params: { path: { id: importId! } }, parseAs: 'blob' }));
    saveBlob(blob as Blob, 'import-errors.csv');
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Import" size="xl">
      <Stack>
        <Radio.Group label="Separator" value={separator} onChange={(v) => setSeparator(v as Separator)}>
          <Group mt={4}>
            <Radio value="comma" label="Comma (,)" />
            <Radio value="semicolon" label="Semicolon (;)" />
          </Group>
        </Radio.Group>
        <Group>
          <Button variant="default" onClick={template}>
            Download template
          </Button>
        </Group>
        <FileInput
          label="Upload your CSV File here"
          accept=".csv,text/csv"
          value={file}
          onChange={setFile}
          clearable
          placeholder="Choose a .csv file"
        />
        <Group>
          <Button variant="default" disabled={!file || busy} onClick={() => send(true)}>
            Check file
          </Button>
          <Button disabled={!file || busy} onClick={() => send(false)}>
            Upload
          </Button>
        </Group>
        <ProblemAlert error={error ?? report.error} />
        {importId && !done && (
          <div>
            <Text size="sm" role="status">
              {report.data?.status === 'processing' ? 'Processing the file…' : 'Waiting to start…'}
            </Text>
            <Progress value={100} animated aria-label="Import in progress" />
          </div>
        )}
        {done && report.data && <ImportReport report={report.data} />}
        {done && report.data && report.data.errors.length > 0 && (
          <Group>
            <Button variant="default" onClick={errorRows}>
              Download error rows
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
