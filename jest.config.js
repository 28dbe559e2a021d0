/** Unit tests (`npm test`): offline, no Python, no AWS. */
module.exports = {
  ...require("./jest.base"),
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Process-level and scale tests have their own configs: npm run test:integration, test:cli, test:scale.
  testPathIgnorePatterns: ["/node_modules/", "/__tests__/integration/", "/__tests__/cli/", "/__tests__/scale/"],
  // Both cores (jest's default leaves one idle on a 2-core machine).
  maxWorkers: "100%",
};
