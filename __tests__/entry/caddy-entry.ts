// Runs entry/Caddyfile for real: `caddy validate`, then `caddy run` with `tls internal` (ACME cannot
// run offline) on free 127.0.0.1 ports, in front of a local upstream that plays the environment's
// load balancer: asleep (the ALB's own 503), the site's own 503, then up (200). Asserts what a browser
// and an API client get at each step, and what reaches the upstream (= what the wake alarm counts).
// Needs caddy of the pinned version (entry/caddy-release.json; CADDY, else .tools/bin/caddy, else PATH):
// a missing caddy, or one of another version, fails before any check. Run: npm run test:entry
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CADDY_PIN_FILE, readCaddyPin } from "./caddy-pin";
import { caddyBinary, freePort, request, requirePinnedCaddy, startUpstream, waitFor, type Upstream } from "./harness";

// Run from the project's root (npm run test:entry): the bundle runs from dist/, so not __dirname.
const root = process.cwd();
const caddyfile = path.join(root, "entry", "Caddyfile");
const failures: string[] = [];
let checks = 0;

function expect(condition: boolean, what: string, detail?: unknown): void {
  checks++;
  if (!condition) failures.push(`${what}${detail === undefined ? "" : `\n    got: ${JSON.stringify(detail)}`}`);
}

interface Entry {
  readonly process: ChildProcess;
  readonly httpsPort: number;
  readonly httpPort: number;
  readonly ca: Buffer;
  readonly log: () => string;
  readonly dataHome: string;
}

function entryEnvironment(mode: string, language: string, ports: { http: number; https: number }, upstream: number, dataHome: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dataHome,
    XDG_DATA_HOME: dataHome,
    XDG_CONFIG_HOME: dataHome,
    ENTRY_SITE_ADDRESS: "localhost",
    ENTRY_TLS: "internal",
    ENTRY_UPSTREAM: `http://127.0.0.1:${upstream}`,
    ENTRY_MODE: mode,
    ENTRY_PAGES: path.join(root, "entry", "pages", language),
    ENTRY_HTTP_PORT: String(ports.http),
    ENTRY_HTTPS_PORT: String(ports.https),
    ENTRY_API_RETRY_SECONDS: "30",
  };
}

