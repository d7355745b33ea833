// PayPal's OAuth 2.0 client-credentials flow (developer.paypal.com/api/rest/authentication): the app trades its client id
// and secret (HTTP Basic) for a Bearer access token that expires, then sends that token on every call.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isoNow } from './objects.ts';

export class PaypalOAuth {
  /** token → expiry (ms since epoch) */
  private readonly tokens = new Map<string, number>();
  /** how many access tokens were issued so far */
  issued = 0;

  constructor(
    private readonly o: {
      clientId: string;
      clientSecret: string;
      /** lifetime of an access token (real: about 9 hours, `expires_in` 32400) */
      tokenTtlSeconds: number;
      /** credentials revoked: every client authentication fails */
      revoked: () => boolean;
    },
  ) {}

  /** POST /v1/oauth2/token: Basic client_id:secret and grant_type=client_credentials; OAuth's own error words otherwise. */
  issue(authorization: string | undefined, raw: string): { status: number; body: unknown } {
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    const [id, ...rest] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    if (id !== this.o.clientId || rest.join(':') !== this.o.clientSecret || this.o.revoked()) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' } };
    }
    // expired tokens are forgotten as new ones are issued
    for (const [k, expiry] of this.tokens) if (expiry < Date.now()) this.tokens.delete(k);
    const token = `A21AA${randomBytes(48).toString('base64url')}`;
    this.tokens.set(token, Date.now() + this.o.tokenTtlSeconds * 1000);
    this.issued++;
    return {
      status: 200,
      body: {
        scope:
          'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/applications/webhooks',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: this.o.tokenTtlSeconds,
        nonce: `${isoNow()}${randomBytes(16).toString('base64url')}`,
      },
    };
  }

  /** A Bearer token this server issued and that has not expired. */
  authenticated(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const expiry = bearer ? this.tokens.get(bearer[1].trim()) : undefined;
    return expiry !== undefined && expiry > Date.now() && !this.o.revoked();
  }

  /** Every token invalid at once, as an expiry would make them. */
  revokeAll(): void {
    this.tokens.clear();
  }
}
