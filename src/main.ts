// Starts what the command line asks for (--role=all|api|worker) and stops everything cleanly on Ctrl-C.
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { startSystem, type Role, type System } from './system.ts';
import { createLogger } from './log.ts';
import { describeModes } from './provider-modes.ts';

function parseRole(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg ? arg.slice('--role='.length) : 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    console.error(`Unknown --role=${role}; use --role=all (default), --role=api or --role=worker.`);
    process.exit(2);
  }
  return role;
}

function banner(s: System): string {
  const lines = ['', '  Conciergerie is running', ''];
  if (s.url) {
    lines.push(`  App          ${s.config.publicUrl}/`);
    lines.push(
      `  Admin        ${s.config.publicUrl}/admin   (password ${s.config.ADMIN_PASSWORD ? 'from ADMIN_PASSWORD' : `in ${path.join(s.config.dataDir, 'admin-password')}`})`,
    );
    lines.push(
      `  Admin API    ${s.config.publicUrl}/api/admin/outbox   (Authorization: Bearer <token>; token ${s.adminTokenFile ? `in ${s.adminTokenFile}` : 'from ADMIN_TOKEN'})`,
    );
    lines.push(`  API docs     ${s.config.publicUrl}/docs`);
  }
  lines.push(`  Role         ${s.role}${s.worker ? ` (workers: ${s.config.WORKER_CONCURRENCY})` : ''}`);
  lines.push(...database(s));
  lines.push(`  Providers    ${describeModes(s.config.modes)}   (SANDBOX=${s.config.SANDBOX}; npm run doctor checks them)`);
  if (s.sandbox) {
    const w = s.sandbox;
    lines.push('', "  Sandbox world (loopback servers speaking the providers' wire formats)");
    lines.push(`  RDAP         ${w.rdap.url}/domain/{name}`);
    lines.push(`  whois        ${w.whois.url}`);
    lines.push(`  Namecheap    ${w.namecheap.url}/xml.response`);
    lines.push(`  DNS (UDP)    ${w.dns.url}`);
    lines.push(`  Stripe       ${w.stripe.url}   (checkout pages at /c/pay/{id})`);
    lines.push(`  PayPal       ${w.paypal.url}   (approval pages at /checkoutnow?token={id})`);
    lines.push(`  SMTP         ${w.smtp.url}`);
    lines.push(
      `  Netlify      ${w.netlify.apiUrl}/api/v1   (edge: http 127.0.0.1:${w.netlify.httpPort}, https 127.0.0.1:${w.netlify.httpsPort}; CA ${w.netlify.caCertPath})`,
    );
    lines.push(`  Credentials  ${s.config.dataDir}/sandbox/credentials.json`);
  }
  lines.push('', '  Ctrl-C stops everything.', '');
  return lines.join('\n');
}

/** Where the database is, and how another worker process reaches it (never the password: it stays in its 0600 file). */
function database(s: System): string[] {
  const e = s.embedded;
  if (!e) return ['  Database     DATABASE_URL'];
  const local = e.listen === '127.0.0.1' || e.listen === 'localhost' || e.listen === '::1';
  const host = e.listen === '0.0.0.0' || local ? os.hostname() : e.listen;
  return [
    `  Database     embedded PostgreSQL on 127.0.0.1:${e.port}, data in ${e.cluster} (${e.owner ? 'run by this process, stopped with it' : `attached: run by pid ${e.ownerPid}, which stops it`})`,
    `  More workers npm start -- --role=worker, with the same DATA_DIR on this machine; elsewhere with`,
    `               DATABASE_URL=postgres://conciergerie:<password>@${host}:${e.port}/conciergerie (password in ${e.credentialsFile})`,
    ...(local ? [`               (PostgreSQL listens on ${e.listen} only: EMBEDDED_PG_LISTEN=0.0.0.0 lets other machines in)`] : []),
  ];
}

/** What went wrong at start, in words an operator can act on (never a stack trace for a problem of the machine). */
function startFailure(err: unknown, config: { PORT: number; HOST: string }): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE')
    return `port ${config.PORT} on ${config.HOST} is already taken by another program. Stop it, or start with another port (PORT=3001 npm start).`;
  if (e?.code === 'EACCES' && e.syscall === 'listen')
    return `this user may not listen on port ${config.PORT}. Use a port above 1023 (PORT=3000) or run behind a reverse proxy.`;
  if (e?.code === 'ENOSPC') return `the disk is full (${e.path ?? 'DATA_DIR'}). Free some space and start again.`;
  return e?.message ?? String(err);
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      console.error('\nSee the README\'s "Settings" section.');
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const role = parseRole(process.argv.slice(2));
  let system: System;
  try {
    system = await startSystem({ config, role, log, onProgress: (step) => process.stderr.write(`… ${step}\n`) });
  } catch (err) {
    console.error(`Conciergerie could not start: ${startFailure(err, config)}`);
    process.exit(1);
  }
  console.log(banner(system));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n… ${signal}: stopping\n`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await system.stop();
    process.stderr.write('… stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`Conciergerie stopped: ${(err as Error)?.message ?? String(err)}`);
  process.exit(1);
});
