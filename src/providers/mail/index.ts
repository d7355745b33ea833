// Mail: deliver one rendered email. The outbox (src/emails/outbox.ts) decides what to send and when.

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** stable Message-ID derived from the outbox row, so a resend is recognisable as the same message */
  messageId: string;
  headers?: Record<string, string>;
  /** files sent with it (an invoice's PDF) */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface MailTransport {
  readonly name: string;
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  /** let go of kept connections (the process is stopping) */
  close?(): void;
}
