// Per-process CPU time and memory, read from /proc (Linux): what each process of a run cost.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64

function statFields(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may contain spaces: fields start after the last ')'
    return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) the process has used; `children` adds its reaped children's (PostgreSQL's backends). */
export function cpuSeconds(pid: number, children = false): number {
  const f = statFields(pid);
  if (!f) return NaN;
  // after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / TICKS_PER_SECOND;
}

function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Peak resident memory since the process started (VmHWM), bytes. */
export const peakRss = (pid: number) => statusKb(pid, 'VmHWM');
export const currentRss = (pid: number) => statusKb(pid, 'VmRSS');

/** The PostgreSQL server's processes: the postmaster (from its pid file) and its live children. */
export function postgresPids(dataDir: string): { postmaster: number; children: number[] } | undefined {
  try {
    const postmaster = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    const children: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const f = statFields(Number(entry));
      if (f && Number(f[1]) === postmaster) children.push(Number(entry));
    }
    return { postmaster, children };
  } catch {
    return undefined;
  }
}

/** CPU seconds of the whole PostgreSQL server: postmaster, live backends, and the backends already gone. */
export function postgresCpuSeconds(dataDir: string): number {
  const p = postgresPids(dataDir);
  if (!p) return NaN;
  return cpuSeconds(p.postmaster, true) + p.children.reduce((s, pid) => s + (cpuSeconds(pid) || 0), 0);
}

/** Proportional set size: each page shared by n processes counts 1/n in each (so shared buffers count once in a sum). */
function pss(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's memory now: the sum of its processes' proportional set sizes. */
export function postgresRss(dataDir: string): number {
  const p = postgresPids(dataDir);
  if (!p) return NaN;
  return [p.postmaster, ...p.children].reduce((s, pid) => s + pss(pid), 0);
}

/** A CPU meter over an interval: seconds used by each named process between start() and stop(). */
export class CpuMeter {
  private startedAt = 0;
  private before = new Map<string, number>();
  constructor(private readonly sources: Record<string, () => number>) {}
  start(): this {
    this.startedAt = performance.now();
    for (const [name, read] of Object.entries(this.sources)) this.before.set(name, read());
    return this;
  }
  /** { name: { seconds, share } } with share = CPU seconds ÷ wall seconds (1.0 = one full core) */
  stop(): { wallSeconds: number; byProcess: Record<string, { seconds: number; share: number }> } {
    const wall = (performance.now() - this.startedAt) / 1000;
    const byProcess: Record<string, { seconds: number; share: number }> = {};
    for (const [name, read] of Object.entries(this.sources)) {
      const s = read() - (this.before.get(name) ?? 0);
      byProcess[name] = { seconds: s, share: s / wall };
    }
    return { wallSeconds: wall, byProcess };
  }
}

/** The whole machine's CPU time so far (all processes, ours and anyone else's), from /proc/stat: busy and total seconds. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
    const total = v.reduce((s, x) => s + x, 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return { busy: NaN, total: NaN };
  }
}
