// What a customer sees of an order: its state, each step done / current / to come with its ETA, the timeline, the links.
import type { Deps } from '../deps.ts';
import { latestPaymentLink, timeline } from '../db/orders.ts';
import type { Order } from '../db/schema.ts';
import { timelineMessage } from '../domain/timeline.ts';
import { isFinal, isUnpaid, type OrderState } from '../domain/order-state.ts';
import type { Locale } from '../domain/locale.ts';
import { pipeline, stepIndex } from './pipeline.ts';
import { stablePaymentUrl, trackingUrl } from './payment-link.ts';
import { archiveOf } from '../site/store.ts';
import { satisfactionOf } from './satisfaction.ts';

/** States in which the order's content can no longer change. */
export const CONTENT_CLOSED: readonly OrderState[] = ['cancelled', 'refunding', 'refunded'];
/** The editor is offered (tracking page, emails) while the order can still go live: not once cancelled, refunded or its payment link expired. */
const EDITOR_CLOSED: readonly OrderState[] = [...CONTENT_CLOSED, 'payment_expired'];

/** An uploaded archive may replace the editor's document until the pipeline starts deploying. */
export function archiveAllowed(order: Pick<Order, 'state' | 'current_step'>): boolean {
  if (CONTENT_CLOSED.includes(order.state)) return false;
  if (['deploying', 'configuring_dns', 'securing', 'verifying', 'delivered'].includes(order.state)) return false;
  return !order.current_step || stepIndex(order.current_step) < stepIndex('deploy_site');
}

export interface StepView {
  step: string;
  phase: number;
  state: 'done' | 'current' | 'todo' | 'failed';
  etaSeconds: number;
  finishedAt?: string;
}

type TimelineEvent = Awaited<ReturnType<typeof timeline>>[number];

/** `events`: the timeline's events already read (a live stream reads only the new ones); by default all of them. */
export async function orderStatus(deps: Deps, order: Order, locale: Locale, read?: TimelineEvent[]) {
  const { db, config } = deps;
  const [events, steps, archive, satisfaction, link] = await Promise.all([
    read ?? timeline(db, order.id),
    db.selectFrom('order_steps').select(['step', 'state', 'finished_at']).where('order_id', '=', order.id).execute(),
    archiveOf(db, order.id),
    satisfactionOf(deps, order.id),
    isUnpaid(order.state) ? latestPaymentLink(db, order.id) : undefined,
  ]);
  const state = order.state;
  // paid by a delayed method (SEPA Debit), the money not arrived: the deadline has not started, and there is nothing to pay
  const paymentProcessing = isUnpaid(state) && link?.state === 'processing';
  const currentIndex = order.current_step ? stepIndex(order.current_step) : state === 'delivered' ? pipeline.length : -1;
  const stepViews: StepView[] = pipeline.map((p, i) => {
    const row = steps.find((s) => s.step === p.step.name);
    let s: StepView['state'] = 'todo';
    if (row?.state === 'done' || row?.state === 'compensated' || i < currentIndex) s = 'done';
    else if (row?.state === 'failed') s = 'failed';
    else if (i === currentIndex && !isUnpaid(state)) s = 'current';
    return { step: p.step.name, phase: p.phase, state: s, etaSeconds: p.etaSeconds, finishedAt: row?.finished_at?.toISOString() };
  });
  const remaining = stepViews.filter((s) => s.state === 'current' || s.state === 'todo').reduce((n, s) => n + s.etaSeconds, 0);
  const now = Date.now();
  const last = events.at(-1);
  return {
    orderId: order.id,
    state: order.state,
    final: isFinal(state),
    domain: order.domain,
    domainUnicode: order.domain_unicode,
    tier: order.tier,
    locale: order.locale,
    businessName: order.business_name,
    price: { currency: order.currency, items: order.price_items, totalCents: order.total_cents },
    deadline: {
      hours: order.deadline_hours,
      countedFrom: 'payment' as const,
      at: order.deadline_at ? order.deadline_at.toISOString() : null,
    },
    paidAt: order.paid_at?.toISOString() ?? null,
    elapsedSeconds: order.paid_at ? Math.round(((order.delivered_at?.getTime() ?? now) - order.paid_at.getTime()) / 1000) : null,
    currentStep: order.current_step,
    steps: stepViews,
    /** when the site should be live, from the remaining steps' usual durations */
    eta: isUnpaid(state) || isFinal(state) || state === 'domain_unavailable' ? null : new Date(now + remaining * 1000).toISOString(),
    currentStepEtaSeconds: stepViews.find((s) => s.state === 'current')?.etaSeconds ?? null,
    /** "processing": a delayed payment on its way (the deadline starts when it arrives); "awaiting": to pay; null once paid */
    payment: isUnpaid(state) ? { state: paymentProcessing ? ('processing' as const) : ('awaiting' as const) } : null,
    paymentUrl: isUnpaid(state) && !paymentProcessing ? stablePaymentUrl(config.publicUrl, order) : undefined,
    trackingUrl: trackingUrl(config.publicUrl, order),
    siteUrl: state === 'delivered' ? `https://${order.domain_unicode}/` : null,
    editorUrl: `${config.publicUrl}/editor/${order.tracking_token}`,
    /** the editor is worth offering: the order can still go live (or is live) */
    editorOpen: !EDITOR_CLOSED.includes(state),
    /** the site's content at order time: an uploaded archive, whether one may still be sent, and its limits */
    site: {
      archive,
      archiveAllowed: archiveAllowed(order),
      archiveMaxMb: config.ARCHIVE_MAX_MB,
      archiveMaxFiles: config.ARCHIVE_MAX_FILES,
    },
    alternatives: state === 'domain_unavailable' ? order.alternatives : undefined,
    report: order.report ?? undefined,
    /** "Are you satisfied?": the customer's own answer and until when it may change (never anyone else's) */
    satisfaction: satisfaction && {
      score: satisfaction.score,
      comment: satisfaction.comment,
      answeredAt: satisfaction.answeredAt,
      closesAt: satisfaction.closesAt,
      open: satisfaction.open,
    },
    lastEventId: last ? Number(last.id) : 0,
    /** the live stream's: its timeline holds only what came after this id (0: all of it) */
    timelineAfter: 0,
    timeline: events.map((e) => ({
      id: Number(e.id),
      type: e.type,
      at: e.at.toISOString(),
      message: timelineMessage(e.type, e.data, locale),
      // the editor counts down to it
      ...(e.type === 'site_publish_waiting' && typeof e.data?.until === 'string' ? { until: e.data.until } : {}),
    })),
  };
}

export type OrderStatus = Awaited<ReturnType<typeof orderStatus>>;
