import { AppShell, Badge, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './session';

// Each screen is its own chunk: the first screen loads only what it needs.
const CustomerList = lazy(() => import('./pages/CustomerList'));
const CustomerDetails = lazy(() => import('./pages/CustomerDetails'));
const Groups = lazy(() => import('./pages/Groups'));
const GroupPage = lazy(() => import('./pages/GroupPage'));
const Analytics = lazy(() => import('./pages/Analytics'));
const Settings = lazy(() => import('./pages/Settings'));

const MENU = [
  { to: '/customers', label: 'Customers' },
  { to: '/groups', label: 'Groups' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/settings', label: 'Settings' },
];

export function Shell() {
  const { claims, signOut } = useSession();
  const [opened, { toggle }] = useDisclosure();
  const { pathname } = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={2} size="h4">
              CDP
            </Title>
          </Group>
          <Group gap="sm">
            <Text size="sm" aria-label="Signed-in app">
              App <strong>{claims?.app}</strong>
            </Text>
            <Badge variant="light" aria-label="Role">
              {claims?.role}
            </Badge>
            <Button variant="default" size="xs" onClick={() => signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Menu">
        {MENU.map((m) => (
          <NavLink key={m.to} component={Link} to={m.to} label={m.label} active={pathname.startsWith(m.to)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense
          fallback={
            <Center py="xl">
              <Loader aria-label="Loading" />
            </Center>
          }
        >
          <Routes>
            <Route path="/" element={<Navigate to="/customers" replace />} />
            <Route path="/customers" element={<CustomerList />} />
            <Route path="/customers/:id" element={<CustomerDetails />} />
            <Route path="/groups" element={<Groups />} />
            <Route path="/groups/:id" element={<GroupPage />} />
            <Route path="/analytics" element={<Analytics />} />
            <Route path="/settings" element={<Settings />} />
            <Route path="*" element={<Text>There is no such page.</Text>} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