function validate(caddy: string, env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  try {
    const output = execFileSync(caddy, ["validate", "--config", caddyfile, "--adapter", "caddyfile"], { env, encoding: "utf8", stdio: "pipe" });
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

async function startEntry(caddy: string, mode: string, language: string, upstream: Upstream): Promise<Entry> {
  const dataHome = mkdtempSync(path.join(tmpdir(), "entry-caddy-"));
  const ports = { http: await freePort(), https: await freePort() };
  const env = entryEnvironment(mode, language, ports, upstream.port, dataHome);
  const checked = validate(caddy, env);
  expect(checked.ok, `caddy validate accepts the Caddyfile (mode ${mode}, pages ${language})`, checked.output);
  let output = "";
  const child = spawn(caddy, ["run", "--config", caddyfile, "--adapter", "caddyfile"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const rootCertificate = path.join(dataHome, "caddy", "pki", "authorities", "local", "root.crt");
  await waitFor(() => existsSync(rootCertificate) && output.includes("serving initial configuration"), 20_000, () => `caddy did not start:\n${output}`);
  const ca = readFileSync(rootCertificate);
  // The internal issuer signs the site's certificate just after start: wait for a TLS handshake.
  await waitFor(async () => (await request({ port: ports.https, path: "/__entry/health", ca }).catch(() => undefined))?.status === 200, 20_000, () => `no TLS answer:\n${output}`);
  return { process: child, httpsPort: ports.https, httpPort: ports.http, ca, log: () => output, dataHome };
}

async function stopEntry(entry: Entry): Promise<void> {
  const exited = new Promise((resolve) => entry.process.once("exit", resolve));
  entry.process.kill("SIGTERM");
  await exited;
  rmSync(entry.dataHome, { recursive: true, force: true });
}

const BROWSER = { Accept: "text/html,application/xhtml+xml,application/xhtml+xml;q=0.9,*/*;q=0.8" };
const API = { Accept: "application/json" };

async function servingSteps(entry: Entry, upstream: Upstream): Promise<void> {
  const sent = new Set<string>();
  const get = (pathName: string, headers: Record<string, string>) => {
    sent.add(pathName);
    return request({ port: entry.httpsPort, path: pathName, headers, ca: entry.ca });
  };
  const firstUpstreamRequest = upstream.requests.length;

  // 1. Asleep: the load balancer answers 503 itself (no registered target).
  upstream.phase = "asleep";
  let before = upstream.requests.length;
  const page = await get("/places/paris?x=1", BROWSER);
  expect(page.status === 503, "asleep, browser: 503", page.status);
  expect(page.headers["retry-after"] === "5", "asleep, browser: Retry-After 5", page.headers["retry-after"]);
  expect(page.headers["x-entry-state"] === "waking", "asleep, browser: X-Entry-State waking (what the page's retry looks for)", page.headers["x-entry-state"]);
  expect(String(page.headers["content-type"]).startsWith("text/html"), "asleep, browser: HTML", page.headers["content-type"]);
  expect(page.headers["cache-control"] === "no-store", "asleep, browser: not cached", page.headers["cache-control"]);
  expect(page.body === readFileSync(path.join(root, "entry", "pages", "fr", "waking.html"), "utf8"), "asleep, browser: the committed French waking page, byte for byte", page.body.slice(0, 200));
  expect(!page.body.includes("503 Service Temporarily Unavailable"), "asleep, browser: not the load balancer's page");
  expect(upstream.requests.length === before + 1 && upstream.requests.at(-1)?.path === "/places/paris?x=1", "asleep: the request reached the load balancer (it is the wake signal)", upstream.requests.slice(before));

  const api = await get("/api/places", API);
  expect(api.status === 503, "asleep, API: 503", api.status);
  expect(api.headers["retry-after"] === "30", "asleep, API: Retry-After 30", api.headers["retry-after"]);
  expect(String(api.headers["content-type"]).startsWith("application/json"), "asleep, API: JSON", api.headers["content-type"]);
  expect(parse(api.body)?.error === "waking_up" && parse(api.body)?.retryAfterSeconds === 30, "asleep, API: a short JSON body", api.body);
  const apiAsBrowser = await get("/api/places", BROWSER);
  expect(apiAsBrowser.status === 503 && !apiAsBrowser.body.includes("<html"), "asleep, /api/* with Accept text/html: still JSON, never the page", apiAsBrowser.body.slice(0, 80));

  const asset = await get("/logo.png", { Accept: "image/png" });
  expect(asset.status === 503 && asset.headers["retry-after"] === "30" && !asset.body.includes("<html"), "asleep, other clients: 503, Retry-After, plain text", asset);

  before = upstream.requests.length;
  const health = await get("/__entry/health", {});
  expect(health.status === 200 && health.body === "ok", "the entry's health check answers 200 ok", health);
  expect(upstream.requests.length === before, "the entry's health check never reaches the load balancer", upstream.requests.slice(before));

  const plain = await request({ port: entry.httpPort, path: "/places", headers: BROWSER, tls: false });
  // The site address has no port, so Caddy redirects to the default HTTPS port (443 on the server).
  expect(plain.status === 308 && plain.headers.location === "https://localhost/places", "HTTP redirects to HTTPS (308, same path)", { status: plain.status, location: plain.headers.location });
  const stranger = await request({ port: entry.httpPort, path: "/", headers: { Host: "203.0.113.7" }, tls: false });
  expect(upstream.requests.length === before, "a request for another host (an address scanner) is not forwarded", { status: stranger.status, forwarded: upstream.requests.slice(before) });

  // 2. The site's own 503 (its containers run): passes through unchanged.
  upstream.phase = "app-503";
  const maintenance = await get("/maintenance", BROWSER);
  expect(maintenance.status === 503 && maintenance.body === "maintenance by the app" && maintenance.headers["x-entry-state"] === undefined, "the site's own 503 passes through unchanged", maintenance);

  // 3. Up: the site's responses pass through unchanged, and the page's retry sees the site.
  upstream.phase = "up";
  const site = await get("/places/paris?x=1", BROWSER);
  expect(site.status === 200 && site.body === upstream.siteBody, "up, browser: the site's own page", site.body.slice(0, 80));
  expect(site.headers["x-app"] === "city-guided" && site.headers["set-cookie"]?.[0] === "session=abc; HttpOnly", "up: the site's headers pass through", site.headers);
  expect(site.headers["x-entry-state"] === undefined, "up: no X-Entry-State (the waking page reloads on this)", site.headers["x-entry-state"]);
  const forwarded = upstream.requests.at(-1)!;
  expect(forwarded.headers["x-forwarded-proto"] === "https" && forwarded.headers.host === "localhost:" + entry.httpsPort, "the load balancer gets the original Host and X-Forwarded-Proto https", forwarded.headers);
  const apiUp = await get("/api/places", API);
  expect(apiUp.status === 200 && apiUp.body === upstream.apiBody, "up, API: the site's JSON unchanged", apiUp.body);

  const own = upstream.requests.slice(firstUpstreamRequest).filter((forwarded) => !sent.has(forwarded.path) || forwarded.path === "/__entry/health");
  expect(own.length === 0, "the entry sends no request of its own to the load balancer (no upstream health checks)", own);
}

async function stoppedSteps(entry: Entry, upstream: Upstream): Promise<void> {
  const get = (pathName: string, headers: Record<string, string>) => request({ port: entry.httpsPort, path: pathName, headers, ca: entry.ca });
  upstream.phase = "up";
  const before = upstream.requests.length;
  const page = await get("/", BROWSER);
  expect(page.status === 503 && page.headers["x-entry-state"] === "stopped", "stopped, browser: 503 and X-Entry-State stopped", { status: page.status, state: page.headers["x-entry-state"] });
  expect(page.body.includes('<html lang="fr">') && page.body.includes("arrêté volontairement"), "stopped, browser: the French stopped page", page.body.slice(0, 200));
  const api = await get("/api/places", API);
  expect(api.status === 503 && parse(api.body)?.error === "stopped", "stopped, API: 503 and a JSON body", api.body);
  await get("/places", { Accept: "*/*" });
  const health = await get("/__entry/health", {});
  expect(health.status === 200 && health.body === "ok", "stopped: the entry's own health check still answers", health.status);
  expect(upstream.requests.length === before, "stopped: nothing reaches the load balancer, so nothing wakes the environment", upstream.requests.slice(before));
}

/** The server's settings (ACME, not `tls internal`): what `caddy adapt` makes of them, without running. */
function productionIssuers(caddy: string, upstream: number): void {
  const scratch = mkdtempSync(path.join(tmpdir(), "entry-adapt-"));
  const env = { ...entryEnvironment("serving", "fr", { http: 80, https: 443 }, upstream, scratch), ENTRY_SITE_ADDRESS: "cityguided.duckdns.org", ENTRY_TLS: "ops@example.org" };
  const adapted = JSON.parse(execFileSync(caddy, ["adapt", "--config", caddyfile, "--adapter", "caddyfile"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  rmSync(scratch, { recursive: true, force: true });
  const policy = adapted.apps?.tls?.automation?.policies?.[0] ?? {};
  const issuers: { module: string; ca?: string; email?: string }[] = policy.issuers ?? [];
  expect(JSON.stringify(policy.subjects) === '["cityguided.duckdns.org"]', "on the server: a certificate for the site's name", policy.subjects);
  expect(issuers.length === 2 && issuers.every((issuer) => issuer.module === "acme" && issuer.email === "ops@example.org"), "on the server: ACME with the account e-mail", issuers);
  expect(issuers[0]?.ca === undefined && issuers[1]?.ca?.includes("zerossl") === true, "on the server: Let's Encrypt (Caddy's default CA) first, ZeroSSL as the fallback", issuers.map((issuer) => issuer.ca));
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!existsSync(caddyfile)) throw new Error(`${caddyfile} not found: run from the project's root`);
  const pin = readCaddyPin(root);
  const caddy = caddyBinary(root, pin);
  requirePinnedCaddy(caddy, pin);
  console.log(`caddy v${pin.version} (the pin, ${CADDY_PIN_FILE}): ${caddy}`);
  const upstream = await startUpstream();
  try {
    const scratch = mkdtempSync(path.join(tmpdir(), "entry-validate-"));
    const bad = validate(caddy, entryEnvironment("sleeping", "fr", { http: 1, https: 2 }, upstream.port, scratch));
    expect(!bad.ok, "caddy validate refuses an unknown ENTRY_MODE", bad.output.slice(-300));
    rmSync(scratch, { recursive: true, force: true });
    productionIssuers(caddy, upstream.port);

    for (const [mode, language, steps] of [["serving", "fr", servingSteps], ["stopped", "fr", stoppedSteps]] as const) {
      const entry = await startEntry(caddy, mode, language, upstream);
      try {
        await steps(entry, upstream);
      } finally {
        await stopEntry(entry);
      }
    }
    const english = await startEntry(caddy, "serving", "en", upstream);
    try {
      upstream.phase = "asleep";
      const page = await request({ port: english.httpsPort, path: "/", headers: { ...BROWSER, Cookie: "session=credential-in-cookie", Authorization: "Bearer credential-in-header" }, ca: english.ca });
      expect(page.status === 503 && page.body.includes('<html lang="en">') && page.body.includes("The service is starting"), "pages set to en: the English waking page", page.body.slice(0, 200));
      expect(english.log().includes('"uri":"/"'), "the entry logs each request (access log on stdout, for CloudWatch)");
      expect(!english.log().includes("credential-in-") && english.log().includes("REDACTED"), "the access log redacts cookies and Authorization (Caddy's default: no log_credentials)");
    } finally {
      await stopEntry(english);
    }
  } finally {
    upstream.close();
  }
  for (const failure of failures) console.error(`FAIL ${failure}`);
  console.log(`${checks - failures.length} of ${checks} checks passed`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
