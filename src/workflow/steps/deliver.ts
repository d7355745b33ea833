// Phase 4: deliver — the delivery email (which asks "Are you satisfied?"), monitoring on, and the completion report (time per phase, total, deadline met).
import { queueEmail } from '../../emails/outbox.ts';
import { renderOrderEmail } from '../../emails/order-emails.ts';
import { archiveOf } from '../../site/store.ts';
import { customerLinks } from '../links.ts';
import type { Step } from '../step.ts';
import { deliveryOutcome } from '../../domain/satisfaction.ts';
import { askSatisfaction } from '../satisfaction.ts';
import { scheduleRenewal } from '../renewals/plan.ts';

export const deliver: Step = {
  name: 'deliver',
  state: 'verifying',
  async action({ deps, order }) {
    const now = new Date();
    const steps = await deps.db.selectFrom('order_steps').select(['step', 'finished_at']).where('order_id', '=', order.id).execute();
    const doneAt = (name: string) => steps.find((s) => s.step === name)?.finished_at ?? null;
    const paidAt = order.paid_at ?? order.created_at;
    const secs = (a: Date | null, b: Date | null) => (a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000)) : null);
    const phase2End = doneAt('create_site');
    const phase3End = doneAt('secure_site');
    const deadlineAt = order.deadline_at ?? new Date(paidAt.getTime() + order.deadline_hours * 3_600_000);
    const report = {
      phases: {
        request: secs(order.created_at, paidAt),
        afterPayment: secs(paidAt, phase2End),
        deployment: secs(phase2End, phase3End),
        finalisation: secs(phase3End, now),
      },
      totalSeconds: secs(paidAt, now),
      paidAt: paidAt.toISOString(),
      deliveredAt: now.toISOString(),
      deadlineAt: deadlineAt.toISOString(),
      deadlineMet: now.getTime() <= deadlineAt.getTime(),
    };
    const delivered = { ...order, delivered_at: now };
    // an uploaded archive stays until a publish from the editor replaces it: the email says which one is live
    const siteSource = (await archiveOf(deps.db, order.id)) ? 'archive' : 'document';
    return {
      outcome: 'done',
      record: { delivered_at: now, report },
      output: report,
      commit: async (tx) => {
        await queueEmail(tx, {
          orderId: order.id,
          kind: 'delivered',
          dedupeKey: `delivered:${order.id}`,
          to: order.email,
          locale: order.locale,
          rendered: renderOrderEmail('delivered', delivered, customerLinks(deps.config, order, { siteSource })),
        });
        // the delivery email and the tracking page ask "Are you satisfied?" from now on
        await askSatisfaction(tx, order.id, deliveryOutcome(now, deadlineAt));
        // the year after: expiry, next year's price, the renewal's charge date
        await scheduleRenewal(tx, deps.config, order);
        await tx
          .insertInto('monitors')
          .values({ order_id: order.id, url: `https://${order.domain}/` })
          .onConflict((oc) => oc.column('order_id').doUpdateSet({ enabled: true }))
          .execute();
      },
    };
  },
};
