import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One synthesized stack, as the summary line shows it. */
export interface StackSummary {
  readonly name: string;
  readonly resources: number;
  /** The stack's Terraform JSON, relative to the current folder (`cdktf.out/stacks/<name>/cdk.tf.json`). */
  readonly path: string;
}

/** The stacks of the manifest cdktf just wrote, with the number of resources (not data sources) of each. */
export function summarizeSynth(outdir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks).map(([name, stack]) => {
    const file = join(outdir, stack.synthesizedStackPath);
    const terraform = JSON.parse(readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.values(terraform.resource ?? {}).reduce((count, byName) => count + Object.keys(byName).length, 0);
    return { name, resources, path: relative(process.cwd(), file) };
  });
}

/** One line per stack and a total: short enough for a CI log. */
export function formatSynthSummary(stacks: readonly StackSummary[], seconds: number): string {
  const width = Math.max(...stacks.map((stack) => stack.name.length));
  const countWidth = Math.max(...stacks.map((stack) => String(stack.resources).length));
  const lines = stacks.map((stack) => `${stack.name.padEnd(width)}  ${String(stack.resources).padStart(countWidth)} resources  ${stack.path}`);
  const total = stacks.reduce((count, stack) => count + stack.resources, 0);
  return `${lines.join("\n")}\nsynthesized ${stacks.length} stack${stacks.length === 1 ? "" : "s"}, ${total} resources, in ${seconds.toFixed(1)} s\n`;
}
