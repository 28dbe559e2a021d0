// The waking and stopped pages (entry/pages/<language>/): self-contained, one per language with the
// same structure, and the waking page's script retries on its fixed cadence, shows the site as soon
// as the entry stops marking its answer as waking, and gives up after its deadline. The script runs
// in a vm with a fake DOM, fetch and clock; the real Caddy run is `npm run test:entry`.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const LANGUAGES = ["fr", "en"] as const;
const page = (language: string, name: string) => readFileSync(`${__dirname}/../entry/pages/${language}/${name}.html`, "utf8");

interface Run {
  readonly fetches: number[];
  readonly reloads: number[];
  readonly shown: Set<string>;
  advance(seconds: number): Promise<void>;
}

/** Runs the page's inline script; `answer(second)` is the X-Entry-State the entry gives at that second. */
function runWakingScript(html: string, answer: (second: number) => string | null | "network-error"): Run {
  const script = html.match(/<script>([\s\S]*?)<\/script>/)![1];
  const data = Object.fromEntries([...html.matchAll(/data-([a-z-]+)="(\d+)"/g)].map(([, name, value]) => [name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), value]));
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const fetches: number[] = [];
  const reloads: number[] = [];
  const shown = new Set<string>();
  const element = (id: string) => ({
    dataset: id === "entry-waking" ? data : {},
    set hidden(value: boolean) {
      if (value) shown.delete(id);
      else shown.add(id);
    },
  });
  const context = {
    document: { getElementById: element },
    location: { href: "https://cityguided.duckdns.org/places", reload: () => reloads.push(now / 1000) },
    Date: { now: () => now },
    Number,
    setTimeout: (run: () => void, ms: number) => timers.push({ at: now + ms, run }),
    fetch: (_url: string, options: { headers: Record<string, string>; cache: string }) => {
      expect(options.headers.Accept).toBe("text/html");
      expect(options.cache).toBe("no-store");
      fetches.push(now / 1000);
      const state = answer(now / 1000);
      if (state === "network-error") return Promise.reject(new Error("offline"));
      return Promise.resolve({ headers: { get: (name: string) => (name === "X-Entry-State" ? state : null) } });
    },
  };
  vm.runInNewContext(script, context);
  return {
    fetches,
    reloads,
    shown,
    async advance(seconds: number) {
      const until = now + seconds * 1000;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > until) break;
        timers.shift();
        now = next.at;
        next.run();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = until;
    },
  };
}

describe.each(LANGUAGES)("the %s pages", (language) => {
  test.each(["waking", "stopped"])("%s.html is self-contained: inline CSS, no external resource", (name) => {
    const html = page(language, name);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  test("the waking page retries every 5 s and shows the site as soon as it answers", async () => {
    const run = runWakingScript(page(language, "waking"), (second) => (second < 42 ? "waking" : null));
    await run.advance(60);
    expect(run.fetches.slice(0, 4)).toEqual([5, 10, 15, 20]);
    expect(run.fetches.at(-1)).toBe(45);
    expect(run.reloads).toEqual([45]);
  });

  test("a network error is retried on the same cadence", async () => {
    const run = runWakingScript(page(language, "waking"), (second) => (second <= 10 ? "network-error" : null));
    await run.advance(30);
    expect(run.fetches).toEqual([5, 10, 15]);
    expect(run.reloads).toEqual([15]);
  });

  test("the stopped page (the environment was stopped meanwhile) is shown too", async () => {
    const run = runWakingScript(page(language, "waking"), () => "stopped");
    await run.advance(6);
    expect(run.reloads).toEqual([5]);
  });

  test("after 2 minutes it says it takes longer; after 10 it stops and asks to try again later", async () => {
    const run = runWakingScript(page(language, "waking"), () => "waking");
    await run.advance(119);
    expect(run.shown.has("patience")).toBe(false);
    await run.advance(2);
    expect(run.shown.has("patience")).toBe(true);
    await run.advance(600);
    expect(run.shown.has("gave-up")).toBe(true);
    expect(run.fetches.at(-1)).toBe(595);
    expect(run.fetches).toHaveLength(119);
    expect(run.reloads).toEqual([]);
  });
});

test("both languages have the same structure and timings", () => {
  const skeleton = (html: string) => [...html.matchAll(/\b(id|data-[a-z-]+)="([^"]*)"/g)].map(([, name, value]) => `${name}=${value}`);
  for (const name of ["waking", "stopped"]) expect(skeleton(page("en", name))).toEqual(skeleton(page("fr", name)));
  expect(page("fr", "waking")).toContain('data-retry-seconds="5" data-patience-seconds="120" data-give-up-seconds="600"');
});

test("the pages say what the issue asks", () => {
  const waking = page("fr", "waking");
  expect(waking).toMatch(/se met en veille après quelques minutes/);
  expect(waking).toMatch(/Votre visite vient de le réveiller/);
  expect(waking).toMatch(/réessayer plus tard/);
  expect(page("fr", "stopped")).toMatch(/arrêté volontairement/);
  expect(page("en", "stopped")).toMatch(/stopped on purpose/);
});
