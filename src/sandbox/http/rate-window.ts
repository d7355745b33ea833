// Calls per key (a token, an API user, a site) in a sliding window: the providers' published quotas, enforced as they count them.

export interface WindowAnswer {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** ms since epoch when the oldest counted call leaves the window */
  resetAt: number;
}

export class SlidingWindow {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Whether one more call would be allowed, without counting it. */
  peek(key: string, now: number): WindowAnswer {
    const recent = (this.calls.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.calls.set(key, recent);
    const allowed = recent.length < this.limit;
    return { allowed, limit: this.limit, remaining: Math.max(0, this.limit - recent.length), resetAt: (recent[0] ?? now) + this.windowMs };
  }

  /** Counts the call when it is allowed; a refused call is not counted. */
  take(key: string, now: number): WindowAnswer {
    const answer = this.peek(key, now);
    if (!answer.allowed) return answer;
    const recent = this.calls.get(key)!;
    recent.push(now);
    return { ...answer, remaining: answer.remaining - 1, resetAt: recent[0] + this.windowMs };
  }
}
