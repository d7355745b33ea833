// The business's figures as the overview and the daily report show them: time to live, success rate, deadlines met, orders and revenue.
import type { Locale } from '../i18n.ts';
import { duration, money } from '../format.ts';
import type { AdminMetrics } from './adminApi.ts';
import { adminTexts } from './texts.ts';

type OrderFigures = Pick<AdminMetrics, 'requested' | 'paid' | 'delivered' | 'failed' | 'successRate' | 'timeToLive' | 'deadlines' | 'revenue'>;

/** "—" for a figure that does not exist yet (nothing delivered in the window), never NaN. */
export const orDash = <T,>(v: T | null | undefined, show: (v: T) => string): string => (v === null || v === undefined ? '—' : show(v));

export function percent(v: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

export function Stat({ label, value, hint, id }: { label: string; value: string; hint?: string; id: string }) {
  return (
    <div className="stat" data-stat={id}>
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {hint && <span className="stat-hint">{hint}</span>}
      </dd>
    </div>
  );
}

type Figure = [id: string, label: string, value: string | number];

/** The figures of `values` at `keys`, labelled from `labels` (same keys); each one's id is its key in kebab case, after `prefix`. */
export function figuresOf<K extends string>(keys: readonly K[], labels: Record<K, string>, values: Record<K, number>, prefix = ''): Figure[] {
  return keys.map((k) => [prefix + k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), labels[k], values[k]]);
}

/** A row of small figures, each [id, label, value]. */
export function Counts({ figures }: { figures: Figure[] }) {
  return (
    <dl className="stats stats-small">
      {figures.map(([id, label, value]) => (
        <Stat key={id} id={id} label={label} value={String(value)} />
      ))}
    </dl>
  );
}

export function OrderFigureList({ f, locale }: { f: OrderFigures; locale: Locale }) {
  const o = adminTexts[locale].overview;
  const secs = (s: number) => duration(s, locale, { tenths: true });
  return (
    <>
      <dl className="stats">
        <Stat id="ttl-mean" label={`${o.ttl} · ${o.mean}`} value={orDash(f.timeToLive.meanSeconds, secs)} />
        <Stat id="ttl-median" label={`${o.ttl} · ${o.median}`} value={orDash(f.timeToLive.medianSeconds, secs)} />
        <Stat id="ttl-p95" label={`${o.ttl} · ${o.p95}`} value={orDash(f.timeToLive.p95Seconds, secs)} />
        <Stat id="success-rate" label={o.successRate} value={orDash(f.successRate, (v) => percent(v, locale))} hint={o.successHint(f.delivered, f.failed)} />
        <Stat
          id="deadlines-met"
          label={o.deadlinesMet}
          value={orDash(f.deadlines.share, (v) => percent(v, locale))}
          hint={o.deadlinesHint(f.deadlines.met, f.deadlines.missed)}
        />
        <Stat
          id="revenue"
          label={o.revenue}
          value={money(f.revenue.netCents, f.revenue.currency, locale)}
          hint={o.revenueHint(money(f.revenue.paidCents, f.revenue.currency, locale), money(f.revenue.refundedCents, f.revenue.currency, locale))}
        />
      </dl>
      <Counts figures={figuresOf(['requested', 'paid', 'delivered', 'failed'], o, f)} />
    </>
  );
}
