import { createTheme } from '@mantine/core';

// Colours chosen for contrast (axe: no serious violation): a darker primary shade on light backgrounds.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});
