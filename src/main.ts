// Starts what the command line asks for (--role=all|api|worker) and stops everything cleanly on Ctrl-C.
import { ConfigError, loadConfig } from './config.ts';
import { startSystem, type Role, type System } from './system.ts';
import { createLogger } from './log.ts';

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
    lines.push(`  Admin API    ${s.config.publicUrl}/api/admin/outbox   (Authorization: Bearer <token>; token ${s.adminTokenFile ? `in ${s.adminTokenFile}` : "from ADMIN_TOKEN"})`);
    lines.push(`  API docs     ${s.config.publicUrl}/docs`);
  }
  lines.push(`  Role         ${s.role}${s.worker ? ` (workers: ${s.config.WORKER_CONCURRENCY})` : ''}`);
  lines.push(`  Database     ${s.embedded ? `embedded PostgreSQL on 127.0.0.1:${s.embedded.port}, data in ${s.config.dataDir}/pg` : 'DATABASE_URL'}`);
  if (s.sandbox) {
    const w = s.sandbox;
    lines.push('', '  Sandbox world (loopback servers speaking the providers\' wire formats)');
    lines.push(`  RDAP         ${w.rdap.url}/domain/{name}`);
    lines.push(`  whois        ${w.whois.url}`);
    lines.push(`  Namecheap    ${w.namecheap.url}/xml.response`);
    lines.push(`  DNS (UDP)    ${w.dns.url}`);
    lines.push(`  Stripe       ${w.stripe.url}   (checkout pages at /c/pay/{id})`);
    lines.push(`  PayPal       ${w.paypal.url}   (approval pages at /checkoutnow?token={id})`);
    lines.push(`  SMTP         ${w.smtp.url}`);
    lines.push(`  Netlify      ${w.netlify.apiUrl}/api/v1   (edge: http 127.0.0.1:${w.netlify.httpPort}, https 127.0.0.1:${w.netlify.httpsPort}; CA ${w.netlify.caCertPath})`);
    lines.push(`  Credentials  ${s.config.dataDir}/sandbox/credentials.json`);
  }
  lines.push('', '  Ctrl-C stops everything.', '');
  return lines.join('\n');
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
    console.error(`Conciergerie could not start: ${(err as Error).message}`);
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

main();
