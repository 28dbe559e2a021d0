import { readdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadConfig } from "../../config/load";
import type { ProjectConfig } from "../../config/model";
import { addStacks } from "../../stacks/app";
import { projectRoot } from "../emulator/moto";

/**
 * What `npm run synth` writes (main.ts: the committed env/ -> config -> addStacks), written to `outdir`
 * instead of cdktf.out (left as it is). `adjust` changes the config first (the migration's import).
 * Returns the stacks' names, `registry` first.
 */
export function synthesize(outdir: string, adjust: (config: ProjectConfig) => ProjectConfig = (config) => config): string[] {
  const app = new App({ outdir });
  addStacks(app, adjust(loadConfig(join(projectRoot(), "env"))));
  app.synth();
  const environments = readdirSync(join(outdir, "stacks")).filter((stack) => stack !== "registry");
  return ["registry", ...environments.sort()];
}
