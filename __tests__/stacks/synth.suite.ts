import { configFrom, synthProject } from "../helpers";

describe("stacks", () => {
  test("every environment file becomes a stack of its name, beside the registry", () => {
    const stacks = synthProject(configFrom({ staging: "", production: "", qa: "" }));
    expect(Object.keys(stacks).sort()).toEqual(["production", "qa", "registry", "staging"]);
  });
});
