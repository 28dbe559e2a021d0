import { PassThrough } from "node:stream";
import type { Output } from "../ops/cli";

/**
 * An SDK client that answers from recorded responses, by command name (`DescribeServicesCommand`),
 * in order: each call takes the next answer of its command (the last one repeats). An answer that is
 * an Error is thrown, as the SDK throws a service exception; one that is a function is called with
 * the command's input (its result is then thrown or returned the same way). Every call is kept,
 * with its input.
 */
export function fakeClient<T>(answers: Record<string, unknown[]>): { client: T; calls: { command: string; input: any }[] } {
  const calls: { command: string; input: any }[] = [];
  const used: Record<string, number> = {};
  const client = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const name = command.constructor.name;
      calls.push({ command: name, input: command.input });
      const list = answers[name];
      if (!list) throw new Error(`the fake client has no answer for ${name}`);
      const listed = list[Math.min(used[name] ?? 0, list.length - 1)];
      used[name] = (used[name] ?? 0) + 1;
      const answer = typeof listed === "function" ? listed(command.input) : listed;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    destroy: () => undefined,
  };
  return { client: client as T, calls };
}

/** A service exception as the SDK v3 builds it from AWS's JSON error (name, HTTP status, fault). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? "server" : "client", $metadata: { httpStatusCode, requestId: "0000" } });
}

/** An Output whose stdout and stderr are kept as text. */
export function captured(environment: NodeJS.ProcessEnv = {}): Output & { text: () => string; errors: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = "";
  let errors = "";
  stdout.on("data", (chunk) => (text += chunk));
  stderr.on("data", (chunk) => (errors += chunk));
  return { stdout, stderr, environment, text: () => text, errors: () => errors };
}
