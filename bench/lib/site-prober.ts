// The reference for figure f: a bare HTTPS check loop in its own process — resolve the name through the sandbox DNS,
// GET / over TLS with the name as SNI and Host, verify against the sandbox CA — at a fixed rate, nothing recorded.
// node --import tsx bench/lib/site-prober.ts spec.json   (prints {"checks","ok","lateMsMax","cpuSeconds","wallSeconds"})
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { createResolver } from '../../src/providers/dns/resolver.ts';

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as {
  domains: string[];
  rate: number;
  seconds: number;
  dnsPort: number;
  httpsPort: number;
  ca: string;
};
const resolver = createResolver({ server: { host: '127.0.0.1', port: spec.dnsPort } });
const agent = new https.Agent({ keepAlive: true, maxSockets: 2, maxFreeSockets: 512 });
// the CA parsed once, as the monitoring job does (src/providers/trust.ts): the handshakes are what is compared
const secureContext = tls.createSecureContext({ ca: spec.ca });
let ok = 0;
let done = 0;
let lateMsMax = 0;
const total = Math.round(spec.rate * spec.seconds);
const probe = async (domain: string) => {
  const [address] = await resolver.resolve4(domain);
  await new Promise<void>((resolve, reject) => {
    const req = https.request(
      {
        host: address,
        port: spec.httpsPort,
        path: '/',
        headers: { host: domain },
        servername: domain,
        ca: spec.ca,
        secureContext,
        agent,
        timeout: 10_000,
      } as https.RequestOptions,
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode! < 400) ok++;
          resolve();
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
};
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await new Promise<void>((finish) => {
  let i = 0;
  const tick = () => {
    const now = performance.now();
    while (i < total && t0 + (i * 1000) / spec.rate <= now) {
      lateMsMax = Math.max(lateMsMax, now - (t0 + (i * 1000) / spec.rate));
      probe(spec.domains[i % spec.domains.length]!)
        .catch(() => {})
        .finally(() => ++done === total && finish());
      i++;
    }
    if (i < total) setTimeout(tick, 2);
  };
  tick();
});
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({ checks: done, ok, lateMsMax, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: (performance.now() - t0) / 1000 })}\n`,
);
process.exit(0);
