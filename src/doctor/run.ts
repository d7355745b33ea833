// `npm run doctor`: can this installation go live? The settings `npm start` would read, the sandbox world when providers use
// it (attached to when one runs, started for the check otherwise), then harmless reads against every provider.
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { buildProviders, type Providers } from '../providers/wiring.ts';
import { endpointsOf, readEndpoints, startSandboxWorld, worldOwner, type SandboxEndpoints, type SandboxWorld } from '../sandbox/world.ts';
import type { DoctorContext } from './context.ts';
import { blocks, describeError, findings, type Finding } from './report.ts';
import { checkStripe } from './checks/stripe.ts';
import { checkPaypal } from './checks/paypal.ts';
import { checkNamecheap } from './checks/namecheap.ts';
import { checkNetlify } from './checks/netlify.ts';
import { checkSmtp } from './checks/smtp.ts';
import { checkDns } from './checks/dns.ts';
import { checkPublicUrl } from './checks/public-url.ts';
import { checkSettings } from './checks/settings.ts';
import { checkDatabase } from './checks/database.ts';

export interface DoctorReport {
  /** nothing blocks going live (no failure) */
  ok: boolean;
  nodeEnv?: string;
  sandbox?: string;
  /** how the sandbox world was reached: attached to a running one, started for the check, or not needed */
  world: 'attached' | 'started' | 'none';
  findings: Finding[];
}

/** Each provider's checks, in the table's order; a check that throws is a failure of its own, the others still run. */
const CHECKS: [string, (ctx: DoctorContext) => Promise<Finding[]> | Finding[]][] = [
  ['Stripe', checkStripe],
  ['PayPal', checkPaypal],
  ['Namecheap', checkNamecheap],
  ['Netlify', checkNetlify],
  ['SMTP', checkSmtp],
  ['DNS resolver', checkDns],
  ['PUBLIC_URL', checkPublicUrl],
  ['Settings', checkSettings],
  ['Database', checkDatabase],
];

export async function runDoctor(opts: { env?: NodeJS.ProcessEnv; sendTest?: boolean } = {}): Promise<DoctorReport> {
  const env = opts.env ?? process.env;
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const f = findings('Settings', env.NODE_ENV ?? 'development');
    const all = err.problems.map((p) =>
      f.failure('npm start would accept them', p, 'fix this setting (README, "Settings"); npm start refuses to start until then'),
    );
    return { ok: false, world: 'none', findings: all };
  }

  const { world, own, note } = await sandboxWorld(config);
  // a world named but not there: nothing the sandboxed providers could be asked
  if (note?.result === 'failure') return { ok: false, nodeEnv: config.NODE_ENV, sandbox: config.SANDBOX, world: 'none', findings: [note] };
  let providers: Providers | undefined;
  try {
    providers = await buildProviders(config, world, createLogger('silent'));
    const ctx: DoctorContext = { config, env, world, providers, sendTest: opts.sendTest ?? false };
    const results = await Promise.all(
      CHECKS.map(async ([group, check]) => {
        try {
          return await check(ctx);
        } catch (err) {
          return [findings(group, '?').failure('the check itself', describeError(err), 'a bug in the doctor: please report it with this line')];
        }
      }),
    );
    const all = [...(note ? [note] : []), ...results.flat()];
    return { ok: !blocks(all), nodeEnv: config.NODE_ENV, sandbox: config.SANDBOX, world: own ? 'started' : world ? 'attached' : 'none', findings: all };
  } finally {
    providers?.mail.close?.();
    await own?.close();
  }
}

/** The world the sandboxed providers use: the running one this DATA_DIR names (or SANDBOX_ATTACH), else one of its own. */
async function sandboxWorld(config: Config): Promise<{ world?: SandboxEndpoints; own?: SandboxWorld; note?: Finding }> {
  if (!config.sandbox.any) return {};
  const f = findings('Sandbox world', 'sandbox');
  const file = config.SANDBOX_ATTACH ?? path.join(config.dataDir, 'sandbox', 'world.json');
  const owner = worldOwner(file);
  if (config.SANDBOX_ATTACH || owner) {
    try {
      const world = readEndpoints(file);
      return { world, note: f.ok('servers', `attached to the world ${owner ? `pid ${owner.pid} runs` : 'SANDBOX_ATTACH names'} (${file})`) };
    } catch (err) {
      return { note: f.failure('servers', `${file}: ${describeError(err)}`, 'unset SANDBOX_ATTACH, or point it at the world.json of a running npm start') };
    }
  }
  // in memory: nothing of the installation's own sandbox state is touched, and nothing is left behind
  const own = await startSandboxWorld({ config, webhookBaseUrl: () => config.publicUrl, persist: false });
  return { world: endpointsOf(own), own, note: f.ok('servers', 'none running: started one for this check, stopped after') };
}
