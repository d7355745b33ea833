// Reads a `--cpu-prof` profile (npm run bench -- --profile DIR) and prints where the CPU went: self time by function
// and by package, and the share of garbage collection, idle time and the program itself.
// node --import tsx bench/lib/profile-summary.ts DIR/some.cpuprofile [top=40]
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = process.argv[2];
if (!file) {
  console.error('usage: bench/lib/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 40);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

/** node_modules/<pkg>, node:<builtin>, our own files, or V8's pseudo-frames */
const where = (url: string, fn: string) => {
  if (!url) return `(${fn || 'native'})`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/');
};
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const busy = total - idle;
const fnTimes = new Map<string, number>();
const pkgTimes = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  if (n.callFrame.functionName === '(idle)') continue;
  const pkg = where(n.callFrame.url, n.callFrame.functionName);
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${pkg}:${n.callFrame.lineNumber + 1}`;
  fnTimes.set(fn, (fnTimes.get(fn) ?? 0) + t);
  pkgTimes.set(pkg, (pkgTimes.get(pkg) ?? 0) + t);
}
// inclusive time of our own functions (src/): what each of our operations costs with everything it calls
const inclusive = new Map<number, number>();
const totalOf = (id: number): number => {
  const known = inclusive.get(id);
  if (known !== undefined) return known;
  const n = byId.get(id)!;
  const t = (self.get(id) ?? 0) + (n.children ?? []).reduce((a, c) => a + totalOf(c), 0);
  inclusive.set(id, t);
  return t;
};
const ownTimes = new Map<string, number>();
const visit = (id: number, onStack: Set<string>) => {
  const n = byId.get(id)!;
  const pkg = where(n.callFrame.url, n.callFrame.functionName);
  const key = `${n.callFrame.functionName || '(anonymous)'} ${pkg}:${n.callFrame.lineNumber + 1}`;
  const own = pkg.startsWith('src/') && !onStack.has(key);
  if (own) ownTimes.set(key, (ownTimes.get(key) ?? 0) + totalOf(id));
  const next = own ? new Set(onStack).add(key) : onStack;
  for (const c of n.children ?? []) visit(c, next);
};
visit(profile.nodes[0]!.id, new Set());
const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (${((busy / total) * 100).toFixed(0)} %)`);
console.log('\nby package / file (self time, share of busy):');
for (const [k, t] of [...pkgTimes].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log('\nby function (self time):');
for (const [k, t] of [...fnTimes].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log('\nour own functions, inclusive (with everything they call):');
for (const [k, t] of [...ownTimes].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
