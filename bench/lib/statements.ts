// With `--statements`: what PostgreSQL ran for one unit of work (an intake request, a pipeline step), from pg_stat_statements.
import type { BenchContext } from './bench.ts';
import type { Scenario } from './scenario.ts';
import { inspection } from './scenario.ts';
import { fmt } from './stats.ts';

/** Statements per unit since the last reset, with the most frequent ones; [] without --statements. */
export async function statementLines(ctx: BenchContext, s: Scenario, units: number, unit: string, top = 20): Promise<string[]> {
  if (!inspection.statements) return [];
  const rows = await ctx.pg.statements(s.database);
  const total = rows.reduce((n, r) => n + r.calls, 0);
  const ms = rows.reduce((n, r) => n + r.ms, 0);
  const lines = [
    `Statements PostgreSQL ran (pg_stat_statements, each one a round trip from a client): ${total} in all, **${fmt(total / Math.max(1, units))} ${unit}**, ${fmt(ms / Math.max(1, units))} ms of execution ${unit}.`,
    '',
    '| calls | per unit | ms each (execution) | statement |',
    '|---|---|---|---|',
  ];
  for (const r of rows.slice(0, top))
    lines.push(
      `| ${r.calls} | ${fmt(r.calls / Math.max(1, units))} | ${fmt(r.ms / Math.max(1, r.calls))} | \`${r.query.replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 140)}\` |`,
    );
  ctx.log(lines.join('\n'));
  return ['', ...lines];
}
