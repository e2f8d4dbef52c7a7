import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  test: {
    // Two cores: integration tests start real process trees, so keep the fan-out small.
    maxWorkers: 2,
    reporters: ['default', './src-backend/testing/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'backend',
          environment: 'node',
          include: ['src-backend/**/*.test.ts'],
          globalSetup: ['src-backend/testing/global-setup.ts'],
        },
      },
      {
        extends: true,
        plugins: [vue()],
        resolve: { alias: { '@contracts': resolve('src-backend/contracts') } },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['src-renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
