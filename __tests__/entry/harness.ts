// What the entry's real-run test needs around Caddy: the binary, free ports, an HTTP(S) client that
// trusts only Caddy's local CA, and an upstream that plays the environment's load balancer.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { CADDY_PIN_FILE, caddyInstallCommand, type CaddyPin } from "./caddy-pin";

/** Where caddy is: CADDY, else .tools/bin/caddy (where `.ci/run` builds it), else PATH; exits 2 when none. */
export function caddyBinary(root: string, pin: CaddyPin): string {
  const candidates = [process.env.CADDY, path.join(root, ".tools", "bin", "caddy")].filter((candidate): candidate is string => !!candidate);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  const onPath = (process.env.PATH ?? "").split(path.delimiter).map((folder) => path.join(folder, "caddy")).find((candidate) => existsSync(candidate));
  if (onPath) return onPath;
  console.error(`caddy not found (CADDY, .tools/bin/caddy, PATH): build the pinned version ${pin.version} (${CADDY_PIN_FILE}) with\n  ${caddyInstallCommand(pin)}`);
  process.exit(2);
}

/**
 * The Caddy module version a binary was built from (`caddy build-info`): `mod` for a `go install`
 * build, `dep` for a release binary (built from a wrapper module). `caddy version` says "unknown"
 * for a `go install` build, so it is not used.
 */
export function caddyModuleVersion(caddy: string): string | undefined {
  const info = execFileSync(caddy, ["build-info"], { encoding: "utf8" });
  return info.match(/^(?:mod|dep)\s+github\.com\/caddyserver\/caddy\/v2\s+(\S+)/m)?.[1];
}

/** Exits 2 unless the binary is the pinned version: the test must run what the instances install. */
export function requirePinnedCaddy(caddy: string, pin: CaddyPin): void {
  const built = caddyModuleVersion(caddy);
  if (built === `v${pin.version}`) return;
  console.error(`${caddy} is caddy ${built ?? "of an unknown version"}, not the pinned ${pin.version} (${CADDY_PIN_FILE}): build it with\n  ${caddyInstallCommand(pin)}`);
  process.exit(2);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(message());
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly port: number;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Caddy's local root certificate: the only CA the client trusts. */
  readonly ca?: Buffer;
  /** @default true */
  readonly tls?: boolean;
}

/** A request to 127.0.0.1 for the site `localhost` (SNI and Host), as a browser of that name would send. */
export function request(options: RequestOptions): Promise<Answer> {
  const secure = options.tls !== false;
  const headers = { Host: `localhost:${options.port}`, ...options.headers };
  return new Promise((resolve, reject) => {
    const handle = (response: http.IncomingMessage) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    };
    const common = { host: "127.0.0.1", port: options.port, path: options.path, headers, agent: false as const, timeout: 10_000 };
    const sent = secure ? https.request({ ...common, servername: "localhost", ca: options.ca }, handle) : http.request(common, handle);
    sent.on("timeout", () => sent.destroy(new Error(`timeout: ${options.path}`)));
    sent.on("error", reject);
    sent.end();
  });
}

export type Phase = "asleep" | "app-503" | "up";

export interface Upstream {
  readonly port: number;
  phase: Phase;
  readonly requests: { path: string; headers: IncomingHttpHeaders }[];
  readonly siteBody: string;
  readonly apiBody: string;
  close(): void;
}

/** The ALB's own answer with no registered target, as it is observed (Server awselb/2.0, its HTML). */
const LOAD_BALANCER_503 =
  "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";

export function startUpstream(): Promise<Upstream> {
  const siteBody = "<!doctype html><html lang=\"fr\"><title>city-guided</title><p>Le site</p></html>";
  const apiBody = '{"places":[{"id":1,"name":"Louvre"}]}';
  const requests: Upstream["requests"] = [];
  const state = { phase: "asleep" as Phase };
  const server = http.createServer((incoming, response) => {
    requests.push({ path: incoming.url ?? "", headers: incoming.headers });
    if (state.phase === "asleep") {
      response.writeHead(503, { Server: "awselb/2.0", "Content-Type": "text/html" });
      response.end(LOAD_BALANCER_503);
    } else if (state.phase === "app-503") {
      response.writeHead(503, { Server: "nginx", "Content-Type": "text/plain" });
      response.end("maintenance by the app");
    } else if ((incoming.url ?? "").startsWith("/api/")) {
      response.writeHead(200, { "Content-Type": "application/json", "X-App": "city-guided" });
      response.end(apiBody);
    } else {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "X-App": "city-guided", "Set-Cookie": "session=abc; HttpOnly" });
      response.end(siteBody);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        port,
        get phase() {
          return state.phase;
        },
        set phase(value: Phase) {
          state.phase = value;
        },
        requests,
        siteBody,
        apiBody,
        close: () => server.close(),
      });
    });
  });
}
