// The Stripe sandbox's webhook endpoints, as Stripe's Webhook Endpoints API (docs.stripe.com/api/webhook_endpoints) and
// its Dashboard page manage them:
//   GET    /v1/webhook_endpoints        {object: "list", url, has_more, data}, newest first, limit / starting_after / ending_before
//   POST   /v1/webhook_endpoints        url + enabled_events[] → the endpoint, its `secret` shown at creation only
//   GET    /v1/webhook_endpoints/{id}   POST /v1/webhook_endpoints/{id} (url, enabled_events, disabled)   DELETE → {deleted: true}
// The app's endpoint is registered when the world starts, subscribed to every event ('*'); events go to it alone, and
// only while it is enabled and takes their type, as Stripe sends an event only to the endpoints enabled for it. Endpoints
// created through the API are kept and listed, not delivered to.
import { invalid, missingParam, noSuch, randomId, unknownParams, type Params } from './api.ts';

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  application: null;
  created: number;
  description: string | null;
  /** ['*'] is every event, "except those that require explicit selection" (Stripe's words) */
  enabled_events: string[];
  livemode: false;
  metadata: Record<string, string>;
  status: 'enabled' | 'disabled';
  url: string;
  /** only in the answer to the creation */
  secret?: string;
}

interface EndpointRecord extends Omit<WebhookEndpoint, 'url' | 'secret'> {
  /** the app's endpoint follows the app's address until someone sets another */
  url: string | (() => string | undefined);
}

const CREATE_PARAMS = new Set(['url', 'enabled_events', 'description', 'metadata', 'api_version', 'connect', 'expand']);
const UPDATE_PARAMS = new Set(['url', 'enabled_events', 'description', 'metadata', 'disabled', 'expand']);
/** "You can register up to 16 webhook endpoints on each Stripe account" (docs.stripe.com/development/dashboard/webhooks); the refusal's wording is ours */
const MAX_ENDPOINTS = 16;
/** list pages: 10 by default, at most 100, as every Stripe list */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

export class StripeWebhookEndpoints {
  private readonly records = new Map<string, EndpointRecord>();
  /** the endpoint registered for the app when the world started */
  readonly appEndpointId: string;

  constructor(appUrl: () => string | undefined) {
    this.appEndpointId = randomId('we_', 24);
    this.records.set(this.appEndpointId, this.record(this.appEndpointId, appUrl, ['*']));
  }

  /** Where an event of this type goes: the app's endpoint, while it exists, is enabled and takes the type. */
  deliveryUrl(type: string): string | undefined {
    const app = this.records.get(this.appEndpointId);
    if (app?.status !== 'enabled') return undefined;
    if (!app.enabled_events.includes('*') && !app.enabled_events.includes(type)) return undefined;
    return this.urlOf(app);
  }

  /** The app endpoint's current address (deliveries in flight use it). */
  appUrl(): string | undefined {
    const app = this.records.get(this.appEndpointId);
    return app && app.status === 'enabled' ? this.urlOf(app) : undefined;
  }

  /** Tests and the doctor's failures: what the Dashboard would do (change the events, disable, delete). */
  update(id: string, change: { enabled_events?: string[]; status?: 'enabled' | 'disabled'; url?: string }): void {
    const record = this.records.get(id);
    if (!record) throw new Error(`stripe sandbox: no webhook endpoint ${id}`);
    Object.assign(record, change);
  }

  remove(id: string): void {
    this.records.delete(id);
  }

  /** Retrieve a webhook endpoint; the app's is unknown until the app has an address. */
  retrieve(id: string): WebhookEndpoint {
    return this.view(this.existing(id));
  }

  /** The API's "Update a webhook endpoint": url, enabled_events, disabled, description. */
  change(id: string, p: Params): WebhookEndpoint {
    return this.view(this.applyChange(this.existing(id), p));
  }

  delete(id: string): { id: string; object: 'webhook_endpoint'; deleted: true } {
    const record = this.existing(id);
    this.records.delete(record.id);
    return { id: record.id, object: 'webhook_endpoint', deleted: true };
  }

  private existing(id: string): EndpointRecord {
    const record = this.records.get(id);
    if (!record || this.urlOf(record) === undefined) throw noSuch('webhook endpoint', id);
    return record;
  }

