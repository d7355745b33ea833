// The customer's routes, as "METHOD /path": what each one takes and every answer it gives (src/http/routes/* serve them).
import { z } from 'zod';
import { errors, htmlPage, langQuery, media, noBody, tokenParam } from '../common.ts';
import {
  conciergeCreated,
  conciergeRequest,
  demoAnswer,
  demoRequest,
  domainCheck,
  domainCheckQuery,
  domainChoice,
  domainRefused,
  holderRefused,
  orderStatus,
  paymentLink,
  priceList,
  webhookReceived,
} from '../orders.ts';
import { archiveUploaded, asset, assetParams, assetUploadQuery, publishQueued, sitePreview, siteSave, siteSaved, siteState } from '../site.ts';

const notFound = { 404: 'order_not_found' } as const;
/** The body is the provider's event as it signed it (JSON, at most 512 KiB), checked on its raw bytes before anything is read. */
const webhookHeaders = (signature: string) => z.looseObject({ [signature]: z.string().optional().describe('the provider’s signature of the raw body') });

export const orderRoutes = {
  'GET /api/domains/check': {
    tags: ['public'],
    summary: 'Is this domain free? If not, available alternatives.',
    querystring: domainCheckQuery,
    response: {
      200: domainCheck.describe('the name, whether it is free, its price, or names close to it'),
      ...errors({ 422: 'the name is not one we can register: domain_invalid_characters, domain_tld_not_sold, …', 503: 'availability_unknown' }),
    },
  },
  'POST /api/request-concierge-service': {
    tags: ['public'],
    summary:
      'Ask for a site online at a domain: answers the quote and the payment link. 503 `busy` with Retry-After when the process has more requests than it can work on: nothing was stored; send the same request again with the same Idempotency-Key.',
    body: conciergeRequest,
    headers: z.looseObject({ 'idempotency-key': z.string().optional().describe('8 to 255 printable characters: the same key answers the same order') }),
    response: {
      201: conciergeCreated.describe('the order, awaiting payment (the same answer again for a repeated Idempotency-Key)'),
      409: domainRefused.describe('`domain_taken`, or `domain_premium_refused` (its premium price is over the limit), with `domain` and its `alternatives`'),
      ...errors({ 503: '`busy`, `availability_unknown`' }),
      422: holderRefused
        .partial({ tld: true, eligibleTlds: true, alternatives: true })
        .describe(
          'a field that does not hold (`fields`: each field, its code, why), `idempotency_key_invalid`, `idempotency_key_reused`, `requested_domain_*`, `domain_idn_not_sold`; `holder_not_eligible` with the TLD whose rule refuses the holder, `eligibleTlds` and `alternatives`',
        ),
    },
  },
  'POST /api/concierge/status/:token/payment-link': {
    tags: ['public'],
    summary: 'A fresh payment link after the previous one expired.',
    params: tokenParam,
    response: {
      200: paymentLink.describe('a link to the provider’s checkout, and when it expires'),
      ...errors({ ...notFound, 409: '`order_cancelled`, `order_already_paid`', 503: 'payment_provider_unavailable' }),
    },
  },
  'GET /pay/:token': {
    tags: ['public'],
    summary: 'The stable link in emails: to the provider’s checkout while the order is unpaid (a fresh link when needed), else to the tracking page.',
    params: tokenParam,
    response: {
      303: noBody('Location: the checkout page, or the tracking page (with `?payment=unavailable` when no link could be made)'),
      ...errors(notFound),
    },
  },
  'GET /api/concierge/status/:token': {
    tags: ['public'],
    summary: 'Where the order stands: state, steps with ETA, timeline, links.',
    params: tokenParam,
    querystring: langQuery,
    response: { 200: orderStatus.describe('the order as its customer sees it'), ...errors(notFound) },
  },
  'GET /api/concierge/status/:token/events': {
    tags: ['public'],
    summary:
      'Server-sent events: `event: status` with the status JSON, at once and after every change. Its `timeline` holds the events the stream has not sent yet (first the whole timeline, then those after `timelineAfter` and any that committed late): add them by id. A reconnect with Last-Event-ID (the last SSE id) gets only what it lacks.',
    params: tokenParam,
    querystring: langQuery,
    headers: z.looseObject({ 'last-event-id': z.string().optional().describe('the id of the last event received: only what came after is sent') }),
    response: {
      200: media('`event: status`, `id: <event id>:<horizon>`, `data:` the status JSON (as GET /api/concierge/status/{token} answers it)', [
        'text/event-stream',
      ]),
      ...errors({ ...notFound, 429: 'too_many_streams: this order or address holds as many streams as it may' }),
    },
  },
  'POST /api/concierge/status/:token/domain': {
    tags: ['public'],
    summary: 'After the domain was taken at purchase time: continue with one of the names offered.',
    params: tokenParam,
    body: domainChoice,
    response: {
      200: z.object({ ok: z.boolean(), domain: z.string() }).describe('the order continues with this name'),
      ...errors({ ...notFound, 409: 'order_not_waiting_for_domain', 422: 'domain_not_offered' }),
    },
  },
  'POST /api/test/concierge/demo': {
    tags: ['sandbox'],
    summary: 'Run one whole order through the sandbox world and answer when it is final (sandbox mode only).',
    body: demoRequest,
    response: {
      200: demoAnswer.describe('the order once final, with its timeline and report'),
      ...errors({ 404: 'not_found: the sandbox world is not running', 503: 'payment_provider_unavailable' }),
    },
  },
  'POST /api/concierge/webhook/payment': {
    tags: ['webhooks'],
    summary: 'Stripe’s signed events (the body: the event as Stripe signed it): verified, stored once by event id, acknowledged at once, processed by a job.',
    headers: webhookHeaders('stripe-signature'),
    response: {
      200: webhookReceived.describe('acknowledged: stored once, processed by a job'),
      ...errors({ 400: '`webhook_signature_invalid`, `webhook_event_invalid`', 429: 'rate_limited: this address was refused too often' }),
    },
  },
  'POST /api/concierge/webhook/payment/paypal': {
    tags: ['webhooks'],
    summary:
      'PayPal’s signed events (the body: the event as PayPal sent it): verified with PayPal (verify-webhook-signature), stored once by event id, acknowledged at once, processed by a job.',
    headers: webhookHeaders('paypal-transmission-sig'),
    response: {
      200: webhookReceived.describe('acknowledged: stored once, processed by a job'),
      ...errors({ 400: '`webhook_signature_invalid`, `webhook_event_invalid`', 429: 'rate_limited: this address was refused too often' }),
    },
  },
  'GET /api/prices': {
    tags: ['public'],
    summary: 'The price list: service, express surcharge, first-year price per TLD, and the deadlines.',
    response: { 200: priceList.describe('the prices and deadlines quotes are made from'), ...errors() },
  },
  'GET /healthz': {
    tags: ['monitoring'],
    summary: 'The process answers (nothing else is checked).',
    response: { 200: z.object({ ok: z.boolean() }).describe('the process is up'), ...errors() },
  },
};

