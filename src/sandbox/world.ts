// Starts the sandbox world: loopback servers speaking the real providers' wire formats, sharing one registry and one fault model.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Config } from '../config.ts';
import { FaultInjector, type SandboxServer } from './faults.ts';
import { SandboxRegistry } from './registry-state.ts';
import { startRdapServer } from './rdap/server.ts';
import { startWhoisServer } from './whois/server.ts';
import { startNamecheapServer, type NamecheapSandbox } from './namecheap/server.ts';
import { startDnsServer } from './dns/server.ts';
import { startStripeServer } from './stripe/server.ts';
import { startPaypalServer } from './paypal/server.ts';
import { startSmtpServer } from './smtp/server.ts';
import { startNetlifyServer, type NetlifySandboxServer } from './netlify/server.ts';
import { startViesServer } from './vies/server.ts';
import { createResolver } from '../providers/dns/resolver.ts';
import { drawMs } from '../config/parse.ts';

/** Credentials the sandbox servers accept; they are not secrets (they open nothing outside this machine). */
export interface SandboxCredentials {
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  paypalClientId: string;
  paypalClientSecret: string;
  paypalWebhookId: string;
  namecheapApiUser: string;
  namecheapApiKey: string;
  netlifyToken: string;
  /** the sandbox SMTP server requires AUTH with these, as a real relay does */
  smtpUser: string;
  smtpPass: string;
}

export interface SandboxWorld {
  registry: SandboxRegistry;
  credentials: SandboxCredentials;
  rdap: SandboxServer;
  whois: SandboxServer & { port?: number };
  namecheap: NamecheapSandbox;
  dns: SandboxServer & { port: number };
  stripe: Awaited<ReturnType<typeof startStripeServer>>;
  paypal: Awaited<ReturnType<typeof startPaypalServer>>;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  netlify: NetlifySandboxServer;
  vies: SandboxServer;
  /** where the payment sandboxes send webhooks: the app's own address, once it listens */
  webhookBaseUrl(): string | undefined;
  servers(): SandboxServer[];
  /** set the same fault model on every server (chaos runs, the api_error demo) */
  setFaults(faults: Parameters<FaultInjector['set']>[0]): void;
  resetFaults(): void;
  close(): Promise<void>;
}

