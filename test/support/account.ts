// The customer's space in tests: the sign-in link an email brought, and a signed-in session (cookie and CSRF token).
import crypto from 'node:crypto';
import type { System } from '../../src/system.ts';
import { sendSignInLink } from '../../src/account/sessions.ts';
import { send } from '../security/corpus.ts';
import { eventually } from './system.ts';

const taken = new Set<string>();

/** The newest sign-in link emailed to `email` that no test took yet: its URL, token, the token's digest and the subject. */
export async function signInLink(sys: System, email: string): Promise<{ url: string; token: string; hash: string; subject: string }> {
  return eventually(async () => {
    // the outbox holds the email as it is (or will be) sent: this works with the workers stopped too
    const mails = await sys.db
      .selectFrom('outbox_emails')
      .select(['subject', 'text_body'])
      .where('to_address', '=', email.toLowerCase())
      .where('kind', '=', 'sign_in')
      .orderBy('created_at', 'desc')
      .execute();
    for (const m of mails) {
      const url = /https?:\/\/[^\s"<>]+\?signin=([A-Za-z0-9_-]+)/.exec(m.text_body);
      if (url && !taken.has(url[1]!)) {
        taken.add(url[1]!);
        return { url: url[0], token: url[1]!, hash: crypto.createHash('sha256').update(url[1]!).digest('hex'), subject: m.subject };
      }
    }
    return undefined;
  });
}

/**
 * A session for `email` (which must have orders): a link made by the sign-in job itself (the HTTP route's per-address
 * limit is the subject of its own test), exchanged over HTTP from `from`.
 */
export async function signIn(sys: System, email: string, from?: string): Promise<{ cookie: string; csrfToken: string }> {
  await sendSignInLink(sys.deps, email);
  const { token } = await signInLink(sys, email);
  const r = await send(sys.url!, { method: 'POST', path: '/api/account/session', body: { token } }, from);
  if (r.status !== 200) throw new Error(`sign-in refused: ${r.status} ${r.text}`);
  return { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrfToken: r.json.csrfToken };
}
