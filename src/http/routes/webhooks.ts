// Payment webhooks: verified on the raw body, stored once by provider event id, acknowledged at once, processed by a job.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../deps.ts';
import { addJob } from '../../db/database.ts';
import { verifyStripeWebhook } from '../../providers/payments/stripe/client.ts';
import type { PaypalPayments } from '../../providers/payments/paypal/client.ts';

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
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_req, body, done) => done(null, body));

  app.post('/api/concierge/webhook/payment', { schema: { hide: true } }, async (req, reply) => {
    const raw = req.body as Buffer;
    const event = verifyStripeWebhook(raw, req.headers['stripe-signature'] as string | undefined, deps.webhookSecrets.stripe, 300);
    const fresh = await storeEvent(deps, 'stripe', event.id, event.type, event);
    deps.log.info({ event: 'webhook_received', provider: 'stripe', type: event.type, duplicate: !fresh }, 'webhook received');
    return reply.code(200).send({ received: true, duplicate: !fresh });
  });

  app.post('/api/concierge/webhook/payment/paypal', { schema: { hide: true } }, async (req, reply) => {
    const raw = req.body as Buffer;
    const paypal = deps.payments.paypal as PaypalPayments;
    const event = await paypal.verifyWebhook(req.headers as Record<string, string | string[] | undefined>, raw);
    const fresh = await storeEvent(deps, 'paypal', event.id, event.event_type, event);
    deps.log.info({ event: 'webhook_received', provider: 'paypal', type: event.event_type, duplicate: !fresh }, 'webhook received');
    return reply.code(200).send({ received: true, duplicate: !fresh });
  });
};
