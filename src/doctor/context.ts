// What every check is given: the settings as `npm start` reads them, the sandbox world when one is used, the adapters.
import type { Config } from '../config.ts';
import type { ProviderMode } from '../provider-modes.ts';
import type { Providers } from '../providers/wiring.ts';
import type { SandboxEndpoints } from '../sandbox/world.ts';
import { findings, type Finding } from './report.ts';

export interface DoctorContext {
  config: Config;
  /** the raw environment, to tell a setting left unset (its placeholder default) from one set */
  env: NodeJS.ProcessEnv;
  /** the sandbox world the sandboxed providers use (attached to, or started for the check) */
  world?: SandboxEndpoints;
  /** the app's own adapters, built as `npm start` builds them (no shared rate limiter: a handful of reads) */
  providers: Providers;
  /** --send-test: one message to OPERATOR_EMAIL */
  sendTest: boolean;
}

/**
 * Where a payment provider must send its webhooks: PUBLIC_URL for a real provider; for the sandbox world, the app's own
 * address it delivers to (world.json says it once the app listens), else PUBLIC_URL.
 */
export function webhookBase(ctx: DoctorContext, mode: ProviderMode): string {
  return (mode === 'sandbox' ? ctx.world?.webhookBaseUrl : undefined) ?? ctx.config.publicUrl;
}

/** Whether a live installation is what the settings describe: production, and not a demonstration. */
export function goingLive(config: Config): boolean {
  return config.NODE_ENV === 'production' && config.SANDBOX !== 'on';
}

/**
 * A provider's mode judged for going live: a test mode in production would take pretend money or do pretend work, which
 * blocks; a demonstration's sandbox world is said. Nothing to say otherwise (the MODE column shows it).
 */
export function modeFinding(ctx: DoctorContext, group: string, mode: ProviderMode, liveSettings: string): Finding[] {
  const f = findings(group, mode);
  if (mode === 'test' && goingLive(ctx.config)) {
    return [f.failure('mode', 'test mode in production: nothing real would be paid or bought', `set ${liveSettings}`)];
  }
  if (mode === 'sandbox' && ctx.config.NODE_ENV === 'production') {
    return [f.warning('mode', 'the sandbox world (SANDBOX=on: a demonstration installation)', `to go live, set ${liveSettings} and remove SANDBOX=on`)];
  }
  return [];
}
