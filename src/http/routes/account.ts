// The customer's space over HTTP: sign-in by a one-time link, the session and its CSRF token, every order of the
// address, and a delivered domain's DNS records, email forwarding, holder contact data and transfer out (src/account/
// does the work).
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueue } from '../../workflow/jobs/enqueue.ts';
import { endSession, openSession, requireAccount, type AccountSession } from '../../account/sessions.ts';
import { accountOverview, ownDeliveredOrder } from '../../account/overview.ts';
import { setOwnAutoRenew } from '../../account/renewal.ts';
import { addRecords, applyPreset, readZone, removeRecord, replaceRecord, type Changed } from '../../account/dns.ts';
import { disableForwarding, enableForwarding, readForwarding } from '../../account/forwarding.ts';
import { readHolder, updateHolder } from '../../account/holder.ts';
import { requestTransferOut } from '../../account/transfer.ts';
import { limited } from '../rate-limits.ts';
import { MAIL_PRESETS } from '../../domain/mail-presets.ts';
import { exportPersonalData } from '../../legal/export.ts';
import { erasePersonalData } from '../../legal/erasure.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the signed-in customer (set by the space's guard; null elsewhere) */
    account: AccountSession | null;
  }
}

/** The digest an email address is counted and queued under: neither the limits' table nor a job key holds the address. */
export const addressKey = (email: string) => crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

/** Loopback is plain HTTP in development and tests; anywhere else the cookie is Secure. */
const onLoopback = (publicUrl: string) => /^http:\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?(?:\/|$)/.test(publicUrl);

