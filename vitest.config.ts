import { configDefaults, defineConfig } from 'vitest/config';

// One run for the whole workspace. Packages are imported by name and resolve to their
// built `dist/` (the test command builds first), exactly as users consume them.
const everyTest = [
  'packages/*/src/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'tooling/*/src/**/*.test.ts',
  'tests/*/src/**/*.test.ts',
];

// The test files that talk to the S3 test server (they read its address with `inject('s3')`).
// Only their project starts it, and only when one of them is in the run. A file that calls
// `inject('s3')` outside this list gets no address and fails: add it here.
const needsS3 = [
  'packages/s3/src/**/*.test.ts',
  'packages/metrics/src/prometheus-metrics.test.ts',
  'apps/media-service/src/{farm-profile,monitoring,shared-profile,unreachable-s3}.test.ts',
  'tests/integration/src/{s3,farm}/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './tooling/vitest-summary.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'local', include: everyTest, exclude: [...configDefaults.exclude, ...needsS3] },
      },
      {
        extends: true,
        test: {
          name: 's3',
          include: needsS3,
          globalSetup: ['tooling/test-support/src/s3-server-setup.ts'],
        },
      },
    ],
  },
});
