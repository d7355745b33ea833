// The operators' end of ALERT_WEBHOOK_URL during a chaos run: a loopback server that keeps every alert notice it receives.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertNotice {
  /** x-conciergerie-notification: the same notice delivered again has the same one */
  notificationId: string;
  event: string;
  alert?: { id: string; rule: string; subject: string; severity: string };
  receivedAt: string;
}

export interface AlertReceiver {
  url: string;
  notices(): AlertNotice[];
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const received: AlertNotice[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event: string; alert?: AlertNotice['alert'] };
        received.push({
          notificationId: String(req.headers['x-conciergerie-notification'] ?? ''),
          event: body.event,
          alert: body.alert,
          receivedAt: new Date().toISOString(),
        });
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notices: () => [...received],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
