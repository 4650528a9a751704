import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // graphql ships CommonJS and ESM builds; @graphql-tools loads the CommonJS one, so tests must too, or the two
  // copies refuse each other's types ("Cannot use GraphQLNonNull from another module or realm").
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // One embedded PostgreSQL for the run, for the event-store tests (test/events/); started only when they run.
    globalSetup: ['test/support/postgres.global.ts'],
  },
});
