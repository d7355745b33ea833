// The sandbox SMTP server and the SMTP transports, talking real SMTP over loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { startSmtpServer } from '../../src/sandbox/smtp/server.ts';
import { FallbackMailTransport, SmtpTransport } from '../../src/providers/mail/smtp/transport.ts';
import { ProviderError } from '../../src/errors.ts';
import type { OutgoingEmail } from '../../src/providers/mail/index.ts';

const from = 'Conciergerie <bonjour@conciergerie.example>';

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: 'client@boulangerie-martin.example',
    subject: 'Demande reçue : boulangerie-martin.fr',
    text: 'Bonjour,\nMerci pour votre demande.',
    html: '<p>Bonjour,</p><p>Merci pour votre demande.</p>',
    messageId: '<order-42.confirmation@conciergerie.example>',
    headers: { 'X-Outbox-Id': '42' },
    ...overrides,
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the send to fail');
}

test('a message sent through SmtpTransport is stored with its subject, bodies, Message-ID and headers', async (t) => {
  const smtp = await startSmtpServer({ faults: new FaultInjector() });
  t.after(() => smtp.close());
  const transport = new SmtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from });

  const sent = await transport.send(email());

  assert.equal(sent.messageId, '<order-42.confirmation@conciergerie.example>');
  const [stored] = smtp.messages();
  assert.equal(smtp.messages().length, 1);
  assert.equal(stored.messageId, '<order-42.confirmation@conciergerie.example>');
  assert.equal(stored.subject, 'Demande reçue : boulangerie-martin.fr');
  assert.equal(stored.text.trim(), 'Bonjour,\nMerci pour votre demande.');
  assert.equal(stored.html, '<p>Bonjour,</p><p>Merci pour votre demande.</p>');
  assert.deepEqual(stored.to, ['client@boulangerie-martin.example']);
  assert.match(stored.from, /bonjour@conciergerie\.example/);
  assert.equal(stored.headers['x-outbox-id'], '42');
  assert.ok(!Number.isNaN(Date.parse(stored.date)));

  smtp.clear();
  assert.deepEqual(smtp.messages(), []);
});

test('the same Message-ID sent twice is stored twice: the server does not deduplicate', async (t) => {
  const smtp = await startSmtpServer({ faults: new FaultInjector() });
  t.after(() => smtp.close());
  const transport = new SmtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from });

  await transport.send(email());
  await transport.send(email());

  const stored = smtp.messages();
  assert.equal(stored.length, 2);
  assert.equal(stored[0].messageId, stored[1].messageId);
  assert.notEqual(stored[0].id, stored[1].id);
});

test('an injected error answers the DATA with 451: a retryable ProviderError, nothing stored', async (t) => {
  const smtp = await startSmtpServer({ faults: new FaultInjector({ faults: { errorRate: 1 } }) });
  t.after(() => smtp.close());
  const transport = new SmtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from });

  const err = await rejection(transport.send(email()));

  assert.equal(err.provider, 'smtp');
  assert.equal(err.code, 'temporary');
  assert.equal(err.retryable, true);
  assert.equal(err.status, 451);
  assert.equal(smtp.messages().length, 0);

  smtp.faults.reset();
  await transport.send(email());
  assert.equal(smtp.messages().length, 1);
});

test('an injected drop or timeout is a retryable ProviderError', async (t) => {
  const faults = new FaultInjector({ faults: { dropRate: 1 } });
  const smtp = await startSmtpServer({ faults });
  t.after(() => smtp.close());
  const transport = new SmtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from, timeoutMs: 300 });

  const dropped = await rejection(transport.send(email()));
  assert.equal(dropped.retryable, true);

  faults.set({ dropRate: 0, timeoutRate: 1 });
  faults.timeoutHoldMs = 60_000; // the client's own timeout must be what ends the wait
  const timedOut = await rejection(transport.send(email()));
  assert.equal(timedOut.retryable, true);
  assert.equal(smtp.messages().length, 0);
});

test('a server with credentials accepts the right ones and refuses others as a non-retryable auth error', async (t) => {
  const smtp = await startSmtpServer({ faults: new FaultInjector(), user: 'mailer', pass: 's3cret:/@' });
  t.after(() => smtp.close());
  const good = new SmtpTransport({ url: `smtp://mailer:${encodeURIComponent('s3cret:/@')}@127.0.0.1:${smtp.port}`, from });
  const bad = new SmtpTransport({ url: `smtp://mailer:wrong@127.0.0.1:${smtp.port}`, from });

  await good.send(email());
  const err = await rejection(bad.send(email()));

  assert.equal(err.code, 'auth');
  assert.equal(err.retryable, false);
  assert.equal(smtp.messages().length, 1);
});

