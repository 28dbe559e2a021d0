/**
 * Scale tests: the project at its documented limits (300 environments of 16-character names), which
 * take seconds of CPU each; kept out of `npm test` so that it stays fast. Run by .ci/run.
 */
module.exports = {
  ...require("./jest.base"),
  roots: ["<rootDir>/__tests__/scale"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 120000,
};
