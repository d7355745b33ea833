// The PayPal sandbox's vault: payment tokens saved at the capture of an order that asked for it
// (payment_source.paypal.attributes.vault, checkout_orders_v2.json: vault_paypal_wallet_base), orders paid with a saved
// token (payment_source.paypal.vault_id), and the Payment Method Tokens v3 routes (vault_payment_tokens_v3.json).
// Invariants: a token is only made for a merchant enabled for vaulting, at the capture of an order that asked for it; a
// deleted token is never charged again; a token's payer decides whether a payment without them goes through.
import { randomBytes } from 'node:crypto';
import type { Router } from '../http/router.ts';
import { invalidRequest, missing, notFound, PaypalApiError, unprocessable } from './api.ts';
import type { PaypalRoute } from './routes.ts';

export interface Payer {
  given_name: string;
  surname: string;
  email_address: string;
}

export const BUYER: Payer = { given_name: 'Camille', surname: 'Sandbox', email_address: 'buyer@sandbox.paypal.example' };

/**
 * The sandbox's test payers, as PayPal's sandbox has personal test accounts (developer.paypal.com/tools/sandbox/accounts)
 * and documented refusals to trigger (developer.paypal.com/tools/sandbox/negative-testing: INSTRUMENT_DECLINED):
 * - buyer@sandbox.paypal.example (BUYER): approves; payments with the token saved from it go through.
 * - vault-declined@sandbox.paypal.example: approves and pays on the spot, and its token is saved, but every payment
 *   with that token is refused with 422 INSTRUMENT_DECLINED ("The instrument presented was either declined by the
 *   processor or bank, or it can't be used for this payment", orders.capture-422), as Stripe's 4000 0000 0000 0341
 *   attaches to a Customer and then declines every charge.
 */
export const DECLINING_PAYER: Payer = { given_name: 'Dominique', surname: 'Refus', email_address: 'vault-declined@sandbox.paypal.example' };
export const TEST_PAYERS: Record<string, { payer: Payer; vaultedDecline?: { issue: string; description: string } }> = {
  [BUYER.email_address]: { payer: BUYER },
  [DECLINING_PAYER.email_address]: {
    payer: DECLINING_PAYER,
    vaultedDecline: {
      issue: 'INSTRUMENT_DECLINED',
      description: "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
    },
  },
};

/** What an order asked to save (vault_paypal_wallet_base: store_in_vault, usage_type required, the rest optional). */
export interface VaultRequest {
  usageType: 'MERCHANT' | 'PLATFORM';
  customerType: 'CONSUMER' | 'BUSINESS';
  permitMultiple: boolean;
  description?: string;
}

export interface PaymentToken {
  id: string;
  customerId: string;
  payer: Payer & { payer_id: string };
  usageType: string;
  customerType: string;
  deleted: boolean;
}

const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Payment token ids look like "8kk8451t" in PayPal's examples (vault_payment_tokens_v3.json). */
const tokenId = () => [...randomBytes(8)].map((b) => LOWER_ALPHANUMERIC[b % LOWER_ALPHANUMERIC.length]).join('');

export class PaypalVault {
  /** the merchant is approved for vaulting (PayPal configures it per account, in sandbox and live alike) */
  enabled = true;
  private readonly tokens = new Map<string, PaymentToken>();
  /** PayPal makes one customer id per payer for a merchant, and keeps it */
  private readonly customers = new Map<string, string>();

  constructor(private readonly baseUrl: () => string) {}

  /**
   * payment_source.paypal.attributes.vault of orders.create, checked as the spec types it: store_in_vault only
   * "ON_SUCCESS"; usage_type required ("MERCHANT" | "PLATFORM"); description 1 to 128 characters. A merchant not enabled
   * is refused with 422 NOT_ENABLED_TO_VAULT_PAYMENT_SOURCE (checkout_orders_v2.json, 422).
   */
  request(raw: unknown): VaultRequest | undefined {
    if (raw === undefined) return undefined;
    const v = (raw ?? {}) as Record<string, unknown>;
    const field = (name: string) => `/payment_source/paypal/attributes/vault/${name}`;
    const bad = (name: string, value: unknown) =>
      invalidRequest({
        field: field(name),
        value: String(value),
        location: 'body',
        issue: 'INVALID_PARAMETER_VALUE',
        description: 'The value of a field is invalid.',
      });
    if (v.store_in_vault === undefined) throw invalidRequest(missing(field('store_in_vault')));
    if (v.store_in_vault !== 'ON_SUCCESS') throw bad('store_in_vault', v.store_in_vault);
    if (v.usage_type === undefined) throw invalidRequest(missing(field('usage_type')));
    if (v.usage_type !== 'MERCHANT' && v.usage_type !== 'PLATFORM') throw bad('usage_type', v.usage_type);
    const customerType = v.customer_type ?? 'CONSUMER';
    if (customerType !== 'CONSUMER' && customerType !== 'BUSINESS') throw bad('customer_type', v.customer_type);
    if (v.permit_multiple_payment_tokens !== undefined && typeof v.permit_multiple_payment_tokens !== 'boolean')
      throw bad('permit_multiple_payment_tokens', v.permit_multiple_payment_tokens);
    if (v.description !== undefined && (typeof v.description !== 'string' || v.description.length < 1 || v.description.length > 128))
      throw bad('description', v.description);
    if (!this.enabled) {
      throw unprocessable(
        'NOT_ENABLED_TO_VAULT_PAYMENT_SOURCE',
        'The API caller or the merchant on whose behalf the API call is initiated is not allowed to vault the given source. Please contact PayPal customer support for assistance.',
      );
    }
    return {
      usageType: v.usage_type,
      customerType,
      permitMultiple: v.permit_multiple_payment_tokens === true,
      description: typeof v.description === 'string' ? v.description : undefined,
    };
  }

