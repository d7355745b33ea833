// Admin authentication: a bearer token for automation, or a password login with an httpOnly session cookie and a CSRF token.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = 'cg_admin';
const SESSION_HOURS = 12;

export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** The admin password, kept only as a scrypt hash in memory; generated into DATA_DIR/admin-password in development. */
export class AdminPassword {
  private readonly salt = crypto.randomBytes(16);
  private readonly hash: Buffer;
  readonly file?: string;

  constructor(config: Config) {
    let password = config.ADMIN_PASSWORD;
    if (!password) {
      const file = path.join(config.dataDir, 'admin-password');
      if (!fs.existsSync(file)) fs.writeFileSync(file, `${crypto.randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
      password = fs.readFileSync(file, 'utf8').trim();
      this.file = file;
    }
    this.hash = crypto.scryptSync(password, this.salt, 32);
  }

  verify(candidate: string): boolean {
    const h = crypto.scryptSync(candidate, this.salt, 32);
    return crypto.timingSafeEqual(h, this.hash);
  }
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      // a value that does not percent-decode is no session (not an error)
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const digest = (v: string) => crypto.createHash('sha256').update(v).digest('hex');

export async function createSession(db: Database, reply: FastifyReply, secure: boolean): Promise<string> {
  const id = crypto.randomBytes(32).toString('base64url');
  const csrf = crypto.randomBytes(24).toString('base64url');
  await db
    .insertInto('admin_sessions')
    .values({ id_hash: digest(id), csrf_token: csrf, expires_at: new Date(Date.now() + SESSION_HOURS * 3_600_000) })
    .execute();
  reply.header('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}${secure ? '; Secure' : ''}`);
  return csrf;
}

export async function findSession(db: Database, req: FastifyRequest): Promise<{ csrf: string; idHash: string } | undefined> {
  const id = readCookie(req, SESSION_COOKIE);
  if (!id) return undefined;
  const row = await db
    .selectFrom('admin_sessions')
    .select(['csrf_token', 'id_hash'])
    .where('id_hash', '=', digest(id))
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row ? { csrf: row.csrf_token, idHash: row.id_hash } : undefined;
}

export async function endSession(db: Database, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const id = readCookie(req, SESSION_COOKIE);
  if (id) await db.deleteFrom('admin_sessions').where('id_hash', '=', digest(id)).execute();
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
}

/**
 * The guard on every admin route: a valid bearer token, or a valid session cookie — and for a
 * cookie, a matching x-csrf-token on anything that changes state (a cookie rides along on
 * cross-site requests; a header does not).
 */
export async function requireAdmin(db: Database, adminToken: string, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (m) {
    if (sameSecret(m[1]!, adminToken)) {
      req.adminActor = 'api';
      return;
    }
  } else {
    const session = await findSession(db, req);
    if (session) {
      req.adminActor = 'console';
      if (req.method === 'GET' || req.method === 'HEAD') return;
      const given = req.headers['x-csrf-token'];
      if (typeof given === 'string' && sameSecret(given, session.csrf)) return;
      throw new AppError('csrf_invalid', 403);
    }
  }
  reply.header('www-authenticate', 'Bearer');
  throw new AppError('unauthorized', 401);
}
