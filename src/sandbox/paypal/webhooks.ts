// The PayPal sandbox's webhooks, as PayPal's Webhooks Management API v1 manages them (developer.paypal.com/api/webhooks/v1,
// its OpenAPI file notifications_webhooks_v1.json):
//   GET    /v1/notifications/webhooks?anchor_type=APPLICATION|ACCOUNT   {webhooks: [{id, url, event_types: [{name}], links}]}
//   POST   /v1/notifications/webhooks        {url, event_types: [{name}]} → 201 webhook; '*' subscribes to every event
//   GET | PATCH (JSON Patch: replace /url, /event_types) | DELETE  /v1/notifications/webhooks/{id}
// The app's webhook (the id the merchant configures as PAYPAL_WEBHOOK_ID) is registered when the world starts, subscribed
// to '*'; events go to it alone, and only when it takes their type. Webhooks created through the API are listed, not sent to.
import { PaypalApiError, invalidRequest, missing, notFound, paypalId } from './api.ts';

export interface PaypalWebhook {
  id: string;
  url: string;
  event_types: { name: string; description?: string }[];
  links: { href: string; rel: string; method: 'GET' | 'PATCH' | 'DELETE' }[];
}

interface WebhookRecord {
  id: string;
  url: string | (() => string | undefined);
  eventTypes: string[];
}

/** "Up to 10 webhook URLs may be subscribed per app" (developer.paypal.com/api/webhooks) */
const MAX_WEBHOOKS = 10;

export class PaypalWebhooks {
  private readonly records = new Map<string, WebhookRecord>();

  constructor(
    /** the app's webhook id (PAYPAL_WEBHOOK_ID) */
    readonly appWebhookId: string,
    appUrl: () => string | undefined,
    private readonly baseUrl: () => string,
  ) {
    this.records.set(appWebhookId, { id: appWebhookId, url: appUrl, eventTypes: ['*'] });
  }

  /** Where an event of this type goes: the app's webhook, while it exists and takes the type. */
  deliveryUrl(eventType: string): string | undefined {
    const app = this.records.get(this.appWebhookId);
    if (!app || (!app.eventTypes.includes('*') && !app.eventTypes.includes(eventType))) return undefined;
    return this.urlOf(app);
  }

  appUrl(): string | undefined {
    const app = this.records.get(this.appWebhookId);
    return app ? this.urlOf(app) : undefined;
  }

  /** Tests and the doctor's failures: what the developer dashboard would do. */
  update(id: string, change: { eventTypes?: string[]; url?: string }): void {
    const record = this.records.get(id);
    if (!record) throw new Error(`paypal sandbox: no webhook ${id}`);
    if (change.eventTypes) record.eventTypes = change.eventTypes;
    if (change.url) record.url = change.url;
  }

  remove(id: string): void {
    this.records.delete(id);
  }

  /** List webhooks: `anchor_type` APPLICATION (the default) or ACCOUNT. */
  list(anchor: string): { webhooks: PaypalWebhook[] } {
    if (anchor !== 'APPLICATION' && anchor !== 'ACCOUNT') {
      throw invalidRequest({
        field: 'anchor_type',
        value: anchor,
        location: 'query',
        issue: 'INVALID_PARAMETER_VALUE',
        description: 'The value of a field is invalid.',
      });
    }
    // every webhook here belongs to the app (REST app credentials made them); none is anchored to the account
    const listed = anchor === 'ACCOUNT' ? [] : [...this.records.values()].filter((r) => this.urlOf(r) !== undefined);
    return { webhooks: listed.map((r) => this.view(r)) };
  }

  /** Create webhook: {url, event_types: [{name}]}. */
  create(body: Record<string, unknown>): PaypalWebhook {
    return this.view(this.add(body));
  }

  get(id: string): PaypalWebhook {
    return this.view(this.existing(id));
  }

  /** Update webhook: a JSON Patch of /url or /event_types. */
  change(id: string, ops: unknown): PaypalWebhook {
    return this.view(this.patch(this.existing(id), ops));
  }

  delete(id: string): void {
    this.records.delete(this.existing(id).id);
  }

