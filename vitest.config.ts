import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that start bin/morning-brief.js need dist/ built from the current src/.
    globalSetup: ['scripts/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real loopback servers and child processes; keep the 2-core machine calm.
    maxWorkers: 2,
  },
});
