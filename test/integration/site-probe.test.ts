// The one site probe against real HTTPS and HTTP servers on loopback: what the verifier and the monitor each require, the certificate's expiry, names it does not cover, no address.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { probeSite, type ProbeWorld } from '../../src/providers/site-probe.ts';

const DOMAIN = 'client.example';

/** A self-signed certificate for DOMAIN: trusted as its own CA by the probe, as the sandbox CA is. */
function selfSigned(notAfter: Date): { cert: string; key: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: DOMAIN }]);
  cert.setIssuer([{ name: 'commonName', value: DOMAIN }]);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: DOMAIN }] }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}

// what the site answers, per test: its home page over HTTPS and what plain HTTP does
let home = { status: 200, body: '<!-- site:client.example:v3 --><h1>Bonjour</h1>' };
let plain: { status: number; location?: string } = { status: 301, location: `https://${DOMAIN}/` };
const notAfter = new Date(Date.UTC(2031, 0, 15, 12, 0, 0));
let secureServer: https.Server;
let plainServer: http.Server;
let world: ProbeWorld;
let tlsConnections = 0;
const userAgents: string[] = [];

before(async () => {
  const { cert, key } = selfSigned(notAfter);
  secureServer = https.createServer({ cert, key }, (req, res) => {
    userAgents.push(String(req.headers['user-agent']));
    res.writeHead(home.status, { 'content-type': 'text/html' }).end(home.body);
  });
  secureServer.on('secureConnection', () => tlsConnections++);
  plainServer = http.createServer((_req, res) => res.writeHead(plain.status, plain.location ? { location: plain.location } : {}).end());
  await new Promise<void>((r) => secureServer.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => plainServer.listen(0, '127.0.0.1', r));
  world = {
    resolver: { resolve4: async (name) => (name === DOMAIN || name === 'other.example' ? ['127.0.0.1'] : []) },
    edge: { httpsPort: (secureServer.address() as AddressInfo).port, httpPort: (plainServer.address() as AddressInfo).port, ca: cert },
    config: { sandbox: { hosting: true } },
  };
});
after(async () => {
  secureServer.closeAllConnections();
  plainServer.closeAllConnections();
  await new Promise((r) => secureServer.close(r));
  await new Promise((r) => plainServer.close(r));
});

const verifier = (marker: string) => ({ marker, redirect: true, timeoutMs: 2_000 });
const monitor = { timeoutMs: 2_000, userAgent: 'Conciergerie-Monitor/1.0' };

describe('site probe', () => {
  test('the verifier: 200 with the marker and HTTP redirecting to HTTPS is live; the certificate and the timings are read', async () => {
    const probe = await probeSite(world, DOMAIN, verifier('site:client.example:v3'));
    assert.deepEqual(probe.problems, []);
    assert.equal(probe.up, true);
    assert.deepEqual([probe.address, probe.httpsStatus, probe.httpStatus], ['127.0.0.1', 200, 301]);
    assert.equal(probe.certExpiresAt?.toISOString(), notAfter.toISOString());
    assert.ok(probe.httpsMs !== undefined && probe.latencyMs >= probe.httpsMs);
  });

  test('the verifier: another version, another page or no redirect are each a problem', async () => {
    assert.deepEqual((await probeSite(world, DOMAIN, verifier('site:client.example:v4'))).problems, ['https answers with other content']);
    plain = { status: 200 };
    try {
      const probe = await probeSite(world, DOMAIN, verifier('site:client.example:v3'));
      assert.deepEqual([probe.up, probe.problems], [false, ['http answers 200']]);
      plain = { status: 302, location: 'https://elsewhere.example/' };
      assert.deepEqual((await probeSite(world, DOMAIN, verifier('site:client.example:v3'))).problems, ['http answers 302 https://elsewhere.example/']);
    } finally {
      plain = { status: 301, location: `https://${DOMAIN}/` };
    }
  });

  test('the monitor: any 2xx or 3xx is up whatever the page says; a 5xx is down with its status', async () => {
    const saved = home;
    try {
      home = { status: 302, body: '' };
      const moved = await probeSite(world, DOMAIN, monitor);
      assert.deepEqual([moved.up, moved.httpsStatus, moved.httpStatus], [true, 302, undefined], 'no redirect check asked for');
      home = { status: 503, body: 'maintenance' };
      const down = await probeSite(world, DOMAIN, monitor);
      assert.deepEqual([down.up, down.problems], [false, ['https status 503']]);
      assert.equal(userAgents.at(-1), 'Conciergerie-Monitor/1.0');
    } finally {
      home = saved;
    }
  });

  test('repeated checks of one site reuse its kept-alive connection and still read the certificate', async () => {
    await probeSite(world, DOMAIN, monitor);
    const before = tlsConnections;
    const again = await probeSite(world, DOMAIN, monitor);
    assert.equal(tlsConnections, before, 'no new TLS handshake');
    assert.equal(again.certExpiresAt?.toISOString(), notAfter.toISOString());
  });

  test('a name the certificate does not cover, a name without an address, and nothing listening are each down, with the reason', async () => {
    const stranger = await probeSite(world, 'other.example', monitor);
    assert.equal(stranger.up, false);
    assert.match(stranger.problems[0]!, /altnames|hostname|certificate/i);
    assert.deepEqual((await probeSite(world, 'nowhere.example', monitor)).problems, ['no A record']);
    const closed = { ...world, edge: { ...world.edge, httpsPort: await freePort() } };
    assert.match((await probeSite(closed, DOMAIN, monitor)).problems[0]!, /ECONNREFUSED/);
  });
});

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
