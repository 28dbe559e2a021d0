import { App } from "cdktf";
import { runCommand } from "./config/errors";
import { loadConfig } from "./config/load";
import { addStacks } from "./stacks/app";

// `npm run synth` and `cdktf synth` both run this file: env/ -> config -> stacks -> cdktf.out.
runCommand(() => {
  // Validate before `new App()`, which creates the output folder: bad input writes nothing.
  const config = loadConfig("env");
  const app = new App();
  addStacks(app, config);
  app.synth();
});
