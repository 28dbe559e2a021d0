/**
 * What every jest configuration of the project shares: swc strips types (tsc runs separately as
 * `npm run typecheck`), and cdktf's per-token stack traces are not source-mapped
 * (__tests__/support/fast-token-traces.js says why).
 */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/fast-token-traces.js"],
};
