// Listening and closing for the sandbox's HTTP(S) servers: loopback, a fixed port or any free one, and a close that never waits.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpListener {
  server: http.Server;
  port: number;
  /** http://host:port (the host bracketed when IPv6) */
  url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  host?: string;
  /** 0 or absent: any free port */
  port?: number;
  /** answers a request whose handler threw before writing anything; one that already wrote is cut */
  failure: (res: ServerResponse, err: unknown) => void;
  /** serve HTTPS with these options (certificates, SNI) */
  tls?: https.ServerOptions;
}

export async function listenHttp(handle: Handler, opts: ListenOptions): Promise<HttpListener> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((err: unknown) => {
        if (res.headersSent) res.destroy();
        else opts.failure(res, err);
      });
  };
  const server = opts.tls ? https.createServer(opts.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `${opts.tls ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => closeHttp(server),
  };
}

/** Held "timeout" faults and keep-alive sockets end now instead of keeping close() waiting. */
export function closeHttp(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
