/**
 * Scale tests: the project at its documented limits (300 environments of 16-character names), which
 * take seconds of CPU each; kept out of `npm test` so that it stays fast. Run by .ci/run.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/scale"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 120000,
};
