/** One kind of request a load worker sends, again and again, to the proxies in turn. */
export interface LoadLane {
  workers: number;
  keys: string[];
  body: string;
}

/** Concurrent clients against several proxies, tallying what each answer was. */
export class ClusterLoad {
  /** "200", "401 token_disabled", "503 database_unavailable", "no answer", … → count. */
  readonly outcomes = new Map<string, number>();
  /** Answers a client should never see (a 500, a 502, …), with their bodies. */
  readonly unexpected: string[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly urls: string[],
    lanes: LoadLane[],
  ) {
    let turn = 0;
    const workers = lanes.flatMap((lane) =>
      Array.from({ length: lane.workers }, () => this.work(lane, turn++)),
    );
    this.done = Promise.all(workers).then(() => undefined);
  }

  count(outcome: string): number {
    return this.outcomes.get(outcome) ?? 0;
  }

  /** Lets each client finish the request it is in, then resolves. */
  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async work(lane: LoadLane, turn: number): Promise<void> {
    while (this.running) {
      turn++;
      // Every key through every proxy: the proxy turns each time, the key each round.
      const url = this.urls[turn % this.urls.length]!;
      const key = lane.keys[Math.floor(turn / this.urls.length) % lane.keys.length]!;
      this.tally(await this.send(url, key, lane.body));
    }
  }

  private async send(url: string, key: string, body: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
    } catch {
      // The proxy is down (killed, or restarting): a load balancer would try another.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'no answer';
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      return `${response.status} cut`;
    }
    if (response.status === 200) return '200';
    let code = '';
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
    } catch {
      // Not JSON: kept whole below.
    }
    const outcome = `${response.status} ${code}`.trim();
    if (![401, 503].includes(response.status)) this.unexpected.push(`${outcome}: ${text}`);
    return outcome;
  }

  private tally(outcome: string): void {
    this.outcomes.set(outcome, this.count(outcome) + 1);
  }
}
