// Time in the sandbox servers: deadlines that fire once their moment has come, and records kept only for a while.

/**
 * Calls `due` once Date.now() has reached `atMs`. A timer may fire a hair before Date.now() gets there (timers run on
 * the event loop's clock); it then waits again, so `due` never runs early. It never keeps the process alive.
 */
export class Deadline {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly atMs: number,
    private readonly due: () => void,
  ) {
    this.arm();
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  private arm(): void {
    const ms = Math.max(0, this.atMs - Date.now());
    this.timer = setTimeout(() => (Date.now() < this.atMs ? this.arm() : this.due()), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }
}

/** Values kept under a key (idempotency keys, request ids) for at least `ttlMs`, then forgotten by an hourly sweep. */
export class KeptFor<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ttlMs: number) {
    this.sweeper = setInterval(() => this.sweep(), 60 * 60 * 1000);
    this.sweeper.unref();
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: string, value: V): void {
    this.entries.set(key, { value, at: Date.now() });
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.ttlMs;
    for (const [k, v] of this.entries) if (v.at < cutoff) this.entries.delete(k);
  }
}
