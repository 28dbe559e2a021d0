// Who sends requests to the load balancer, second by second. A client decides each second whether
// it sends a request, and hears the answer (200 from a task, 503 from the load balancer itself).
// A waking page that retries is a Visitor (scenarios.ts reads its cadence from the committed page).

export type Answer = 200 | 503;

export interface Client {
  /** Shown in the timeline and in failure messages. */
  readonly label: string;
  /**
   * False for requests that the public entry answers itself (its own health path, a host it does
   * not serve): they never reach the load balancer, so no metric counts them. @default true
   */
  readonly reachesLoadBalancer?: boolean;
  wantsRequest(second: number): boolean;
  hear(second: number, answer: Answer): void;
}

export interface VisitorOptions {
  /** Second of the first request. */
  readonly arrivesAt: number;
  /** While answered 503, the visitor (or their page) tries again every this many seconds. */
  readonly retryEverySeconds: number;
  /** Once answered, the visitor browses: one request every `browseEverySeconds`... */
  readonly browseEverySeconds?: number;
  /** ...for this long, then leaves. @default 0 (leaves after the first answer) */
  readonly browseSeconds?: number;
  /** Gives up after this many seconds without an answer. @default never */
  readonly givesUpAfterSeconds?: number;
}

/** A visitor who retries while the site answers 503, browses a while once it answers, then leaves. */
export class Visitor implements Client {
  public readonly label: string;
  /** Second of the first 200, if any. */
  public answeredAt?: number;
  private nextAt: number;

  constructor(private readonly options: VisitorOptions) {
    this.label = `visitor from ${options.arrivesAt}s`;
    this.nextAt = options.arrivesAt;
  }

  wantsRequest(second: number): boolean {
    if (second !== this.nextAt) return false;
    const { givesUpAfterSeconds, arrivesAt, browseSeconds = 0 } = this.options;
    if (this.answeredAt === undefined && givesUpAfterSeconds !== undefined && second - arrivesAt > givesUpAfterSeconds) return false;
    if (this.answeredAt !== undefined && second - this.answeredAt > browseSeconds) return false;
    return true;
  }

  hear(second: number, answer: Answer): void {
    if (answer === 200 && this.answeredAt === undefined) this.answeredAt = second;
    this.nextAt = second + (this.answeredAt === undefined ? this.options.retryEverySeconds : this.options.browseEverySeconds ?? Number.POSITIVE_INFINITY);
  }
}

/** Requests at a fixed interval between two seconds, whatever the answers (a monitor, a steady stream of users). */
export class SteadyTraffic implements Client {
  public readonly label: string;

  constructor(private readonly from: number, private readonly until: number, private readonly everySeconds: number) {
    this.label = `a request every ${everySeconds}s from ${from}s to ${until}s`;
  }

  wantsRequest(second: number): boolean {
    return second >= this.from && second <= this.until && (second - this.from) % this.everySeconds === 0;
  }

  hear(): void {}
}

/**
 * The public entry's health check (docs/public-entry.md): a request every `everySeconds`. The
 * design answers it in the entry itself (`reachesLoadBalancer` false); `throughLoadBalancer` is the
 * design it forbids, kept to show why.
 */
export class EntryHealthCheck implements Client {
  public readonly label: string;
  public readonly reachesLoadBalancer: boolean;

  constructor(private readonly everySeconds: number, throughLoadBalancer: boolean) {
    this.reachesLoadBalancer = throughLoadBalancer;
    this.label = `the entry's health check every ${everySeconds}s${throughLoadBalancer ? " through the load balancer" : ", answered by the entry"}`;
  }

  wantsRequest(second: number): boolean {
    return second % this.everySeconds === 0;
  }

  hear(): void {}
}
