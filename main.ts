import { App } from "cdktf";
import { runMain } from "./cli/main";
import { formatSynthSummary, summarizeSynth } from "./cli/synth-summary";
import { loadConfig } from "./config/load";
import { addStacks } from "./stacks/app";

// `npm run synth` and `cdktf synth` both run this file: env/ -> config -> stacks -> cdktf.out.
runMain(() => {
  // Validate before `new App()`, which creates the output folder: bad input writes nothing.
  const config = loadConfig("env");
  const app = new App();
  addStacks(app, config);
  app.synth();
  // Seconds since the process started: what the user waited, bundling included.
  process.stdout.write(formatSynthSummary(summarizeSynth(app.outdir), process.uptime()));
});