test('verify greets and authenticates without sending; a revoked password is refused 535, as auth', async (t) => {
  const faults = new FaultInjector();
  const smtp = await startSmtpServer({ faults, user: 'mailer', pass: 'right' });
  t.after(() => smtp.close());
  const transport = new SmtpTransport({ url: `smtp://mailer:right@127.0.0.1:${smtp.port}`, from });
  t.after(() => transport.close());
  await transport.verify();
  faults.set({ revokedCredentials: true });
  const err = await rejection(transport.verify());
  assert.deepEqual([err.code, err.status, err.retryable], ['auth', 535, false]);
  assert.equal(smtp.messages().length, 0);
});

test('FallbackMailTransport delivers through the second route when the first one is down', async (t) => {
  const smtp = await startSmtpServer({ faults: new FaultInjector() });
  t.after(() => smtp.close());
  const down = new SmtpTransport({ url: `smtp://127.0.0.1:${await closedPort()}`, from, name: 'primary' });
  const up = new SmtpTransport({ url: `smtp://127.0.0.1:${smtp.port}`, from, name: 'backup' });

  const sent = await new FallbackMailTransport([down, up]).send(email());

  assert.equal(sent.route, 'backup');
  assert.equal(sent.messageId, '<order-42.confirmation@conciergerie.example>');
  assert.equal(smtp.messages().length, 1);
});

test('FallbackMailTransport moves past a route with bad credentials', async (t) => {
  const guarded = await startSmtpServer({ faults: new FaultInjector(), user: 'mailer', pass: 'right' });
  const open = await startSmtpServer({ faults: new FaultInjector() });
  t.after(() => Promise.all([guarded.close(), open.close()]));
  const routes = [
    new SmtpTransport({ url: `smtp://mailer:wrong@127.0.0.1:${guarded.port}`, from, name: 'misconfigured' }),
    new SmtpTransport({ url: `smtp://127.0.0.1:${open.port}`, from, name: 'backup' }),
  ];

  const sent = await new FallbackMailTransport(routes).send(email());

  assert.equal(sent.route, 'backup');
  assert.equal(guarded.messages().length, 0);
  assert.equal(open.messages().length, 1);
});

test('FallbackMailTransport with every route down fails retryably, naming each route', async () => {
  const routes = [
    new SmtpTransport({ url: `smtp://127.0.0.1:${await closedPort()}`, from, name: 'primary' }),
    new SmtpTransport({ url: `smtp://127.0.0.1:${await closedPort()}`, from, name: 'backup' }),
  ];

  const err = await rejection(new FallbackMailTransport(routes).send(email()));

  assert.equal(err.code, 'all_routes_failed');
  assert.equal(err.retryable, true);
  assert.match(err.message, /primary/);
  assert.match(err.message, /backup/);
});

test('with a file, stored messages survive a restart; clear() empties the file too', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-sandbox-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'sandbox', 'smtp-messages.jsonl');

  const first = await startSmtpServer({ faults: new FaultInjector(), file });
  await new SmtpTransport({ url: `smtp://127.0.0.1:${first.port}`, from }).send(email());
  await first.close();

  const second = await startSmtpServer({ faults: new FaultInjector(), file });
  t.after(() => second.close());
  assert.equal(second.messages().length, 1);
  assert.equal(second.messages()[0].subject, 'Demande reçue : boulangerie-martin.fr');

  second.clear();
  assert.equal(fs.readFileSync(file, 'utf8'), '');
});

test('kept connections: messages share one, one the server drops is replaced, a restarted server is used again', async (t) => {
  const faults = new FaultInjector();
  let smtp = await startSmtpServer({ faults });
  // a TCP relay in front of the server, counting the client's connections
  let connections = 0;
  const relay = net.createServer((client) => {
    connections++;
    const upstream = net.connect(smtp.port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const transport = new SmtpTransport({ url: `smtp://127.0.0.1:${(relay.address() as net.AddressInfo).port}`, from, timeoutMs: 2_000 });
  t.after(async () => {
    transport.close();
    relay.close();
    await smtp.close();
  });

  for (let i = 0; i < 5; i++) await transport.send(email({ messageId: `<kept-${i}@conciergerie.example>` }));
  assert.equal(smtp.messages().length, 5);
  assert.equal(connections, 1, 'five messages, one connection');

  // the server drops the connection in the middle of a message: that message fails retryably, the next one goes out
  faults.set({ dropRate: 1 });
  assert.equal((await rejection(transport.send(email({ messageId: '<dropped@conciergerie.example>' })))).retryable, true);
  faults.set({ dropRate: 0 });
  await transport.send(email({ messageId: '<after-drop@conciergerie.example>' }));
  assert.equal(connections, 2);

  // the server restarts (its connections cut): the next message opens a new connection and is delivered
  await smtp.close();
  smtp = await startSmtpServer({ faults });
  await new Promise((r) => setTimeout(r, 50));
  await transport.send(email({ messageId: '<after-restart@conciergerie.example>' }));
  assert.deepEqual(
    smtp.messages().map((m) => m.messageId),
    ['<after-restart@conciergerie.example>'],
  );
  assert.equal(connections, 3);
});
