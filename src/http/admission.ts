// How many of the costly public requests (domain checks, orders) one process works on at once: the rest wait in line briefly, then are told to come back.
import { AppError } from '../errors.ts';

/**
 * Past its capacity a process that takes every request answers all of them late: at twice the
 * rate it can serve, the line grows without end and every customer waits minutes. Here at most
 * `maxInFlight` run at once; the next ones wait their turn (first come, first served) for at most
 * `maxWaitMs`, and a request still waiting then is refused before anything is done or stored, with
 * a 503 and Retry-After, which the web form follows by itself with the same Idempotency-Key.
 */
export class Admission {
  private inFlight = 0;
  private readonly line: { admit(): void }[] = [];

  constructor(
    readonly maxInFlight: number,
    readonly maxWaitMs: number,
  ) {}

  /** Resolves with the function that gives the place back; rejects with AppError('busy', 503) when the wait is over. */
  enter(): Promise<() => void> {
    if (this.inFlight < this.maxInFlight && this.line.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const waiting = {
        admit: () => {
          clearTimeout(timer);
          resolve(this.take());
        },
      };
      const timer = setTimeout(() => {
        const i = this.line.indexOf(waiting);
        if (i >= 0) this.line.splice(i, 1);
        reject(busy(this.maxWaitMs));
      }, this.maxWaitMs);
      this.line.push(waiting);
    });
  }

  get running(): number {
    return this.inFlight;
  }

  get waiting(): number {
    return this.line.length;
  }

  private take(): () => void {
    this.inFlight++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.inFlight--;
      // the place goes to the first in line, if any
      if (this.inFlight < this.maxInFlight) this.line.shift()?.admit();
    };
  }
}

function busy(waitedMs: number): AppError {
  // come back about when the line waited for has moved on: at least a second (Retry-After counts seconds)
  return new AppError('busy', 503, {}, { retryAfterSeconds: Math.max(1, Math.ceil(waitedMs / 1000)) });
}
