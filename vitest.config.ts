import { defineConfig } from 'vitest/config';

// One run for the whole workspace. Packages are imported by name and resolve to their
// built `dist/` (the test command builds first), exactly as users consume them.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tooling/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['packages/s3/src/test-support/s3-server-setup.ts'],
    reporters: ['default', './tooling/vitest-summary.ts'],
  },
});