function credentialsIn(dataDir: string | undefined): SandboxCredentials {
  const make = (): SandboxCredentials => ({
    stripeSecretKey: `sk_test_sandbox_${crypto.randomBytes(12).toString('hex')}`,
    stripeWebhookSecret: `whsec_sandbox_${crypto.randomBytes(16).toString('hex')}`,
    paypalClientId: `sandbox-client-${crypto.randomBytes(6).toString('hex')}`,
    paypalClientSecret: crypto.randomBytes(18).toString('base64url'),
    paypalWebhookId: `WH-SANDBOX-${crypto.randomBytes(6).toString('hex').toUpperCase()}`,
    namecheapApiUser: 'conciergerie',
    namecheapApiKey: crypto.randomBytes(16).toString('hex'),
    netlifyToken: `nfp_sandbox_${crypto.randomBytes(20).toString('hex')}`,
    smtpUser: 'conciergerie',
    smtpPass: crypto.randomBytes(18).toString('base64url'),
  });
  if (!dataDir) return make();
  const file = path.join(dataDir, 'sandbox', 'credentials.json');
  if (fs.existsSync(file)) {
    // A file from an older version may lack newer providers' credentials: add them, keep the rest.
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SandboxCredentials>;
    const creds = { ...make(), ...kept };
    if (Object.keys(creds).length !== Object.keys(kept).length) fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
    return creds;
  }
  const creds = make();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

export async function startSandboxWorld(opts: {
  config: Config;
  /** where the payment sandboxes send webhooks (known once the app listens) */
  webhookBaseUrl: () => string | undefined;
  /** keep state under DATA_DIR/sandbox; tests pass false to keep everything in memory */
  persist?: boolean;
}): Promise<SandboxWorld> {
  const { config } = opts;
  const dir = opts.persist === false ? undefined : path.join(config.dataDir, 'sandbox');
  const registry = new SandboxRegistry(dir ? path.join(dir, 'registry.json') : undefined);
  const credentials = credentialsIn(opts.persist === false ? undefined : config.dataDir);
  const model = () =>
    new FaultInjector({
      latency: config.SANDBOX_LATENCY_MS,
      faults: {
        errorRate: config.SANDBOX_ERROR_RATE,
        timeoutRate: config.SANDBOX_TIMEOUT_RATE,
        rateLimitRate: config.SANDBOX_RATE_LIMIT_RATE,
        dropRate: config.SANDBOX_DROP_RATE,
        duplicateWebhookRate: config.SANDBOX_WEBHOOK_DUPLICATE_RATE,
        reorderWebhookRate: config.SANDBOX_WEBHOOK_REORDER_RATE,
      },
    });
  // SANDBOX_PROVIDER_LIMITS=off lifts the real providers' quotas from the sandbox (benchmarks; see BENCHMARKS.md)
  const unlimited = config.SANDBOX_PROVIDER_LIMITS === 'off' ? 1_000_000_000 : undefined;
  // the ports of the last start, when still free: worker processes attached to the world find it again after a restart
  const portsFile = dir ? path.join(dir, 'ports.json') : undefined;
  const ports = await reusablePorts(portsFile);
  const started: SandboxServer[] = [];
  const keep = <T extends SandboxServer>(s: T) => {
    started.push(s);
    return s;
  };
  try {
    const rdap = keep(await startRdapServer({ registry, faults: model(), port: ports.rdap }));
    const whois = keep(await startWhoisServer({ registry, faults: model(), port: ports.whois }));
    const namecheap = keep(
      await startNamecheapServer({
        registry,
        port: ports.namecheap,
        apiUser: credentials.namecheapApiUser,
        apiKey: credentials.namecheapApiKey,
        faults: model(),
        budget: unlimited ? { perMinute: unlimited, perHour: unlimited, perDay: unlimited } : config.SANDBOX_NAMECHEAP_BUDGET,
      }),
    );
    // The DNS answers <name>.netlify.app from the hosting sandbox, which needs the DNS first.
    let netlify: NetlifySandboxServer | undefined;
    const dns = keep(await startDnsServer({ registry, faults: model(), port: ports.dns, extraRecords: (name) => netlify?.dnsRecords(name) }));
    netlify = keep(
      await startNetlifyServer({
        token: credentials.netlifyToken,
        registry,
        port: ports.netlify,
        httpPort: ports.netlifyHttp,
        httpsPort: ports.netlifyHttps,
        resolver: createResolver({ server: { host: '127.0.0.1', port: dns.port } }),
        faults: model(),
        caDir: dir,
        stateFile: dir ? path.join(dir, 'netlify.json') : undefined,
        rateLimit: unlimited ? { apiPerMinute: unlimited, deploysPerMinute: unlimited, deploysPerDay: unlimited } : undefined,
        certificateDelayMs: () => drawMs(config.SANDBOX_CERT_DELAY_SECONDS),
        processingMs: () => drawMs(config.SANDBOX_DEPLOY_SECONDS),
      }),
    );
    const stripe = keep(
      await startStripeServer({
        port: ports.stripe,
        secretKey: credentials.stripeSecretKey,
        webhookSecret: credentials.stripeWebhookSecret,
        webhookUrl: () => {
          const base = opts.webhookBaseUrl();
          return base ? `${base}/api/concierge/webhook/payment` : undefined;
        },
        faults: model(),
        checkoutTtlSeconds: config.SANDBOX_CHECKOUT_TTL_SECONDS,
        delayedPaymentMs: () => drawMs(config.SANDBOX_DELAYED_PAYMENT_SECONDS),
      }),
    );
    const paypal = keep(
      await startPaypalServer({
        port: ports.paypal,
        clientId: credentials.paypalClientId,
        clientSecret: credentials.paypalClientSecret,
        webhookId: credentials.paypalWebhookId,
        webhookUrl: () => {
          const base = opts.webhookBaseUrl();
          return base ? `${base}/api/concierge/webhook/payment/paypal` : undefined;
        },
        faults: model(),
        orderTtlSeconds: config.SANDBOX_CHECKOUT_TTL_SECONDS,
      }),
    );
    const smtp = keep(
      await startSmtpServer({
        port: ports.smtp,
        faults: model(),
        file: dir ? path.join(dir, 'smtp-messages.jsonl') : undefined,
        user: credentials.smtpUser,
        pass: credentials.smtpPass,
      }),
    );
    const vies = keep(await startViesServer({ faults: model() }));
    if (portsFile) {
      const port = (url: string) => Number(url.slice(url.lastIndexOf(':') + 1));
      const now: SandboxPorts = {
        rdap: port(rdap.url),
        whois: port(whois.url),
        namecheap: port(namecheap.url),
        dns: dns.port,
        stripe: port(stripe.url),
        paypal: port(paypal.url),
        smtp: smtp.port,
        netlify: port(netlify.apiUrl),
        netlifyHttp: netlify.httpPort,
        netlifyHttps: netlify.httpsPort,
      };
      fs.writeFileSync(portsFile, JSON.stringify(now));
    }
    return {
      registry,
      credentials,
      rdap,
      whois,
      namecheap,
      dns,
      stripe,
      paypal,
      smtp,
      netlify,
      vies,
      webhookBaseUrl: opts.webhookBaseUrl,
      servers: () => [...started],
      setFaults: (f) => {
        for (const s of started) s.faults.set(f);
      },
      resetFaults: () => {
        for (const s of started) s.faults.reset();
      },
      close: async () => {
        await Promise.allSettled(started.map((s) => s.close()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw err;
  }
}

type SandboxPorts = Partial<Record<'rdap' | 'whois' | 'namecheap' | 'dns' | 'stripe' | 'paypal' | 'smtp' | 'netlify' | 'netlifyHttp' | 'netlifyHttps', number>>;

/** The ports of the last start that are free now (the DNS is UDP, the rest TCP); the others start on any free port. */
async function reusablePorts(file: string | undefined): Promise<SandboxPorts> {
  if (!file || !fs.existsSync(file)) return {};
  let last: SandboxPorts;
  try {
    last = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxPorts;
  } catch {
    return {};
  }
  const free = async (port: number, udp: boolean) =>
    new Promise<boolean>((resolve) => {
      if (udp) {
        const socket = dgram.createSocket('udp4');
        socket.once('error', () => resolve(false));
        socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
      } else {
        const srv = net.createServer();
        srv.once('error', () => resolve(false));
        srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
      }
    });
  const out: SandboxPorts = {};
  for (const [name, port] of Object.entries(last) as [keyof SandboxPorts, number][]) {
    if (Number.isInteger(port) && port > 0 && (await free(port, name === 'dns'))) out[name] = port;
  }
  return out;
}

/** What another process needs to use a running sandbox world: its servers' addresses and credentials. */
export interface SandboxEndpoints {
  credentials: SandboxCredentials;
  rdap: { url: string };
  whois: { url: string };
  namecheap: { url: string };
  dns: { url: string; port: number };
  stripe: { url: string };
  paypal: { url: string };
  smtp: { url: string };
  netlify: { url: string; apiUrl: string; httpPort: number; httpsPort: number; caCertPem: string; caCertPath: string; loadBalancerIp: string };
  /** absent in the endpoints file of an older version */
  vies?: { url: string };
  /** where its payment sandboxes send webhooks (the app's address), when known */
  webhookBaseUrl?: string;
}

export function endpointsOf(w: SandboxWorld): SandboxEndpoints {
  return {
    credentials: w.credentials,
    rdap: { url: w.rdap.url },
    whois: { url: w.whois.url },
    namecheap: { url: w.namecheap.url },
    dns: { url: w.dns.url, port: w.dns.port },
    stripe: { url: w.stripe.url },
    paypal: { url: w.paypal.url },
    smtp: { url: w.smtp.url },
    vies: { url: w.vies.url },
    netlify: {
      url: w.netlify.url,
      apiUrl: w.netlify.apiUrl,
      httpPort: w.netlify.httpPort,
      httpsPort: w.netlify.httpsPort,
      caCertPem: w.netlify.caCertPem,
      caCertPath: w.netlify.caCertPath,
      loadBalancerIp: w.netlify.loadBalancerIp,
    },
    webhookBaseUrl: w.webhookBaseUrl(),
  };
}

/** Written by the process that runs the world, read by worker processes that attach to it (--role=worker, SANDBOX_ATTACH). */
export function writeEndpoints(file: string, w: SandboxWorld, ownerRole = 'all'): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...endpointsOf(w), ownerPid: process.pid, ownerRole }), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/** The process that runs the world a world.json describes, and its role, while it runs (same machine). */
export function worldOwner(file: string): { pid: number; role: string } | undefined {
  let owner: { ownerPid?: number; ownerRole?: string };
  try {
    owner = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof owner;
  } catch {
    return undefined;
  }
  const pid = owner.ownerPid;
  if (!pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { pid, role: owner.ownerRole ?? 'all' };
}

export function readEndpoints(file: string): SandboxEndpoints {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxEndpoints;
}
