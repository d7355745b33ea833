// Sign-in to the customer's space: a one-time link by email, exchanged for a session cookie and its CSRF token.
// Only SHA-256 digests of the link's token and of the session id are stored; the customer holds the secrets.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { Database } from '../db/database.ts';
import type { Locale } from '../domain/locale.ts';
import { AppError } from '../errors.ts';
import { queueEmail } from '../emails/outbox.ts';
import { signInEmail } from '../emails/sign-in.ts';
import { readCookie, sameSecret } from '../http/admin-auth.ts';

export const ACCOUNT_COOKIE = 'cg_account';
/** A link works once, for this long. */
export const LINK_MINUTES = 15;
/** A session lasts this long after its last use (sliding), and never longer than SESSION_MAX_DAYS after sign-in. */
export const SESSION_IDLE_DAYS = 7;
export const SESSION_MAX_DAYS = 30;

export const digest = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

/** Where a link lands: the space's page in the customer's language. */
export const spacePath = (locale: Locale) => (locale === 'fr' ? '/espace' : '/account');

/**
 * The account_sign_in job: when the address has orders, a fresh link and its email (one transaction, through the
 * outbox); otherwise nothing. The HTTP route only queues this job, so its answer and its time are the same for a known
 * address and an unknown one.
 */
export async function sendSignInLink(deps: Deps, email: string): Promise<'sent' | 'unknown'> {
  const address = email.toLowerCase();
  // what can no longer sign anyone in goes, a day after it ended (both tables are indexed on their end)
  await sql`delete from account_sign_in_links where expires_at < now() - interval '1 day'`.execute(deps.db);
  await sql`delete from account_sessions where expires_at < now() - interval '1 day'`.execute(deps.db);
  const newest = await deps.db
    .selectFrom('orders')
    .select(['locale', 'business_name', 'domain_unicode'])
    .where(sql<boolean>`lower(email) = ${address}`)
    .orderBy(sql`lower(email)`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return 'unknown';
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = digest(token);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('account_sign_in_links')
      .values({ token_hash: tokenHash, email: address, locale: newest.locale, expires_at: sql<Date>`now() + make_interval(mins => ${LINK_MINUTES})` })
      .execute();
    const rendered = signInEmail(
      {
        businessName: newest.business_name,
        domain: newest.domain_unicode,
        supportEmail: deps.config.SUPPORT_EMAIL,
        signInUrl: `${deps.config.publicUrl}${spacePath(newest.locale)}?signin=${token}`,
        minutes: LINK_MINUTES,
      },
      newest.locale,
    );
    await queueEmail(tx, { orderId: null, kind: 'sign_in', dedupeKey: `sign-in:${tokenHash}`, to: address, locale: newest.locale, rendered });
  });
  return 'sent';
}

export interface AccountSession {
  email: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The link's token for a session: the link is marked used by the same statement that finds it valid, so two
 * exchanges at once open one session. An unknown token is 400; an expired or used one 410 (Gone), each with its code.
 */
export async function openSession(db: Database, token: string, reply: FastifyReply, secure: boolean): Promise<AccountSession> {
  const tokenHash = digest(token);
  const id = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const session = await db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('account_sign_in_links')
      .set({ used_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('email')
      .executeTakeFirst();
    if (!used) return undefined;
    return tx
      .insertInto('account_sessions')
      .values({
        id_hash: digest(id),
        email: used.email,
        csrf_token: csrfToken,
        expires_at: sql<Date>`now() + make_interval(days => ${SESSION_IDLE_DAYS})`,
      })
      .returning(['email', 'csrf_token', 'expires_at'])
      .executeTakeFirstOrThrow();
  });
  if (!session) {
    const link = await db.selectFrom('account_sign_in_links').select(['used_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!link) throw new AppError('sign_in_link_invalid', 400);
    throw new AppError(link.used_at ? 'sign_in_link_used' : 'sign_in_link_expired', 410);
  }
  setCookie(reply, id, SESSION_MAX_DAYS * 86_400, secure);
  return { email: session.email, csrfToken: session.csrf_token, expiresAt: session.expires_at };
}

/**
 * The guard on every route of the space: a live session (401 `not_signed_in` otherwise), moved forward on use; and on
 * anything that changes state the session's CSRF token in `x-csrf-token` (403 `csrf_mismatch`): the cookie rides along
 * on a request another site makes, the header does not.
 */
export async function requireAccount(db: Database, req: FastifyRequest): Promise<AccountSession> {
  const id = readCookie(req, ACCOUNT_COOKIE);
  if (!id) throw new AppError('not_signed_in', 401);
  const idHash = digest(id);
  const row = await db
    .selectFrom('account_sessions')
    .select(['email', 'csrf_token', 'expires_at'])
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) throw new AppError('not_signed_in', 401);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const given = req.headers['x-csrf-token'];
    if (typeof given !== 'string' || !sameSecret(given, row.csrf_token)) throw new AppError('csrf_mismatch', 403);
  }
  // a request let in moves the session's end forward (at most once a minute: a page's burst of reads writes once)
  const slid = await db
    .updateTable('account_sessions')
    .set({
      expires_at: sql<Date>`least(created_at + make_interval(days => ${SESSION_MAX_DAYS}), now() + make_interval(days => ${SESSION_IDLE_DAYS}))`,
      last_seen_at: sql<Date>`now()`,
    })
    .where('id_hash', '=', idHash)
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 minute'`)
    .returning('expires_at')
    .executeTakeFirst();
  return { email: row.email, csrfToken: row.csrf_token, expiresAt: slid?.expires_at ?? row.expires_at };
}

/** Sign out: the session is deleted and the cookie cleared. */
export async function endSession(db: Database, req: FastifyRequest, reply: FastifyReply, secure: boolean): Promise<void> {
  const id = readCookie(req, ACCOUNT_COOKIE);
  if (id) await db.deleteFrom('account_sessions').where('id_hash', '=', digest(id)).execute();
  setCookie(reply, '', 0, secure);
}

/**
 * HttpOnly (no script reads it), Secure outside loopback, SameSite=Strict: the space's pages load without the cookie
 * and only their own fetches need it, so a request started by another site never carries it, not even a top-level GET.
 */
function setCookie(reply: FastifyReply, value: string, maxAgeSeconds: number, secure: boolean): void {
  reply.header('set-cookie', `${ACCOUNT_COOKIE}=${value}; Path=/api/account; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`);
}
