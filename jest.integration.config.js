/**
 * Integration tests: the operations commands against moto's server mode (a real AWS emulator,
 * patched by __tests__/emulator/ as for `npm run test:apply`), started on 127.0.0.1 by globalSetup
 * and stopped by globalTeardown. Needs Python 3 and moto:
 * see docs/operations.md. `npm test` does not run these.
 */
module.exports = {
  ...require("./jest.base"),
  roots: ["<rootDir>/__tests__/integration"],
  testMatch: ["**/__tests__/integration/**/*.test.ts"],
  globalSetup: "<rootDir>/__tests__/integration/moto-setup.ts",
  globalTeardown: "<rootDir>/__tests__/integration/moto-teardown.ts",
  // Each test runs the commands as real processes (~1 s each) against one shared emulator.
  testTimeout: 60000,
  maxWorkers: 1,
};
