import { Button, Group } from '@mantine/core';

/** The part of an infinite query "Load more" needs (TanStack Query's `useInfiniteQuery` result). */
interface Paged {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** UI2: the next page of a list paged by cursor, shown while there is one. */
export function LoadMore({ list, justify }: { list: Paged; justify?: 'center' }) {
  if (!list.hasNextPage) return null;
  return (
    <Group justify={justify}>
      <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
        Load more
      </Button>
    </Group>
  );
}
