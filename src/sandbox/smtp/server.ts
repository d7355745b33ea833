// The sandbox SMTP server: accepts mail on loopback like any relay, keeps every message (optionally in a JSON lines file) for the admin's Outbox and the tests.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { FaultInjector, SandboxServer } from '../faults.ts';

export interface StoredMessage {
  /** the sandbox's own id, as a real relay's "queued as" id */
  id: string;
  /** the Message-ID header, angle brackets included */
  messageId: string;
  /** the From header as written, display name included */
  from: string;
  /** envelope recipients (RCPT TO): who the message was actually delivered to */
  to: string[];
  subject: string;
  /** when the server accepted the message (ISO 8601) */
  date: string;
  text: string;
  html: string;
  /** header name (lower case) → value; repeated headers are joined with a newline */
  headers: Record<string, string>;
  /** the files attached, and a digest of each (an invoice's PDF) */
  attachments?: { filename: string; contentType: string; size: number; sha256: string }[];
}

export interface SandboxSmtpServer extends SandboxServer {
  port: number;
  messages(): StoredMessage[];
  clear(): void;
}

export interface SmtpServerOptions {
  host?: string;
  port?: number;
  faults: FaultInjector;
  /** JSON lines file (under DATA_DIR) that keeps messages across restarts; none keeps them in memory */
  file?: string;
  /** when set, clients must authenticate with these credentials */
  user?: string;
  pass?: string;
}

export async function startSmtpServer(opts: SmtpServerOptions): Promise<SandboxSmtpServer> {
  const { faults, file } = opts;
  const host = opts.host ?? '127.0.0.1';
  const stored: StoredMessage[] = file ? load(file) : [];
  const requireAuth = opts.user !== undefined;

  // smtp-server does not hand the socket to onData; injected drops and timeouts need it.
  // Clients are on loopback, so the client port alone tells connections apart.
  const sockets = new Map<string, Socket>();
  const socketOf = (session: SMTPServerSession) => sockets.get(`${session.remotePort}`);

  const server = new SMTPServer({
    name: 'sandbox-smtp.conciergerie.test',
    banner: 'Conciergerie sandbox SMTP',
    // Loopback only, no certificate: plain SMTP, and AUTH over it is allowed.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    // Without configured credentials any client is welcome, including one that sends some anyway.
    authOptional: !requireAuth,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    size: 25 * 1024 * 1024,
    logger: false,
    onAuth(auth, _session, callback) {
      // revoked credentials (a changed password): every AUTH is refused as a relay refuses a wrong password
      const refused = faults.faults.revokedCredentials || (requireAuth && (auth.username !== opts.user || auth.password !== opts.pass));
      if (!refused) return callback(null, { user: auth.username ?? 'anonymous' });
      callback(withResponseCode(new Error('5.7.8 Authentication credentials invalid'), 535));
    },
    onData(stream, session, callback) {
      receive(stream)
        .then(async (raw) => {
          await faults.delay();
          const outcome = faults.pick();
          if (outcome === 'error' || outcome === 'rate_limited') {
            // What a real relay says when it is overloaded or its queue is unavailable: try later.
            return callback(withResponseCode(new Error('4.3.0 Sandbox injected fault, try again later'), 451));
          }
          // never answer the DATA
          if (outcome === 'timeout') return faults.hold(socketOf(session));
          if (outcome === 'drop') {
            socketOf(session)?.destroy();
            return;
          }
          const message = toStored(await simpleParser(raw), session);
          stored.push(message);
          if (file) append(file, message);
          // the message is kept (the relay will deliver it), then its answer is lost: the client cannot know
          const lost = faults.loseAnswer('DATA');
          if (lost === 'drop') return socketOf(session)?.destroy();
          if (lost === 'timeout') return faults.hold(socketOf(session));
          if (lost === 'error') return callback(withResponseCode(new Error('4.3.0 Sandbox injected fault after queueing, try again later'), 451));
          callback(null, `Ok: queued as ${message.id}`);
        })
        .catch((err: Error) => callback(withResponseCode(err, 451)));
    },
  });
  // A client misbehaving must not take the sandbox down.
  server.on('error', () => {});
  server.server.on('connection', (socket: Socket) => {
    const key = `${socket.remotePort}`;
    sockets.set(key, socket);
    socket.once('close', () => sockets.delete(key));
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    name: 'smtp',
    url: `${host}:${port}`,
    port,
    faults,
    messages: () => [...stored],
    clear() {
      stored.length = 0;
      if (file && fs.existsSync(file)) fs.writeFileSync(file, '');
    },
    close: () =>
      new Promise<void>((resolve) => {
        // A sandbox needs no grace period; held and idle connections end now rather than in 30 s.
        for (const socket of sockets.values()) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function receive(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      if (stream.sizeExceeded) reject(withResponseCode(new Error('5.3.4 Message too big'), 552));
      else resolve(Buffer.concat(chunks));
    });
  });
}

function toStored(mail: ParsedMail, session: SMTPServerSession): StoredMessage {
  const headers: Record<string, string> = {};
  for (const { key, line } of mail.headerLines) {
    // The raw line keeps the value as sent; unfold it and drop the "Name:" prefix.
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  return {
    id: randomUUID(),
    messageId: mail.messageId ?? '',
    from: mail.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
    to: session.envelope.rcptTo.map((r) => r.address),
    subject: mail.subject ?? '',
    date: new Date().toISOString(),
    text: mail.text ?? '',
    html: mail.html || '',
    headers,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      size: a.content.length,
      sha256: createHash('sha256').update(a.content).digest('hex'),
    })),
  };
}

function withResponseCode(err: Error, responseCode: number): Error {
  return Object.assign(err, { responseCode });
}

function load(file: string): StoredMessage[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      // A crash in the middle of an append leaves a partial last line; the rest is still good.
      try {
        return line.trim() === '' ? [] : [JSON.parse(line) as StoredMessage];
      } catch {
        return [];
      }
    });
}

function append(file: string, message: StoredMessage): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(message)}\n`);
}
