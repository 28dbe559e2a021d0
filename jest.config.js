/** Unit tests: offline, no Python, no AWS. swc strips types (tsc runs separately as `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Process-level and scale tests have their own configs: npm run test:integration, test:cli, test:scale.
  testPathIgnorePatterns: ["/node_modules/", "/__tests__/integration/", "/__tests__/cli/", "/__tests__/scale/"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  // cdktf's per-token stack traces, unmapped: see the file.
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/fast-token-traces.js"],
  moduleFileExtensions: ["ts", "js", "json"],
  // Both cores (jest's default leaves one idle on a 2-core machine).
  maxWorkers: "100%",
};
