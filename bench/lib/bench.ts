// What a benchmark is, what it is given, and what it hands back for BENCHMARKS.md.
import type { SandboxWorld } from '../../src/sandbox/world.ts';
import { loadConfig } from '../../src/config.ts';

/** The settings `npm start` runs with when none is set (the benchmarks say which ones they change). */
export const defaults = loadConfig({});
import type { BenchPostgres } from './scenario.ts';

export interface BenchContext {
  pg: BenchPostgres;
  quick: boolean;
  /** this run's sizes (full defaults, --quick ones, or --set overrides) */
  size: (key: string) => number;
  sizeList: (key: string) => number[];
  /** results other benchmarks may reuse within one run (the 1-worker pipeline run, for the scaling figure) */
  shared: Map<string, unknown>;
  log(message: string): void;
}

export interface BenchResult {
  /** markdown: the figure, its reference, the ratio */
  lines: string[];
  /** which limits were on or off and why, what bounds the figure */
  limits: string[];
  /** exact sizes actually run */
  ran: string;
}

export interface Benchmark {
  name: string;
  /** the figure's letter or number (a, b, 1, c …) */
  key: string;
  title: string;
  rerun: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/**
 * The real providers' usual latencies (ms, uniform min–max) as we see them from Europe: RDAP and whois answer in a
 * few hundred ms, Namecheap's XML API in one to three seconds (domains.create is the slow one), Netlify's API in
 * 100–500 ms, Stripe and PayPal in 200–900 ms, an SMTP submission in 100–500 ms, an authoritative DNS answer in
 * 5–40 ms. Scaled down by `scale` (0.1 = ten times faster) so a run fits in minutes.
 */
export const REALISTIC_LATENCY_MS: Record<string, [number, number]> = {
  rdap: [100, 400],
  whois: [200, 800],
  namecheap: [500, 3000],
  netlify: [100, 500],
  stripe: [200, 600],
  paypal: [300, 900],
  smtp: [100, 500],
  dns: [5, 40],
};

export function applyLatency(world: SandboxWorld, scale: number): string {
  const servers: Record<string, { faults: { latency: { minMs: number; maxMs: number } } }> = {
    rdap: world.rdap,
    whois: world.whois,
    namecheap: world.namecheap,
    netlify: world.netlify,
    stripe: world.stripe,
    paypal: world.paypal,
    smtp: world.smtp,
    dns: world.dns,
  };
  const parts: string[] = [];
  for (const [name, [min, max]] of Object.entries(REALISTIC_LATENCY_MS)) {
    const s = servers[name]!;
    s.faults.latency = { minMs: min * scale, maxMs: max * scale };
    parts.push(`${name} ${fmtMs(min * scale)}–${fmtMs(max * scale)}`);
  }
  return `${parts.join(', ')} ms`;
}

const fmtMs = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** A markdown table. */
export function table(head: string[], rows: (string | number)[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