  list(p: Params) {
    const limit = p.limit === undefined ? DEFAULT_LIMIT : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw invalid(`Invalid limit: must be an integer between 1 and ${MAX_LIMIT}.`, 'parameter_invalid_integer', 'limit');
    }
    // newest first, as every Stripe list; the app's endpoint is listed once the app has an address
    const all = [...this.records.values()].filter((r) => this.urlOf(r) !== undefined).reverse();
    let from = 0;
    let to = all.length;
    if (typeof p.starting_after === 'string') {
      const i = all.findIndex((r) => r.id === p.starting_after);
      if (i < 0) throw noSuch('webhook endpoint', p.starting_after, 'starting_after');
      from = i + 1;
    } else if (typeof p.ending_before === 'string') {
      const i = all.findIndex((r) => r.id === p.ending_before);
      if (i < 0) throw noSuch('webhook endpoint', p.ending_before, 'ending_before');
      to = i;
      from = Math.max(0, i - limit);
    }
    const page = all.slice(from, Math.min(to, from + limit));
    const hasMore = typeof p.ending_before === 'string' ? from > 0 : from + page.length < all.length;
    return { object: 'list', url: '/v1/webhook_endpoints', has_more: hasMore, data: page.map((r) => this.view(r)) };
  }

  create(p: Params): WebhookEndpoint {
    unknownParams(p, CREATE_PARAMS);
    if (typeof p.url !== 'string' || !p.url) throw missingParam('url');
    validUrl(p.url);
    const events = enabledEvents(p.enabled_events);
    if ([...this.records.values()].length >= MAX_ENDPOINTS) {
      throw invalid(`You have reached the maximum of ${MAX_ENDPOINTS} webhook endpoints on this account.`, undefined, 'url');
    }
    const id = randomId('we_', 24);
    const record = this.record(id, p.url, events);
    record.description = typeof p.description === 'string' ? p.description : null;
    record.api_version = typeof p.api_version === 'string' ? p.api_version : null;
    this.records.set(id, record);
    return { ...this.view(record), secret: randomId('whsec_', 32) };
  }

  private applyChange(record: EndpointRecord, p: Params): EndpointRecord {
    unknownParams(p, UPDATE_PARAMS);
    if (p.url !== undefined) {
      if (typeof p.url !== 'string') throw invalid('Invalid URL.', 'url_invalid', 'url');
      record.url = validUrl(p.url);
    }
    if (p.enabled_events !== undefined) record.enabled_events = enabledEvents(p.enabled_events);
    if (p.disabled !== undefined) {
      if (p.disabled !== 'true' && p.disabled !== 'false') throw invalid(`Invalid boolean: ${String(p.disabled)}`, 'parameter_invalid_boolean', 'disabled');
      record.status = p.disabled === 'true' ? 'disabled' : 'enabled';
    }
    if (typeof p.description === 'string') record.description = p.description;
    return record;
  }

  private record(id: string, url: EndpointRecord['url'], events: string[]): EndpointRecord {
    return {
      id,
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      created: Math.floor(Date.now() / 1000),
      description: null,
      enabled_events: events,
      livemode: false,
      metadata: {},
      status: 'enabled',
      url,
    };
  }

  private urlOf(record: EndpointRecord): string | undefined {
    return typeof record.url === 'function' ? record.url() : record.url;
  }

  private view(record: EndpointRecord): WebhookEndpoint {
    return { ...record, enabled_events: [...record.enabled_events], url: this.urlOf(record) ?? '' };
  }
}

function validUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return url;
  } catch {
    // answered below
  }
  throw invalid('Invalid URL: URL must be publicly accessible.', 'url_invalid', 'url');
}

/** enabled_events[] is required and not empty; '*' or event names ("checkout.session.completed"), checked by form only. */
function enabledEvents(raw: unknown): string[] {
  if (raw === undefined || raw === '') throw missingParam('enabled_events');
  const events = Array.isArray(raw) ? raw.map(String) : [String(raw)];
  if (events.length === 0) throw missingParam('enabled_events');
  events.forEach((e, i) => {
    if (e !== '*' && !/^[a-z_]+(\.[a-z_]+)+$/.test(e))
      throw invalid(`Invalid enabled_events[${i}]: must be one of Stripe's event types or '*'.`, 'parameter_invalid_string', `enabled_events[${i}]`);
  });
  return events;
}
