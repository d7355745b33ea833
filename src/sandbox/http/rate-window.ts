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

/**
 * Several windows over one log of calls (a minute, an hour, a day): a call is allowed when every window has room.
 * The log keeps the last call times in order, so each window's count is a binary search, not a scan.
 */
export class MultiWindow {
  private readonly logs = new Map<string, { times: number[]; head: number }>();
  private readonly longest: number;

  constructor(private readonly windows: { limit: number; ms: number }[]) {
    this.longest = Math.max(...windows.map((w) => w.ms));
  }

  /** Counts the call when every window allows it; a refused call is not counted. */
  take(key: string, now: number): boolean {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = { times: [], head: 0 }));
    while (log.head < log.times.length && now - log.times[log.head]! >= this.longest) log.head++;
    if (log.head > 4096 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    for (const w of this.windows) {
      if (log.times.length - firstWithin(log.times, log.head, now - w.ms) >= w.limit) return false;
    }
    log.times.push(now);
    return true;
  }
}

/** The index of the first time after `since` in the sorted times from `head` on. */
function firstWithin(times: number[], head: number, since: number): number {
  let lo = head;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