export const siteRoutes = {
  'GET /api/sites/:token': {
    tags: ['site'],
    summary: 'The site document the editor edits, its version, what is live, its pictures and the templates.',
    params: tokenParam,
    response: { 200: siteState.describe('the document, its version, what is live, the pictures, the templates and the limits'), ...errors(notFound) },
  },
  'PUT /api/sites/:token': {
    tags: ['site'],
    summary: 'Save the document (drafts save on their own). 422 names each bad field and why; 409 when the version is stale.',
    params: tokenParam,
    body: siteSave,
    response: {
      200: siteSaved.describe('saved: the new version'),
      ...errors({ ...notFound, 409: '`site_version_conflict` (with `currentVersion`), `site_not_editable`', 422: 'each bad field in `fields`' }),
    },
  },
  'GET /api/sites/:token/preview': {
    tags: ['site'],
    summary: 'The saved document rendered: the home page as it would go live (text/html).',
    params: tokenParam,
    response: { 200: htmlPage('the home page, its pictures loaded from the asset route; nothing in it runs'), ...errors(notFound) },
  },
  'POST /api/sites/:token/preview': {
    tags: ['site'],
    summary: 'An unsaved document rendered (text/html), for a live preview while typing; 422 like PUT.',
    params: tokenParam,
    body: sitePreview,
    response: { 200: htmlPage('the home page of the document sent'), ...errors({ ...notFound, 422: 'each bad field in `fields`' }) },
  },
  'POST /api/sites/:token/publish': {
    tags: ['site'],
    summary: 'Put the saved document live (202): rendered and redeployed, only changed files uploaded; an email follows. Delivered sites only (409 otherwise).',
    params: tokenParam,
    response: { 202: publishQueued.describe('queued: the version going live'), ...errors({ ...notFound, 409: 'site_not_delivered' }) },
  },
  'POST /api/sites/:token/assets': {
    tags: ['site'],
    summary:
      'Upload a logo or a picture as the raw request body (any content type: the bytes decide). 201 with the asset; 200 when the same bytes were already uploaded.',
    params: tokenParam,
    querystring: assetUploadQuery,
    response: {
      201: asset.describe('the picture, kept'),
      200: asset.describe('the same bytes were already uploaded: that asset'),
      ...errors({
        ...notFound,
        409: '`asset_limit_reached`, `site_not_editable`',
        413: 'image_too_large',
        415: 'image_raw_body_required: send the file itself, not a form',
        422: 'the bytes are not a picture we take: image_type_unsupported, image_dimensions_too_large, …',
      }),
    },
  },
  'GET /api/sites/:token/assets/:id': {
    tags: ['site'],
    summary: 'The bytes of an uploaded picture.',
    params: assetParams,
    response: {
      200: media('the picture', ['image/png', 'image/jpeg', 'image/webp', 'image/gif'], 'bytes'),
      ...errors({ 404: '`order_not_found`, `asset_not_found`' }),
    },
  },
  'DELETE /api/sites/:token/assets/:id': {
    tags: ['site'],
    summary: 'Delete a picture the saved document no longer uses (409 while it does).',
    params: assetParams,
    response: { 204: noBody('deleted'), ...errors({ 404: '`order_not_found`, `asset_not_found`', 409: '`asset_in_use`, `site_not_editable`' }) },
  },
  'POST /api/concierge/status/:token/archive': {
    tags: ['public'],
    summary: `Upload the site as a ZIP (raw application/zip body) instead of using the editor, before the deploy step. Refused with the reason (422) when unsafe; nothing is kept then.`,
    params: tokenParam,
    querystring: langQuery,
    response: {
      201: archiveUploaded.describe('kept: the archive’s summary and its files'),
      ...errors({
        ...notFound,
        409: '`archive_too_late`, `site_not_editable`',
        413: 'archive_too_large',
        415: 'archive_raw_body_required: send the file itself, not a form',
        422: 'why the archive is unsafe or unusable: archive_no_index, archive_path_unsafe, …',
      }),
    },
  },
  'DELETE /api/concierge/status/:token/archive': {
    tags: ['public'],
    summary: 'Drop the uploaded archive (before the deploy step): the editor’s document goes live instead.',
    params: tokenParam,
    response: { 204: noBody('no archive any more'), ...errors({ ...notFound, 409: 'archive_too_late' }) },
  },
};

