// Sandbox whois server (RFC 3912 over TCP): one query line in, a Verisign-style answer out, then the server closes.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import type { SandboxRegistry } from '../registry-state.ts';
import { registrationFacts } from '../rdap/server.ts';

export interface WhoisServerOptions {
  registry: SandboxRegistry;
  host?: string;
  port?: number;
  faults: FaultInjector;
}

/** A query longer than this without a newline is not a whois client talking. */
const MAX_QUERY = 1024;

export async function startWhoisServer(opts: WhoisServerOptions): Promise<SandboxServer> {
  const { registry, faults } = opts;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a client that hangs up first is not our problem
    socket.setEncoding('utf8');
    let buffer = '';
    let answered = false;
    const respond = () => {
      if (answered) return;
      answered = true;
      void answer(socket, buffer.split(/\r?\n/)[0]);
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('\n') || buffer.length > MAX_QUERY) respond();
    });
    socket.on('end', respond);
  });

  async function answer(socket: net.Socket, line: string) {
    await faults.delay();
    if (socket.destroyed) return;
    switch (faults.pick()) {
      case 'error':
        socket.end('% Error: server busy, please try again later\r\n');
        return;
      case 'rate_limited':
        socket.end('% Query rate limit exceeded. Try again later.\r\n');
        return;
      case 'timeout':
        faults.hold(socket);
        return;
      case 'drop':
        socket.destroy();
        return;
      case 'ok':
        socket.end(record(registry, queryName(line)));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    name: 'whois',
    url: `${address}:${port}`,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** "example.com", "=example.com", "domain example.com", "-T dn example.de" → "example.com"/"example.de". */
function queryName(line: string): string {
  const last = line.trim().split(/\s+/).pop() ?? '';
  return last.replace(/^=/, '').replace(/\.$/, '').toLowerCase();
}

const whoisDate = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

function record(registry: SandboxRegistry, name: string): string {
  const footer = `>>> Last update of whois database: ${whoisDate(new Date().toISOString())} <<<\r\n`;
  // Reserved names are not in the registry database: whois says free, only the registrar refuses them.
  if (name === '' || !registry.isRegistered(name) || registry.isReserved(name)) {
    return `No match for "${name.toUpperCase()}".\r\n${footer}`;
  }
  const facts = registrationFacts(registry, name);
  // No "Registrar WHOIS Server:" line: a client following referrals would leave the sandbox.
  const tld = name.split('.').pop()!.toUpperCase();
  return (
    [
      `   Domain Name: ${name.toUpperCase()}`,
      `   Registry Domain ID: ${facts.domainId}_DOMAIN_${tld}-SANDBOX`,
      `   Registrar URL: http://www.sandbox-registrar.test`,
      `   Updated Date: ${whoisDate(facts.createdAt)}`,
      `   Creation Date: ${whoisDate(facts.createdAt)}`,
      `   Registry Expiry Date: ${whoisDate(facts.expiresAt)}`,
      `   Registrar: Sandbox Registrar`,
      `   Registrar IANA ID: 1068`,
      `   Registrar Abuse Contact Email: abuse@sandbox-registrar.test`,
      `   Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited`,
      `   Name Server: DNS1.REGISTRAR-SERVERS.COM`,
      `   Name Server: DNS2.REGISTRAR-SERVERS.COM`,
      `   DNSSEC: unsigned`,
      `   URL of the ICANN Whois Inaccuracy Complaint Form: https://www.icann.org/wicf/`,
    ].join('\r\n') +
    '\r\n' +
    footer +
    '\r\nNOTICE: this is the sandbox registry; every record here is made up.\r\n'
  );
}