  /**
   * The token saved at a capture. Without permit_multiple_payment_tokens the payer keeps one token with the merchant
   * (the live one is given again); with it, every save makes a token of its own ("multiple payment tokens are
   * required for the same payer").
   */
  store(payer: Payer & { payer_id: string }, request: VaultRequest): PaymentToken {
    let customerId = this.customers.get(payer.email_address);
    if (!customerId) {
      customerId = tokenId() + tokenId().slice(0, 2);
      this.customers.set(payer.email_address, customerId);
    }
    if (!request.permitMultiple) {
      const existing = [...this.tokens.values()].find((t) => !t.deleted && t.payer.email_address === payer.email_address);
      if (existing) return existing;
    }
    const token: PaymentToken = {
      id: tokenId(),
      customerId,
      payer: { ...payer },
      usageType: request.usageType,
      customerType: request.customerType,
      deleted: false,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  /** A token that can pay: unknown or deleted → 422 TOKEN_ID_NOT_FOUND ("Specified token was not found", orders.capture-422). */
  usable(id: string): PaymentToken {
    const token = this.tokens.get(id);
    if (!token || token.deleted) throw unprocessable('TOKEN_ID_NOT_FOUND', 'Specified token was not found. Verify the token and try the request again.');
    return token;
  }

  /** Refuses a payment without the payer when the token's test payer declines them (TEST_PAYERS). */
  charge(token: PaymentToken): void {
    const decline = TEST_PAYERS[token.payer.email_address]?.vaultedDecline;
    if (decline) throw unprocessable(decline.issue, decline.description);
  }

  /** Test control: the token's payer becomes another test payer (their account changed since the token was saved). */
  swapPayer(id: string, email: string): void {
    const token = this.tokens.get(id);
    const test = TEST_PAYERS[email];
    if (!token || !test) throw new Error(`paypal sandbox: no token ${id} or no test payer ${email}`);
    token.payer = { ...test.payer, payer_id: token.payer.payer_id };
  }

  /** Every token ever made, deleted ones included (tests look at them). */
  list(): PaymentToken[] {
    return [...this.tokens.values()];
  }

  /** What orders answer in payment_source.paypal.attributes.vault (paypal_wallet_vault_response). */
  orderView(token: PaymentToken) {
    return { id: token.id, status: 'VAULTED', customer: { id: token.customerId }, links: this.links(token) };
  }

  /** A payment token as GET /v3/vault/payment-tokens/{id} answers it (payment_token_response). */
  view(token: PaymentToken) {
    const { payer } = token;
    return {
      id: token.id,
      customer: { id: token.customerId },
      payment_source: {
        paypal: {
          usage_type: token.usageType,
          customer_type: token.customerType,
          email_address: payer.email_address,
          payer_id: payer.payer_id,
          name: { given_name: payer.given_name, surname: payer.surname, full_name: `${payer.given_name} ${payer.surname}` },
        },
      },
      links: this.links(token),
    };
  }

  private links(token: PaymentToken) {
    const self = `${this.baseUrl()}/v3/vault/payment-tokens/${token.id}`;
    return [
      { href: self, rel: 'self', method: 'GET' as const, encType: 'application/json' },
      { href: self, rel: 'delete', method: 'DELETE' as const, encType: 'application/json' },
    ];
  }

  /** payment-tokens.get / payment-tokens.delete / customer.payment-tokens.get, added to the API's router (routes.ts). */
  routes(router: Router<PaypalRoute>, emit: (type: string, summary: string, resource: object) => void): Router<PaypalRoute> {
    const found = (id: string) => {
      const token = this.tokens.get(id);
      if (!token || token.deleted) throw notFound('id', id);
      return token;
    };
    return (
      router
        .add('GET', '/v3/vault/payment-tokens/{id}', { run: ({ params }) => ({ status: 200, body: this.view(found(params.id)) }) })
        // 204 and no body; the token can never pay again. The spec lists no 404 for a delete: this sandbox answers one
        // for a token unknown or already deleted, and callers take either as "gone".
        .add('DELETE', '/v3/vault/payment-tokens/{id}', {
          run: ({ params }) => {
            const token = found(params.id);
            token.deleted = true;
            emit('VAULT.PAYMENT-TOKEN.DELETED', 'A payment token has been deleted.', { id: token.id });
            return { status: 204, body: undefined };
          },
        })
        // customer_id required (7 to 36 characters, ^[0-9a-zA-Z_-]+$)
        .add('GET', '/v3/vault/payment-tokens', {
          run: ({ query }) => {
            const customerId = query.get('customer_id');
            if (!customerId)
              throw new PaypalApiError(400, 'INVALID_REQUEST', 'Request is not well-formed, syntactically incorrect, or violates schema.', [
                { ...missing('customer_id'), location: 'query' },
              ]);
            const tokens = [...this.tokens.values()].filter((t) => !t.deleted && t.customerId === customerId);
            return {
              status: 200,
              body: { customer: { id: customerId }, payment_tokens: tokens.map((t) => this.view(t)), total_items: tokens.length, total_pages: 1 },
            };
          },
        })
    );
  }
}
