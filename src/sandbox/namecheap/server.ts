// The sandbox Namecheap: its XML API at /xml.response over the sandbox registry, so the real NamecheapRegistrar runs
// against it unchanged. This file is the endpoint (global parameters, rate limit, faults); the commands are commands.ts.
//
// What the real API does (namecheap.com/support/api/intro, .../global-parameters):
//  - one endpoint, GET or POST (form-encoded), the command named by the `Command` parameter;
//  - every call carries the global parameters ApiUser, ApiKey, UserName, ClientIp;
//  - parameter names are case-insensitive (Namecheap's own examples write `apiuser=`);
//  - the answer is HTTP 200 with an <ApiResponse Status="OK|ERROR">, failures being <Error Number="..."> elements; but
//    past the account's quota the API answers HTTP 405 without running the command (the official SDK retries on 405
//    and only on it: namecheap/go-namecheap-sdk namecheap.go), 20 calls a minute, 700 an hour, 8000 a day as Namecheap
//    documents them (the SDK's README, "Rate limiting & retries").
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { sendJson, sendText, sendXml } from '../http/answer.ts';
import { readText } from '../http/body.ts';
import { MultiWindow } from '../http/rate-window.ts';
import { listenHttp } from '../http/server.ts';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import { Ledger } from '../ledger.ts';
import type { SandboxRegistry } from '../registry-state.ts';
import { ApiFailure, envelope, NamecheapErrorNumber as E, Params } from './api.ts';
import { namecheapCommands, type SandboxRenewal } from './commands.ts';
import { completeTransferOut } from './transfer.ts';

export { NamecheapErrorNumber } from './api.ts';
export { MAX_NAMES_PER_CHECK, RECORD_TYPES } from './commands.ts';

export interface NamecheapServerOptions {
  registry: SandboxRegistry;
  apiUser: string;
  apiKey: string;
  host?: string;
  port?: number;
  faults: FaultInjector;
  /** price the sandbox quotes for every premium-* name, in cents (default 250000 = 2500.00) */
  premiumPriceCents?: number;
  /** what a premium name renews at, and the fee that restores it from redemption, in cents (default 200000 and 6500) */
  premiumRenewalCents?: number;
  premiumRestoreCents?: number;
  /**
   * Calls a minute, an hour and a day per ApiUser before the answer becomes HTTP 405. Namecheap's own are 20, 700 and
   * 8000 (SANDBOX_NAMECHEAP_BUDGET=documented); the default is larger so that tests and demos stay quick.
   */
  budget?: { perMinute: number; perHour: number; perDay: number };
  /** the address whitelisted on the account at start (what the app sends as ClientIp); default 127.0.0.1 */
  clientIp?: string;
  /** the account's balance at start, in US cents (default 100000: 1,000.00 USD) */
  balanceCents?: number;
}

/** The account as Namecheap's panel shows it; tests and the doctor's failures change it at run time. */
export interface NamecheapAccount {
  /** Profile → Tools → Namecheap API Access → Whitelisted IPs */
  whitelist: Set<string>;
  /** what namecheap.users.getBalances reports (USD cents); purchases do not draw on it (see getBalances) */
  balanceCents: number;
  /** every renewal and reactivation made, oldest first (commands.ts) */
  renewals: SandboxRenewal[];
  /**
   * the account's books: every domains.create, domains.renew and domains.reactivate that reached the command, by name,
   * done or refused. The live API takes no idempotency key, so each is a request of its own (the sandbox's key replay included).
   */
  ledger: Ledger;
}

export interface NamecheapSandbox extends SandboxServer {
  account: NamecheapAccount;
  /**
   * Sandbox knob: another registrar's transfer of `domain` completes, so the name leaves the account (refused while
   * the registrar lock is on). Also POST /__sandbox/transfer-out?domain=<name>, for the demo.
   */
  transferOut(domain: string): void;
}

/** the commands that spend: a purchase, a renewal, a reactivation */
const SPENDING = new Set(['namecheap.domains.create', 'namecheap.domains.renew', 'namecheap.domains.reactivate']);
const failureNumber = (err: unknown) => (err instanceof ApiFailure ? String(err.number) : undefined);