const app = (what: string) => ({
  tags: ['pages'],
  summary: `${what}: the web app’s single page (it decides what to show from the address).`,
  response: { 200: htmlPage('the app'), 503: htmlPage('the front end is not built yet (`npm run build`)'), ...errors() },
});
const pageToken = z.object({ token: z.string().max(100) });
const wildcard = (token: boolean) => z.object({ ...(token ? pageToken.shape : {}), '*': z.string() });
const paymentBack = z.looseObject({
  order: z.string().max(100).optional().describe('the tracking token'),
  token: z.string().max(100).optional().describe('PayPal’s order id, which PayPal appends'),
  PayerID: z.string().max(100).optional(),
  lang: z.enum(['fr', 'en']).optional(),
});

export const pageRoutes = {
  'GET /': app('The home page'),
  'GET /admin': app('The console'),
  'GET /admin/*': { ...app('A page of the console'), params: wildcard(false) },
  'GET /suivi/:token': { ...app('Le suivi d’une commande'), params: pageToken },
  'GET /suivi/:token/*': { ...app('Le suivi d’une commande'), params: wildcard(true) },
  'GET /track/:token': { ...app('An order’s tracking page'), params: pageToken },
  'GET /track/:token/*': { ...app('An order’s tracking page'), params: wildcard(true) },
  'GET /editor/:token': { ...app('The site editor (the link in the delivery email)'), params: pageToken },
  'GET /payment/return': { ...app('Back from the checkout (an approved PayPal payment is captured at once)'), querystring: paymentBack },
  'GET /payment/cancel': { ...app('Back from a cancelled checkout'), querystring: paymentBack },
  'GET /assets/:file': {
    tags: ['pages'],
    summary: 'The built front end’s files (hashed names, cached for good).',
    params: z.object({ file: z.string().max(200) }),
    response: { 200: media('the file', ['text/javascript', 'text/css', 'image/svg+xml', 'image/png', 'font/woff2'], 'bytes'), ...errors({ 404: 'not_found' }) },
  },
  'GET /favicon.svg': {
    tags: ['pages'],
    summary: 'The icon.',
    response: { 200: media('the icon', ['image/svg+xml']), ...errors({ 404: 'not_found' }) },
  },
};
