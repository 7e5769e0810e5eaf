import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useSession } from './session';

/** UI1: paste a bearer token (or open the first start's `/#token=…` link, taken in before this renders). */
export function SignIn() {
  const { signIn, reason } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!signIn(token)) setError('This is not a valid token (or it has expired). Mint one with: npm run token -- --app demo --role admin');
  };
  return (
    <Container size={460} py={80} component="main">
      <Title order={1} mb="xs">
        CDP console
      </Title>
      <Text c="dimmed" mb="lg">
        Sign in with a token of your app.
      </Text>
      {reason && (
        <Alert color="yellow" mb="md" role="status">
          {reason}
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={submit}>
          <Stack>
            <PasswordInput
              label="Token"
              description="The token printed at the first start, or one from npm run token"
              value={token}
              onChange={(e) => {
                setToken(e.currentTarget.value);
                setError(null);
              }}
              error={error}
              autoFocus
              autoComplete="off"
            />
            <Button type="submit" disabled={!token.trim()}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
