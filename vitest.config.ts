import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Generous: these run real servers, a real SQLite file and a real browser on a possibly slow, busy machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'server', include: ['test/{unit,contract,integration,architecture}/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        // Evidence suites (issue 5): crash, outage, fuzz, signatures, authorization, SSRF, rate limits.
        // Each prints its figures; heavier settings through env (FUZZ_RUNS, CRASH_REQUESTS).
        test: { name: 'proof', include: ['test/proof/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        // Component tests of the Zendesk sidebar app: jsdom and a mocked ZAFClient.
        test: { name: 'app', include: ['test/app/**/*.test.{ts,tsx}'], environment: 'jsdom', setupFiles: ['test/app/support/browser-shims.ts'] },
      },
      {
        extends: true,
        // Real Chromium against the playground; each file starts its own server and browser.
        // After the other projects (groupOrder 1): test/integration/server-process.test.ts runs `npm start`,
        // which rebuilds the Zendesk app and the playground page these tests load (zendesk-app/dist, playground/dist).
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
