// The console's renewals section (behind the admin's login).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { routes } from '../../contract/index.ts';
import { renewalFigures } from '../../monitoring/renewals.ts';
import { requireAdmin } from '../admin-auth.ts';

export const adminRenewalRoutes: FastifyPluginAsync<{ deps: Deps; adminToken: string }> = async (fastify, { deps, adminToken }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (req, reply) => requireAdmin(deps.db, adminToken, req, reply));
  app.get('/api/admin/renewals', { schema: routes['GET /api/admin/renewals'] }, async () => renewalFigures(deps.db));
};
