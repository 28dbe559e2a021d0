/**
 * Process-level tests (`npm run test:cli`): every command run as a user runs it, as a child process
 * of `node scripts/run-ts.js <entry>` (or `npm run ...` for the README's command lines). Offline:
 * AWS is a closed port or a local server that never answers. `npm test` does not run these.
 */
module.exports = {
  ...require("./jest.base"),
  roots: ["<rootDir>/__tests__/cli"],
  testMatch: ["**/__tests__/cli/**/*.test.ts"],
  // Each case is a process (~1 s); the hanging-endpoint cases wait for their timeouts.
  testTimeout: 60000,
  maxWorkers: "100%",
  // Cases of one file run a few at a time (test.concurrent): each is a process waiting on I/O.
  maxConcurrency: 4,
};
