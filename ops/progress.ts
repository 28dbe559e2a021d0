/** A spinner on stderr while status waits on AWS; silent unless a person is watching. */
export interface Progress {
  stop(): void;
}

const FRAMES = ["|", "/", "-", "\\"];

/** Only on a terminal and never in CI (CI logs would fill with carriage returns). */
export function wantsProgress(stream: { readonly isTTY?: boolean }, environment: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !environment.CI;
}

export function startProgress(stream: NodeJS.WritableStream & { readonly isTTY?: boolean }, environment: NodeJS.ProcessEnv, label: string): Progress {
  if (!wantsProgress(stream, environment)) return { stop: () => undefined };
  let frame = 0;
  const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`);
  draw();
  const timer = setInterval(draw, 120);
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      // Erase the line so the report starts clean.
      stream.write(`\r${" ".repeat(label.length + 2)}\r`);
    },
  };
}
