// An HTTP figure's row: latency percentiles, errors and achieved rate of one open-loop load.
import type { HttpResult } from './loadgen.ts';
import { summary, fmt, ms } from './stats.ts';

export function httpRow(label: string, rate: number, r: HttpResult & { generatorCpuSeconds?: number }) {
  const s = summary(r.latenciesMs);
  const ok = Object.entries(r.statuses)
    .filter(([k]) => k.startsWith('2'))
    .reduce((n, [, v]) => n + v, 0);
  const errors = r.sent - ok;
  const detail = [
    ...Object.entries(r.statuses)
      .filter(([k]) => !k.startsWith('2'))
      .map(([k, v]) => `${v}× HTTP ${k}`),
    ...Object.entries(r.errors).map(([k, v]) => `${v}× ${k}`),
  ].join(', ');
  return {
    s,
    errors,
    cells: [
      label,
      `${rate}/s`,
      `${fmt(r.completed / r.wallSeconds)}/s`,
      ms(s.p50),
      ms(s.p90),
      ms(s.p99),
      ms(s.max),
      `${errors}${detail ? ` (${detail})` : ''}`,
      r.sent,
    ],
  };
}

export const HTTP_HEAD = ['target', 'offered', 'answered', 'p50', 'p90', 'p99', 'max', 'errors', 'requests'];