export async function startNamecheapServer(opts: NamecheapServerOptions): Promise<NamecheapSandbox> {
  const { registry, faults } = opts;
  const b = opts.budget ?? { perMinute: 600, perHour: 20_000, perDay: 200_000 };
  const quota = new MultiWindow([
    { limit: b.perMinute, ms: 60_000 },
    { limit: b.perHour, ms: 3_600_000 },
    { limit: b.perDay, ms: 86_400_000 },
  ]);
  const account: NamecheapAccount = {
    whitelist: new Set([opts.clientIp ?? '127.0.0.1']),
    balanceCents: opts.balanceCents ?? 100_000,
    renewals: [],
    ledger: new Ledger(),
  };
  const commands = namecheapCommands({
    registry,
    apiUser: opts.apiUser,
    premiumPriceCents: opts.premiumPriceCents ?? 250_000,
    premiumRenewalCents: opts.premiumRenewalCents ?? 200_000,
    premiumRestoreCents: opts.premiumRestoreCents ?? 6_500,
    balanceCents: () => account.balanceCents,
    renewals: account.renewals,
  });

  /** The global parameters every call carries; throws the error the live API answers. */
  function authenticate(p: Params): void {
    const apiUser = p.get('ApiUser');
    if (!apiUser) throw new ApiFailure(E.API_USER_MISSING, 'Parameter APIUser is missing');
    const apiKey = p.get('ApiKey');
    if (!apiKey) throw new ApiFailure(E.API_KEY_MISSING, 'Parameter APIKey is missing');
    // A wrong user and a wrong key get the same answer, as on the live API: it tells nothing.
    if (apiUser !== opts.apiUser || apiKey !== opts.apiKey || faults.faults.revokedCredentials) {
      throw new ApiFailure(E.API_KEY_INVALID, 'API Key is invalid or API access has not been enabled');
    }
    const userName = p.get('UserName');
    if (!userName) throw new ApiFailure(E.USER_NAME_NOT_AVAILABLE, 'Parameter UserName is not available');
    // The API user may act for sub-accounts on the live API; the sandbox has only one account.
    if (userName !== opts.apiUser) throw new ApiFailure(E.USER_NAME_UNAUTHORIZED, 'Parameter UserName is unauthorized');
    const clientIp = p.get('ClientIp');
    if (!clientIp) throw new ApiFailure(E.CLIENT_IP_MISSING, 'Parameter ClientIP is missing');
    // Only IPv4 is accepted, and only from a whitelisted address: the live API answers a call from any other with
    // 1011150 "Invalid request IP: <ip>" (global error list; namecheap/go-namecheap-sdk#4). On loopback every call comes
    // from 127.0.0.1, so the sandbox checks the address the call names.
    if (!net.isIPv4(clientIp) || !account.whitelist.has(clientIp)) throw new ApiFailure(E.REQUEST_IP_INVALID, `Invalid request IP: ${clientIp}`);
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (req.method === 'GET' && url.pathname === '/__sandbox/registrations') return sendJson(res, 200, { registrations: registry.all() });
    if (req.method === 'POST' && url.pathname === '/__sandbox/transfer-out') {
      try {
        completeTransferOut(registry, opts.apiUser, String(url.searchParams.get('domain') ?? '').toLowerCase());
        return sendJson(res, 200, { transferred: true });
      } catch (err) {
        return sendJson(res, 409, { transferred: false, reason: (err as Error).message });
      }
    }
    if (url.pathname !== '/xml.response') return sendText(res, 404, 'Not found: the Namecheap API lives at /xml.response');
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      res.end();
      return;
    }
    const startedAt = performance.now();
    const body = req.method === 'POST' ? await readText(req) : '';
    const p = new Params([url.searchParams, new URLSearchParams(body)]);
    const requested = (p.get('Command') ?? '').toLowerCase();
    const fail = (failure: ApiFailure) => sendXml(res, envelope(requested, startedAt, { errors: [failure] }));

    const serverError = () => fail(new ApiFailure(E.UNHANDLED, 'Unhandled exceptions'));
    const throttled = (r: ServerResponse) => sendText(r, 405, 'Too many requests');
    if (!(await faults.apply(req, res, serverError, throttled))) return;
    if (!quota.take(p.get('ApiUser') ?? '', Date.now())) return throttled(res);
    try {
      authenticate(p);
      if (!requested) throw new ApiFailure(E.COMMAND_MISSING, 'Parameter Command is missing');
      const command = commands.get(requested);
      if (!command) throw new ApiFailure(E.COMMAND_UNKNOWN, `Command ${requested} is not known to the sandbox`);
      // a purchase or a renewal: its caller may be stopped here, or its answer lost once the work is done (every answer
      // is HTTP 200: only Status="OK" says the work was done)
      const spending = SPENDING.has(requested);
      if (spending) await faults.spending('namecheap', requested.slice('namecheap.'.length), req, res, serverError, (_, body) => body.includes('Status="OK"'));
      const result = spending
        ? account.ledger.track({ operation: requested.slice('namecheap.'.length), target: (p.get('DomainName') ?? '').toLowerCase() }, failureNumber, () =>
            command.run(p, req),
          )
        : command.run(p, req);
      sendXml(res, envelope(requested, startedAt, { type: command.type, result }));
    } catch (err) {
      if (err instanceof ApiFailure) return fail(err);
      throw err;
    }
  }

  const http = await listenHttp(answer, {
    host: opts.host,
    port: opts.port,
    failure: (res) => sendXml(res, envelope('', performance.now(), { errors: [new ApiFailure(E.UNHANDLED, 'Unhandled exceptions')] })),
  });
  const transferOut = (domain: string) => void completeTransferOut(registry, opts.apiUser, domain.toLowerCase());
  return { name: 'namecheap', url: http.url, faults, account, transferOut, close: () => http.close() };
}
