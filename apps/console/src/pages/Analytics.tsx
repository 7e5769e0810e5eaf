import { Alert, Stack, Title } from '@mantine/core';

/** UI11's place in the menu: the charts arrive with the analytics API. */
export default function Analytics() {
  return (
    <Stack>
      <Title order={1}>Analytics</Title>
      <Alert color="gray" role="status">
        Analytics is not available on this service yet: new customers by source and channel, activities by type and the summary figures
        appear here once the service offers them.
      </Alert>
    </Stack>
  );
}