export const accountRoutes: FastifyPluginAsync<{ deps: Deps }> = async (fastify, { deps }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config, db } = deps;
  const secure = !onLoopback(config.publicUrl);
  fastify.decorateRequest('account', null);

  // links asked for one address, whatever the client: counted after the body is valid
  const perAddress = fastify.createRateLimit({
    max: Math.ceil(config.RATE_LIMITS.account_login_address * config.RATE_LIMIT_SCALE),
    timeWindow: 60_000,
    keyPrefix: 'account_login_address',
    keyGenerator: (req: FastifyRequest) => addressKey(String((req.body as { email?: string }).email ?? '')),
  } as Parameters<FastifyInstance['createRateLimit']>[0]);

  /** The space's guard, as a route's preHandler: after its body is checked, before anything is read or changed. */
  const signedIn = { preHandler: async (req: FastifyRequest) => void (req.account = await requireAccount(db, req)) };
  const me = (req: FastifyRequest) => req.account!;
  const own = (req: FastifyRequest, domain: string) => ownDeliveredOrder(deps, me(req).email, domain);
  const changed = ({ zone, record, propagated }: Changed) => ({ records: zone.records, mail: zone.mail, ...(record ? { record } : {}), propagated });

  app.post('/api/account/login', limited(config, 'POST /api/account/login', 'account_login'), async (req, reply) => {
    const count = await perAddress(req);
    if (!count.isAllowed && count.isExceeded) throw new AppError('rate_limited', 429, {}, { retryAfterSeconds: Math.max(1, count.ttlInSeconds) });
    const email = req.body.email.toLowerCase();
    // the same statement for every address: whether it has orders is looked up by the job, after this answer
    await enqueue(db, 'account_sign_in', { email, addressKey: addressKey(email) });
    return reply.code(202).send({ accepted: true as const });
  });

  app.post('/api/account/session', limited(config, 'POST /api/account/session', 'account_session'), async (req, reply) => {
    const session = await openSession(db, req.body.token, reply, secure);
    return reply.header('cache-control', 'no-store').send(session);
  });

  app.get('/api/account/session', { ...limited(config, 'GET /api/account/session', 'account'), ...signedIn }, async (req, reply) =>
    reply.header('cache-control', 'no-store').send(me(req)),
  );

  app.post('/api/account/logout', { ...limited(config, 'POST /api/account/logout', 'account_change'), ...signedIn }, async (req, reply) => {
    await endSession(db, req, reply, secure);
    return reply.code(204).send();
  });

  app.get('/api/account', { ...limited(config, 'GET /api/account', 'account'), ...signedIn }, async (req, reply) =>
    reply.header('cache-control', 'no-store').send(await accountOverview(deps, me(req).email)),
  );

  // the automatic renewal switch of an own order (the tracking page has the same one by its token)
  app.post(
    '/api/account/orders/:id/auto-renew',
    { ...limited(config, 'POST /api/account/orders/:id/auto-renew', 'account_change'), ...signedIn },
    async (req) => setOwnAutoRenew(deps, me(req).email, req.params.id, req.body.on),
  );

  // the signed-in address's personal data: the same export and erasure as the tracking page's, by the session's address
  app.get('/api/account/personal-data', { ...limited(config, 'GET /api/account/personal-data', 'personal_data'), ...signedIn }, async (req, reply) => {
    const data = await exportPersonalData(deps, me(req).email);
    return reply.header('cache-control', 'no-store').header('content-disposition', 'attachment; filename="personal-data.json"').send(data);
  });

  app.post('/api/account/erasure', { ...limited(config, 'POST /api/account/erasure', 'personal_data'), ...signedIn }, async (req, reply) => {
    // the erasure ends every session of the address (src/legal/erasure.ts); this one's cookie goes too
    const erasure = await erasePersonalData(deps, me(req).email, { reason: 'customer', locale: req.body.lang ?? req.locale });
    await endSession(db, req, reply, secure);
    return erasure;
  });

  app.get('/api/account/domains/:domain/dns', { ...limited(config, 'GET /api/account/domains/:domain/dns', 'account'), ...signedIn }, async (req) => {
    const zone = await readZone(deps, await own(req, req.params.domain), 'confirm');
    return { records: zone.records, mail: zone.mail };
  });

  app.post(
    '/api/account/domains/:domain/dns',
    { ...limited(config, 'POST /api/account/domains/:domain/dns', 'account_change'), ...signedIn },
    async (req, reply) => {
      const order = await own(req, req.params.domain);
      return reply.code(201).send(changed(await addRecords(deps, order, [req.body], req.locale)));
    },
  );

  app.post(
    '/api/account/domains/:domain/dns/presets/:preset',
    { ...limited(config, 'POST /api/account/domains/:domain/dns/presets/:preset', 'account_change'), ...signedIn },
    async (req, reply) => {
      const order = await own(req, req.params.domain);
      return reply.code(201).send(changed(await applyPreset(deps, order, req.params.preset, req.locale)));
    },
  );

  app.get('/api/account/dns-presets', limited(config, 'GET /api/account/dns-presets', 'account'), async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send({ presets: MAIL_PRESETS.map((p) => ({ ...p, records: [...p.records] })) }),
  );

  app.put(
    '/api/account/domains/:domain/dns/:id',
    { ...limited(config, 'PUT /api/account/domains/:domain/dns/:id', 'account_change'), ...signedIn },
    async (req) => changed(await replaceRecord(deps, await own(req, req.params.domain), req.params.id, req.body, req.locale)),
  );

  app.delete(
    '/api/account/domains/:domain/dns/:id',
    { ...limited(config, 'DELETE /api/account/domains/:domain/dns/:id', 'account_change'), ...signedIn },
    async (req) => changed(await removeRecord(deps, await own(req, req.params.domain), req.params.id)),
  );

  app.get(
    '/api/account/domains/:domain/email-forwarding',
    { ...limited(config, 'GET /api/account/domains/:domain/email-forwarding', 'account'), ...signedIn },
    async (req) => readForwarding(deps, await own(req, req.params.domain)),
  );

  app.post(
    '/api/account/domains/:domain/email-forwarding',
    { ...limited(config, 'POST /api/account/domains/:domain/email-forwarding', 'account_change'), ...signedIn },
    async (req) => enableForwarding(deps, await own(req, req.params.domain), req.body.mailbox, me(req).email),
  );

  app.get(
    '/api/account/domains/:domain/holder',
    { ...limited(config, 'GET /api/account/domains/:domain/holder', 'account'), ...signedIn },
    async (req, reply) => reply.header('cache-control', 'no-store').send({ holder: await readHolder(deps, await own(req, req.params.domain)) }),
  );

  app.put(
    '/api/account/domains/:domain/holder',
    { ...limited(config, 'PUT /api/account/domains/:domain/holder', 'account_change'), ...signedIn },
    async (req) => updateHolder(deps, await own(req, req.params.domain), req.body.holder, req.locale),
  );

  app.post(
    '/api/account/domains/:domain/transfer',
    { ...limited(config, 'POST /api/account/domains/:domain/transfer', 'account_change'), ...signedIn },
    async (req) => requestTransferOut(deps, await own(req, req.params.domain)),
  );

  app.delete(
    '/api/account/domains/:domain/email-forwarding/:mailbox',
    { ...limited(config, 'DELETE /api/account/domains/:domain/email-forwarding/:mailbox', 'account_change'), ...signedIn },
    async (req) => disableForwarding(deps, await own(req, req.params.domain), req.params.mailbox.toLowerCase()),
  );
};
