import { loadConfig } from "../../config/load";
import { synthProject } from "../helpers";

// Snapshots of the committed environments catch unintended drift; the properties that matter have
// assertions of their own in the other test files. Update with `npx jest -u` only after reading the diff.
describe("snapshots of the committed configuration", () => {
  const stacks = synthProject(loadConfig("env"));
  test.each(Object.keys(stacks).sort())("%s", (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });
});
