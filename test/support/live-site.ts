// A GET to a customer's site over HTTPS through the sandbox edge, as a visitor's browser reaches the domain (SNI and Host, the sandbox CA trusted).
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { TestSystem } from './system.ts';

export function liveGet(sys: TestSystem, domain: string, path = '/'): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const edge = sys.sandboxEndpoints!.netlify;
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: edge.httpsPort, path, servername: domain, headers: { host: domain }, ca: edge.caCertPem }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on('error', reject);
  });
}
