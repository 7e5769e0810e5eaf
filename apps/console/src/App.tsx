import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo } from 'react';
import { BrowserRouter } from 'react-router';
import { ApiError, createApi } from './api/client';
import { ApiProvider } from './context';
import { Shell } from './Shell';
import { SessionProvider, useSession } from './session';
import { SignIn } from './SignIn';
import { cssVariables, theme } from './theme';

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables}>
      <SessionProvider>
        <BrowserRouter>
          <Signed />
        </BrowserRouter>
      </SessionProvider>
    </MantineProvider>
  );
}

/** Sign-in until there is a token; then the console on a client of its own (a new sign-in starts clean). */
function Signed() {
  const session = useSession();
  const { token, signOut } = session;
  const api = useMemo(
    () =>
      createApi({
        token: () => token,
        onUnauthorized: () => signOut('Your session has ended (the token expired or is not valid): sign in again.'),
      }),
    [token, signOut],
  );
  const queries = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: (n, e) => n < 1 && !(e instanceof ApiError && e.status < 500), refetchOnWindowFocus: false },
        },
      }),
    [token],
  );
  if (!token) return <SignIn />;
  return (
    <QueryClientProvider client={queries}>
      <ApiProvider api={api}>
        <Shell />
      </ApiProvider>
    </QueryClientProvider>
  );
}
