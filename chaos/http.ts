// A small HTTP client for simulated customers: each one calls from its own loopback address (127.0.0.x), as distinct people would.
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the driver reads the answers of many routes loosely; the tests check their shapes
  json: any;
}

export interface Call {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  /** the source address, e.g. 127.0.0.7 (Linux answers for all of 127/8) */
  from?: string;
  timeoutMs?: number;
}

/** One request, redirects not followed; a network failure rejects. */
export function call(url: string, opts: Call = {}): Promise<Answer> {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    ...(body !== undefined && typeof opts.body === 'object' ? { 'content-type': 'application/json' } : {}),
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        localAddress: opts.from,
        timeout: opts.timeoutMs ?? 30_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          // biome-ignore lint/suspicious/noExplicitAny: as above
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The loopback address of customer number i (127.0.1.1, 127.0.1.2, ...). */
export function addressOf(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/**
 * Call until the answer is not a transient failure (network error, 5xx, 429), honouring Retry-After,
 * as a browser's user retrying after "please try again" would. Gives up at the deadline with the last answer.
 */
export async function persist(url: string, opts: Call & { untilMs?: number; note?: (a: Answer | Error) => void } = {}): Promise<Answer> {
  const until = Date.now() + (opts.untilMs ?? 120_000);
  let wait = 250;
  for (;;) {
    let answer: Answer | undefined;
    try {
      answer = await call(url, opts);
      if (answer.status < 500 && answer.status !== 429) return answer;
      opts.note?.(answer);
    } catch (err) {
      opts.note?.(err as Error);
    }
    if (Date.now() > until) {
      if (answer) return answer;
      throw new Error(`no answer from ${new URL(url).pathname} before the deadline`);
    }
    const retryAfter = Number(answer?.headers['retry-after']);
    await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5_000) : wait);
    wait = Math.min(wait * 2, 2_000);
  }
}
