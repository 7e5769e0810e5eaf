import { Alert, Button, Group, Text } from '@mantine/core';
import { ApiError } from '../api/client';

/** A refused or failed request in words: the problem's `detail`, and a retry when one is offered. */
export function ProblemAlert({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  if (!error) return null;
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  const heading = title ?? (error instanceof ApiError && error.status === 403 ? 'Not allowed' : 'Something went wrong');
  return (
    <Alert color="red" title={heading} role="alert">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  );
}

/** The per-field messages of a 422 problem, by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem?.errors ?? []) out[e.field] = e.message;
  return out;
}
