import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Asks a URL once; resolves to the final HTTP status, or undefined when nothing answered. */
export type Probe = (url: string) => Promise<number | undefined>;

const MAX_REDIRECTS = 5;
const PROBE_SECONDS = 10;

/**
 * GET <url>, following redirects (http -> https): only the application's own answer counts. TLS is
 * not verified: the URL names the load balancer (*.elb.amazonaws.com) while its certificate names
 * the site, so verification would always fail; this checks that the service answers, not TLS.
 */
export const httpProbe: Probe = async (url) => {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const answer = await getOnce(current);
    if (!answer) return undefined;
    if (answer.status < 300 || answer.status >= 400 || !answer.location) return answer.status;
    current = new URL(answer.location, current).toString();
  }
  return undefined;
};

function getOnce(url: string): Promise<{ status: number; location?: string } | undefined> {
  return new Promise((resolve) => {
    const request = (url.startsWith("https:") ? httpsRequest : httpRequest)(url, { method: "GET", rejectUnauthorized: false, timeout: PROBE_SECONDS * 1000 }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(undefined));
    request.end();
  });
}
