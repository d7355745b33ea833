// The email outbox: an email is a row written in the same transaction as the change that causes it, sent later by a job.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import { addEvent } from '../db/orders.ts';
import type { MailTransport } from '../providers/mail/index.ts';
import type { CircuitBreaker } from '../providers/circuit.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import type { Logger } from '../log.ts';
import type { Locale } from '../domain/locale.ts';

import type { RenderedEmail } from './layout.ts';
import { documentAttachment } from '../billing/files.ts';
import { ERASED_EMAIL_DOMAIN } from '../legal/anonymous.ts';

export interface QueuedEmail {
  orderId: string | null;
  kind: string;
  dedupeKey: string;
  to: string;
  locale: Locale;
  rendered: RenderedEmail;
  /** documents attached when it is sent (their PDF as first rendered) */
  attachments?: { invoiceId: string }[];
}

/** The outbox row of an email to queue, as the SQL function queue_email takes it (migration 012: it queues send_email from the job catalogue). */
export function emailRow(email: QueuedEmail, domainForMessageId = 'conciergerie.example') {
  const id = crypto.randomUUID();
  return {
    id,
    order_id: email.orderId,
    dedupe_key: email.dedupeKey,
    kind: email.kind,
    to_address: email.to,
    locale: email.locale,
    subject: email.rendered.subject,
    text_body: email.rendered.text,
    html_body: email.rendered.html,
    message_id: `<${id}@${domainForMessageId}>`,
    attachments: email.attachments ?? null,
  };
}

/**
 * Queue one email. `dedupeKey` names its purpose ("confirmation:<order>"): queueing the same
 * purpose twice keeps the first and sends once. The row and its send job are one statement.
 */
export async function queueEmail(tx: Tx | Database, email: QueuedEmail, domainForMessageId = 'conciergerie.example'): Promise<string | undefined> {
  const { rows } = await sql<{ id: string | null }>`select queue_email(${JSON.stringify(emailRow(email, domainForMessageId))}::jsonb) as id`.execute(tx);
  return rows[0]?.id ?? undefined;
}

/**
 * The send_email job (its retries: src/workflow/jobs/catalogue.ts). A row already marked sent is never sent again (a retried job sends
 * nothing twice). The one unavoidable window, a crash after the SMTP server accepted the
 * message and before the row is marked, resends the message with the same Message-ID, so
 * mail clients recognise it as the same message.
 */
export async function sendQueuedEmail(
  deps: {
    db: Database;
    mail: MailTransport;
    log: Logger;
    // metrics: the email send counter (src/monitoring/metrics.ts), when this process keeps one
    metrics?: { emailSent(kind: string, outcome: 'sent' | 'failed'): void };
    // the SMTP server's circuit breaker, like any provider's
    circuits?: { for(provider: string): Pick<CircuitBreaker, 'call'> };
  },
  emailId: string,
): Promise<'sent' | 'already_sent' | 'missing'> {
  const { db, mail, log } = deps;
  const row = await db
    .updateTable('outbox_emails')
    .set({ state: 'sending', attempts: sql`attempts + 1` })
    .where('id', '=', emailId)
    .where('state', '<>', 'sent')
    // an erased customer's unsent email stays unsent (src/legal/erasure.ts)
    .where('to_address', 'not like', `%@${ERASED_EMAIL_DOMAIN}`)
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const exists = await db.selectFrom('outbox_emails').select('id').where('id', '=', emailId).executeTakeFirst();
    return exists ? 'already_sent' : 'missing';
  }
  try {
    // a resend attaches the very same files (kept as first rendered)
    const attachments = row.attachments?.length ? await Promise.all(row.attachments.map((a) => documentAttachment(db, a.invoiceId))) : undefined;
    const send = () =>
      mail.send({ to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body, messageId: row.message_id, attachments });
    // a provider call like any other (provider_calls, /metrics, the providers' health, the provider-errors alert)
    const result = await recordProviderCall(db, { orderId: row.order_id, provider: 'smtp', operation: 'send' }, () =>
      deps.circuits ? deps.circuits.for('smtp').call(send) : send(),
    );
    const route = (result as { route?: string }).route ?? mail.name;
    // the message is out: recording it must outlast a PostgreSQL restart, or the job's retry would send it a second time
    await untilRecorded(() =>
      db.transaction().execute(async (tx) => {
        const marked = await tx
          .updateTable('outbox_emails')
          .set({ state: 'sent', sent_at: new Date(), route, last_error: null })
          .where('id', '=', row.id)
          .where('state', '<>', 'sent')
          .executeTakeFirst();
        // a second run that sent it too (its worker taken for dead meanwhile, or this write retried after a
        // commit whose answer was lost) does not tell the timeline twice
        if (row.order_id && Number(marked.numUpdatedRows) === 1) await addEvent(tx, row.order_id, 'email_sent', { kind: row.kind, subject: row.subject });
      }),
    );
    log.info({ event: 'email_sent', orderId: row.order_id, kind: row.kind, route }, 'email sent');
    deps.metrics?.emailSent(row.kind, 'sent');
    return 'sent';
  } catch (err) {
    await db
      .updateTable('outbox_emails')
      .set({ state: 'failed', last_error: String((err as Error).message).slice(0, 500) })
      .where('id', '=', row.id)
      .execute();
    log.warn({ event: 'email_send_failed', orderId: row.order_id, kind: row.kind, err: (err as Error).message }, 'email send failed');
    deps.metrics?.emailSent(row.kind, 'failed');
    throw err;
  }
}

/** Retry a write for up to about a minute (PostgreSQL restarting, a failover) before giving up. */
async function untilRecorded<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2_000)));
    }
  }
}
