// Payment webhooks: verified on the raw body, stored once by provider event id, acknowledged at once, processed by a job.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../deps.ts';
import { addJob } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { verifyStripeWebhook } from '../../providers/payments/stripe/client.ts';
import type { PaypalPayments } from '../../providers/payments/paypal/client.ts';
import { webhookDuplicate, webhookProviderOf, webhookReceived, webhookRejected } from '../../monitoring/observe.ts';
import { limitWebhookRefusals } from '../webhook-refusals.ts';

/** security corpus: a genuinely signed body that is not an event (an array, no id) was a 500 (a null event id in the insert). */
function eventShape(id: unknown, type: unknown): void {
  if (typeof id !== 'string' || !id || id.length > 255 || typeof type !== 'string' || !type) throw new AppError('webhook_event_invalid', 400);
}

/** Store the event unless its id was seen before; enqueue its processing in the same transaction. */
async function storeEvent(deps: Deps, provider: 'stripe' | 'paypal', eventId: string, type: string, payload: unknown): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('webhook_events')
      .values({ provider, event_id: eventId, type, payload: JSON.stringify(payload) })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await addJob(tx, 'process_webhook', { id: row.id }, { jobKey: `webhook:${row.id}`, maxAttempts: 25 });
    return true;
  });
}

export const webhookRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  // signatures are computed over the exact bytes received: keep the raw body in this scope
  app.removeContentTypeParser('application/json'); // the app's own (strict UTF-8) JSON parser is replaced in this scope
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_req, body, done) => done(null, body));
  // monitoring: every request counts as received; a refusal (thrown as a 4xx before storage) as rejected
  app.addHook('onRequest', async (req) => webhookReceived(deps, webhookProviderOf(req.url)));
  app.addHook('onError', async (req, _reply, err) => webhookRejected(deps, webhookProviderOf(req.url), err));
  limitWebhookRefusals(app, deps); // security: an address refused too often is answered 429 (src/http/webhook-refusals.ts)

  app.post('/api/concierge/webhook/payment', { schema: { hide: true } }, async (req, reply) => {
    const raw = req.body as Buffer;
    const event = verifyStripeWebhook(raw, req.headers['stripe-signature'] as string | undefined, deps.webhookSecrets.stripe, 300);
    eventShape(event.id, event.type);
    const fresh = await storeEvent(deps, 'stripe', event.id, event.type, event);
    if (!fresh) webhookDuplicate(deps, 'stripe'); // monitoring
    deps.log.info({ event: 'webhook_received', provider: 'stripe', type: event.type, duplicate: !fresh }, 'webhook received');
    return reply.code(200).send({ received: true, duplicate: !fresh });
  });

  app.post('/api/concierge/webhook/payment/paypal', { schema: { hide: true } }, async (req, reply) => {
    const raw = req.body as Buffer;
    const paypal = deps.payments.paypal as PaypalPayments;
    const event = await paypal.verifyWebhook(req.headers as Record<string, string | string[] | undefined>, raw);
    eventShape(event.id, event.event_type);
    const fresh = await storeEvent(deps, 'paypal', event.id, event.event_type, event);
    if (!fresh) webhookDuplicate(deps, 'paypal'); // monitoring
    deps.log.info({ event: 'webhook_received', provider: 'paypal', type: event.event_type, duplicate: !fresh }, 'webhook received');
    return reply.code(200).send({ received: true, duplicate: !fresh });
  });
};
