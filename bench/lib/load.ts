// Runs the load generator and the reference server as separate processes, so their CPU is not the app's.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded.ts';
import type { HttpResult, LoadSpec, SseResult } from './loadgen.ts';
import { root, track } from './scenario.ts';
import { cpuSeconds } from './procs.ts';

function files(): { spec: string; result: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-load-'));
  return { spec: path.join(dir, 'spec.json'), result: path.join(dir, 'result.json'), dir };
}

function spawnLoadgen(spec: LoadSpec, ipc: boolean): { child: ChildProcess; result: () => unknown; cleanup: () => void; exited: Promise<void> } {
  const f = files();
  fs.writeFileSync(f.spec, JSON.stringify(spec));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/loadgen.ts', f.spec, f.result], {
    cwd: root,
    stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'inherit', 'inherit'],
  });
  track(child);
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load generator exited with ${code}`)))),
  );
  return {
    child,
    exited,
    result: () => JSON.parse(fs.readFileSync(f.result, 'utf8')),
    cleanup: () => fs.rmSync(f.dir, { recursive: true, force: true }),
  };
}

/** Open-loop HTTP load; resolves with every request's latency once the last answer is in. */
export async function runLoad(spec: Extract<LoadSpec, { mode: 'http' }>): Promise<HttpResult & { generatorCpuSeconds: number }> {
  const g = spawnLoadgen(spec, false);
  let cpu = 0;
  const meter = setInterval(() => (cpu = cpuSeconds(g.child.pid!) || cpu), 250);
  try {
    await g.exited;
    return { ...(g.result() as HttpResult), generatorCpuSeconds: cpu };
  } finally {
    clearInterval(meter);
    g.cleanup();
  }
}

/** Connects the SSE clients; `ready` once each got its first message, `stop()` closes them and returns what they saw. */
export function startSseClients(spec: Extract<LoadSpec, { mode: 'sse' }>) {
  const g = spawnLoadgen(spec, true);
  const ready = new Promise<{ connected: number; errors: number }>((resolve, reject) => {
    g.child.once('message', (m) => resolve(m as { connected: number; errors: number }));
    g.exited.catch(reject);
  });
  return {
    pid: g.child.pid!,
    ready,
    async stop(): Promise<SseResult> {
      g.child.send({ stop: true });
      await g.exited;
      const r = g.result() as SseResult;
      g.cleanup();
      return r;
    },
  };
}

/** The reference: a bare Fastify server in its own process. */
export async function startBareServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-server.ts', String(port)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/bare`,
    pid: child.pid!,
    stop: async () => {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
}