  private existing(id: string): WebhookRecord {
    const record = this.records.get(id);
    if (!record || this.urlOf(record) === undefined) throw notFound('webhook_id', id);
    return record;
  }

  private add(body: Record<string, unknown>): WebhookRecord {
    const url = validUrl(body.url, '/url');
    const eventTypes = validEventTypes(body.event_types, '/event_types');
    const urls = [...this.records.values()].map((r) => this.urlOf(r));
    // developer.paypal.com/api/webhooks/v1/errors/webhook_url_already_exists and .../webhook_number_limit_exceeded
    if (urls.includes(url)) throw new PaypalApiError(400, 'WEBHOOK_URL_ALREADY_EXISTS', 'Webhook URL already exists.');
    if (this.records.size >= MAX_WEBHOOKS) throw new PaypalApiError(400, 'WEBHOOK_NUMBER_LIMIT_EXCEEDED', "The webhook's number limit has exceeded.");
    const record: WebhookRecord = { id: `${paypalId(17)}`, url, eventTypes };
    this.records.set(record.id, record);
    return record;
  }

  /** JSON Patch (RFC 6902) as the Update webhook operation takes it: `replace` of /url or /event_types. */
  private patch(record: WebhookRecord, ops: unknown): WebhookRecord {
    if (!Array.isArray(ops) || ops.length === 0) throw invalidRequest(missing('/'));
    for (const [i, raw] of ops.entries()) {
      const op = (raw ?? {}) as { op?: string; path?: string; value?: unknown };
      if (op.op !== 'replace' || (op.path !== '/url' && op.path !== '/event_types')) {
        throw invalidRequest({
          field: `/${i}/path`,
          value: String(op.path),
          location: 'body',
          issue: 'INVALID_PARAMETER_VALUE',
          description: 'Only replace of /url and /event_types is supported.',
        });
      }
      if (op.path === '/url') record.url = validUrl(op.value, `/${i}/value`);
      else record.eventTypes = validEventTypes(op.value, `/${i}/value`);
    }
    return record;
  }

  private urlOf(record: WebhookRecord): string | undefined {
    return typeof record.url === 'function' ? record.url() : record.url;
  }

  private view(record: WebhookRecord): PaypalWebhook {
    const href = `${this.baseUrl()}/v1/notifications/webhooks/${record.id}`;
    return {
      id: record.id,
      url: this.urlOf(record) ?? '',
      // PayPal describes the wildcard subscription as ALL
      event_types: record.eventTypes.map((name) => (name === '*' ? { name, description: 'ALL' } : { name })),
      links: [
        { href, rel: 'self', method: 'GET' },
        { href, rel: 'update', method: 'PATCH' },
        { href, rel: 'delete', method: 'DELETE' },
      ],
    };
  }
}

function validUrl(raw: unknown, field: string): string {
  if (raw === undefined) throw invalidRequest(missing(field));
  try {
    const u = new URL(String(raw));
    // the schema: a URI of at most 2048 characters
    if ((u.protocol === 'https:' || u.protocol === 'http:') && String(raw).length <= 2048) return String(raw);
  } catch {
    // answered below
  }
  throw invalidRequest({
    field,
    value: String(raw),
    location: 'body',
    issue: 'INVALID_PARAMETER_SYNTAX',
    description: 'The value of a field does not conform to the expected format.',
  });
}

/** event_types: at least one, at most 500 (the schema), each {name}; '*' or PAYPAL.EVENT.NAMES, checked by form only. */
function validEventTypes(raw: unknown, field: string): string[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalidRequest(missing(field));
  if (raw.length > 500)
    throw invalidRequest({ field, location: 'body', issue: 'INVALID_ARRAY_MAX_ITEMS', description: 'The number of items in an array parameter is too large.' });
  return raw.map((t, i) => {
    const name = (t as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || (name !== '*' && !/^[A-Z0-9_-]+(\.[A-Z0-9_-]+)+$/.test(name))) {
      throw invalidRequest({
        field: `${field}/${i}/name`,
        value: String(name),
        location: 'body',
        issue: 'INVALID_PARAMETER_SYNTAX',
        description: 'The value of a field does not conform to the expected format.',
      });
    }
    return name;
  });
}
