import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The console: built into dist/console (served by apps/api at `/`); component tests in a DOM emulation. */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20000,
  },
});
