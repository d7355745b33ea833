// A JSON webhook receiver on loopback standing in for the operators' alert channel: keeps every notice it is sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertHookCall {
  event: string;
  body: any;
}

export interface AlertHook {
  url: string;
  calls: AlertHookCall[];
  /** the first notice of `event` for rule and subject, if any */
  find(event: string, rule: string, subject: string): AlertHookCall | undefined;
  count(event: string, rule: string, subject?: string): number;
  close(): Promise<void>;
}

export async function startAlertHook(): Promise<AlertHook> {
  const calls: AlertHookCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      calls.push({ event: body.event, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const matches = (c: AlertHookCall, event: string, rule: string, subject?: string) =>
    c.event === event && c.body.alert?.rule === rule && (subject === undefined || c.body.alert?.subject === subject);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    calls,
    find: (event, rule, subject) => calls.find((c) => matches(c, event, rule, subject)),
    count: (event, rule, subject) => calls.filter((c) => matches(c, event, rule, subject)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
