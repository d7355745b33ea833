// Payment webhooks: verified on the raw body, stored once by provider event id, acknowledged at once, processed by a job.
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../deps.ts';
import { sql } from 'kysely';
import { AppError } from '../../errors.ts';
import { verifyStripeWebhook } from '../../providers/payments/stripe/client.ts';
import type { PaypalPayments } from '../../providers/payments/paypal/client.ts';
import { webhookDuplicate, webhookProviderOf, webhookReceived, webhookRejected } from '../../monitoring/observe.ts';
import { limitWebhookRefusals } from '../webhook-refusals.ts';
import { routes } from '../../contract/index.ts';

/** A genuinely signed body must still be an event (an object with an id and a type) before anything is stored. */
function eventShape(id: unknown, type: unknown): void {
  if (typeof id !== 'string' || !id || id.length > 255 || typeof type !== 'string' || !type) throw new AppError('webhook_event_invalid', 400);
}

/**
 * Store the event unless its id was seen before, and enqueue its processing (process_webhook, ahead of every step:
 * src/workflow/jobs/catalogue.ts): one statement (atomic, one round trip; the acknowledgement waits for it). A
 * redelivery inserts nothing, so it enqueues nothing.
 */
async function storeEvent(deps: Deps, provider: 'stripe' | 'paypal', eventId: string, type: string, payload: unknown): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    with stored as (
      insert into webhook_events (provider, event_id, type, payload) values (${provider}, ${eventId}, ${type}, ${JSON.stringify(payload)}::jsonb)
      on conflict (provider, event_id) do nothing
      returning id
    )
    select id, enqueue_job('process_webhook', jsonb_build_object('id', id::text)) as job from stored`.execute(deps.db);
  return rows.length > 0;
}

export const webhookRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  // signatures are computed over the exact bytes received: keep the raw body in this scope
  app.removeContentTypeParser('application/json'); // the app's own (strict UTF-8) JSON parser is replaced in this scope
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_req, body, done) => done(null, body));
  // monitoring: every request counts as received; a refusal (thrown as a 4xx before storage) as rejected
  app.addHook('onRequest', async (req) => webhookReceived(deps, webhookProviderOf(req.url)));
  app.addHook('onError', async (req, _reply, err) => webhookRejected(deps, webhookProviderOf(req.url), err));
  limitWebhookRefusals(app, deps); // an address refused too often is answered 429 (src/http/webhook-refusals.ts)

  app.post('/api/concierge/webhook/payment', { schema: routes['POST /api/concierge/webhook/payment'] }, async (req, reply) => {
    const raw = req.body as Buffer;
    const event = verifyStripeWebhook(raw, req.headers['stripe-signature'] as string | undefined, deps.webhookSecrets.stripe, 300);
    eventShape(event.id, event.type);
    const fresh = await storeEvent(deps, 'stripe', event.id, event.type, event);
    if (!fresh) webhookDuplicate(deps, 'stripe'); // monitoring
    deps.log.info({ event: 'webhook_received', provider: 'stripe', type: event.type, duplicate: !fresh }, 'webhook received');
    return reply.code(200).send({ received: true, duplicate: !fresh });
  });

  app.post('/api/concierge/webhook/payment/paypal', { schema: routes['POST /api/concierge/webhook/payment/paypal'] }, async (req, reply) => {
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
