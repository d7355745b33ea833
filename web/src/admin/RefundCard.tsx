// Refund a paid order in full or in part without stopping it (POST /api/admin/orders/:id/refunds): an amount including
// VAT (empty: all that remains) and a reason, confirmed in the order page's dialog; the credit note follows the refund.
import { useId, useState } from 'react';
import type { Locale } from '../i18n.ts';
import { money } from '../format.ts';
import { adminApi } from './adminApi.ts';
import { adminTexts } from './texts.ts';

/** "12", "12,5" or "12.50" in the order's currency, as cents; undefined when empty, NaN when not an amount. */
export function parseAmount(value: string): number | undefined {
  const v = value.trim().replace(/\s/g, '').replace(',', '.');
  if (!v) return undefined;
  return /^\d+(\.\d{1,2})?$/.test(v) ? Math.round(Number(v) * 100) : Number.NaN;
}

export function RefundCard(props: {
  orderId: string;
  currency: string;
  locale: Locale;
  disabled: boolean;
  ask(action: { question: string; run(): Promise<unknown> }): void;
}) {
  const r = adminTexts[props.locale].refundPart;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const amountId = useId();
  const reasonId = useId();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const cents = parseAmount(amount);
    if (Number.isNaN(cents) || cents === 0) return setInvalid(true);
    setInvalid(false);
    props.ask({
      question: r.confirm(cents === undefined ? r.all : money(cents!, props.currency, props.locale), reason.trim()),
      run: () => adminApi.refundPart(props.orderId, { amountCents: cents, reason: reason.trim() }),
    });
  };
  return (
    <section className="card" aria-labelledby="refund-part-title">
      <h2 id="refund-part-title">{r.title}</h2>
      <p className="muted small">{r.help}</p>
      <form className="action-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor={amountId}>{r.amount(props.currency)}</label>
          <input
            id={amountId}
            inputMode="decimal"
            value={amount}
            placeholder={r.all}
            aria-invalid={invalid || undefined}
            onChange={(e) => setAmount(e.target.value)}
          />
          {invalid && <p className="field-error">{r.invalid}</p>}
        </div>
        <div className="field">
          <label htmlFor={reasonId}>{r.reason}</label>
          <input id={reasonId} required maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <button type="submit" className="button button-danger" disabled={props.disabled}>
          {r.submit}
        </button>
      </form>
    </section>
  );
}
