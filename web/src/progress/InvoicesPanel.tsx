// The order's invoices and credit notes on the tracking page, each with its PDF (behind the same token), and the
// consumer's withdrawal within 14 days (the server says whether it applies).
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { dateTime, money } from '../format.ts';
import { FormError } from '../ui/Form.tsx';
import type { CustomerDocument } from '@contract/invoices.ts';

const texts = {
  fr: {
    title: 'Factures et avoirs',
    invoice: 'Facture',
    credit_note: 'Avoir',
    ttc: 'TTC',
    vat: 'dont TVA',
    ht: 'HT',
    pdf: 'PDF',
    withdraw: 'Me rétracter (14 jours)',
    withdrawHelp:
      'Vous êtes un particulier et avez payé il y a moins de 14 jours : vous pouvez vous rétracter, et le travail s’arrête. Ce qui a déjà été exécuté à votre demande (le nom de domaine une fois acheté, le site une fois livré) reste dû ; le reste vous est remboursé, avec un avoir.',
    confirm: 'Confirmer la rétractation',
    withdrawn: (amount: string) => `Rétractation enregistrée : ${amount} vous seront remboursés.`,
    offline: 'Le serveur ne répond pas ; réessayez dans un instant.',
  },
  en: {
    title: 'Invoices and credit notes',
    invoice: 'Invoice',
    credit_note: 'Credit note',
    ttc: 'incl. VAT',
    vat: 'of which VAT',
    ht: 'excl. VAT',
    pdf: 'PDF',
    withdraw: 'Withdraw (14 days)',
    withdrawHelp:
      'As a consumer who paid less than 14 days ago, you may withdraw, and the work stops. What was already performed at your request (the domain once bought, the site once delivered) remains due; the rest is refunded to you, with a credit note.',
    confirm: 'Confirm the withdrawal',
    withdrawn: (amount: string) => `Withdrawal recorded: ${amount} will be refunded to you.`,
    offline: 'The server does not answer; please try again in a moment.',
  },
} as const;

/** `withdrawable`: the order still runs or is delivered (a cancelled or refunded one has nothing left to withdraw from). */
export function InvoicesPanel({ token, version, withdrawable }: { token: string; version: string; withdrawable: boolean }) {
  const { locale } = useLocale();
  const w = texts[locale];
  const [docs, setDocs] = useState<CustomerDocument[] | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  // read again when the order moves (a payment, a refund): `version` is the status's last event
  useEffect(() => {
    let live = true;
    api.invoices(token).then(
      (d) => live && setDocs(d),
      () => live && setDocs((prev) => prev ?? []),
    );
    return () => {
      live = false;
    };
  }, [token, version]);

  if (!docs?.length) return null;
  const withdraw = async () => {
    setError(null);
    try {
      const r = await api.withdraw(token);
      setSaid(w.withdrawn(money(r.amountCents, docs[0]!.currency, locale)));
      setConfirming(false);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : w.offline);
    }
  };
  return (
    <section className="panel invoices" aria-labelledby="invoices-title" data-testid="invoices">
      <h3 id="invoices-title">{w.title}</h3>
      <ul className="invoice-list">
        {docs.map((d) => (
          <li key={d.number}>
            <a href={d.pdfUrl} target="_blank" rel="noopener">
              {w[d.kind]} {d.number}
            </a>{' '}
            · {dateTime(d.issuedAt, locale)} · {money(d.totalInclVatCents, d.currency, locale)} {w.ttc} ({w.vat} {money(d.vatCents, d.currency, locale)};{' '}
            {money(d.totalExclVatCents, d.currency, locale)} {w.ht}) · <span className="muted">{w.pdf}</span>
          </li>
        ))}
      </ul>
      {said ? (
        <p role="status">{said}</p>
      ) : !withdrawable ? null : (
        <details className="withdrawal">
          <summary>{w.withdraw}</summary>
          <p className="small">{w.withdrawHelp}</p>
          {confirming ? (
            <button type="button" className="button danger" onClick={withdraw}>
              {w.confirm}
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setConfirming(true)}>
              {w.withdraw}
            </button>
          )}
        </details>
      )}
      <FormError error={error} />
    </section>
  );
}
