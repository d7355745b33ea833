// The operators' view of renewals as a route: what is due, declined, in grace, leaving, and next year's revenue.
import { z } from 'zod';
import { errors, instant } from '../common.ts';

const security: { [scheme: string]: string[] }[] = [{ admin: [] }, { session: [] }];

export const renewalFiguresAnswer = z.object({
  due: z
    .object({ days30: z.number().int(), days60: z.number().int(), days90: z.number().int() })
    .describe('renewals of domains expiring within 30, 60 and 90 days, not yet renewed'),
  dunning: z.number().int().describe('charges declined, the customer being sent payment links'),
  grace: z.number().int().describe('expired unpaid: notice page up, still payable'),
  transfersOut: z.number().int().describe('domains that left our account'),
  transfersRequested: z.number().int().describe('transfers out asked for from the space, the domain not gone yet'),
  transfers: z
    .array(
      z.object({
        orderId: z.string(),
        domain: z.string(),
        state: z.enum(['requested', 'completed']),
        lock: z
          .enum(['removed', 'none'])
          .nullable()
          .describe('removed: we took the registrar lock off; none: the TLD has none; null: it left without a request'),
        requestedAt: instant.nullable(),
        completedAt: instant.nullable(),
      }),
    )
    .describe(
      'the latest transfers out (50), requested or completed, newest first: a requested one waits for the operator to have Namecheap send its auth code',
    ),
  nextYearRevenue: z.array(z.object({ currency: z.string(), amountCents: z.number().int() })).describe('every renewal still coming, at next year’s price'),
});
export type RenewalFiguresAnswer = z.input<typeof renewalFiguresAnswer>;

export const renewalAdminRoutes = {
  'GET /api/admin/renewals': {
    tags: ['admin'],
    security,
    summary:
      'Renewals due in 30, 60 and 90 days, declined and in dunning, in grace, transfers out (requested and completed, the latest listed), and the coming year’s renewal revenue.',
    response: {
      200: renewalFiguresAnswer.describe('the renewals’ figures now'),
      ...errors({ 401: 'unauthorized', 403: 'csrf_invalid: a session without its x-csrf-token' }),
    },
  },
};
