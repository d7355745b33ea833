// A delivered domain's two panels in the customer's space: leaving for another registrar (the lock removed, the
// transfer code from Namecheap to the holder's email), and the holder's contact details (the same holder's address,
// phone and email; another holder follows the registry's procedure).
import { useEffect, useId, useState } from 'react';
import { ApiError } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { Field } from '../ui/Field.tsx';
import { FormError } from '../ui/Form.tsx';
import { accountApi, type TransferOut } from './accountApi.ts';
import { problemOf } from './problem.ts';
import { accountTexts } from './texts.ts';
import { transferTexts } from './transferTexts.ts';

export function TransferPanel({
  domain,
  label,
  csrf,
  onDone,
  onTooSoon,
}: {
  domain: string;
  label: string;
  csrf: string;
  onDone(t: TransferOut): void;
  onTooSoon(from: string): void;
}) {
  const { locale } = useLocale();
  const t = transferTexts[locale];
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<TransferOut | null>(null);
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await accountApi.transferOut(domain, csrf, locale);
      setDone(answer);
      onDone(answer);
    } catch (err) {
      setProblem(problemOf(err, accountTexts[locale]));
      // the registrar's own registration date said it is too soon: the card shows from when, as the message does
      const from = err instanceof ApiError && err.code === 'transfer_too_soon' ? err.body.transferableFrom : undefined;
      if (typeof from === 'string') onTooSoon(from);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="account-transfer" aria-labelledby={titleId}>
      <h4 id={titleId}>{t.transferTitle(label)}</h4>
      {done ? (
        <p className="notice notice-success" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
          {t.requested(done.codeSentTo ?? '')} {done.lock === 'none' ? t.noLock : ''}
        </p>
      ) : (
        <>
          {t.transferLead.map((p) => (
            <p key={p}>{p}</p>
          ))}
          <FormError error={problem} />
          <button type="button" className="button button-primary button-small" disabled={busy} onClick={confirm}>
            {busy ? t.sending : t.confirm}
          </button>
        </>
      )}
    </section>
  );
}

type Holder = NonNullable<Awaited<ReturnType<typeof accountApi.holder>>['holder']>;
const EDITABLE = ['address1', 'address2', 'postalCode', 'city', 'country', 'phone', 'email'] as const;

export function HolderPanel({ domain, csrf, onLocked }: { domain: string; csrf: string; onLocked(until: string): void }) {
  const { locale } = useLocale();
  const t = transferTexts[locale];
  const titleId = useId();
  const [holder, setHolder] = useState<Holder | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    accountApi.holder(domain, locale).then(
      (r) => {
        setHolder(r.holder);
        if (r.holder) setDraft(Object.fromEntries(EDITABLE.map((k) => [k, String(r.holder![k] ?? '')])));
      },
      (err) => setProblem(problemOf(err, accountTexts[locale])),
    );
  }, [domain, locale]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!holder) return;
    setBusy(true);
    setErrors({});
    setProblem(null);
    setNotice(null);
    // the holder as stored, with the edited fields: a blank optional line is left out
    const next = { ...holder, ...Object.fromEntries(Object.entries(draft).filter(([k, v]) => v.trim() !== '' || k !== 'address2')) };
    if (!draft.address2?.trim()) delete (next as { address2?: string }).address2;
    try {
      const r = await accountApi.updateHolder(domain, { holder: next }, csrf, locale);
      setHolder(r.holder);
      setNotice(r.changeOfRegistrant && r.transferableFrom ? `${t.saved} ${t.lockedUntil(day(String(r.transferableFrom)))}` : t.saved);
      if (r.transferableFrom) onLocked(String(r.transferableFrom));
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      if (fields.length) setErrors(Object.fromEntries(fields.map((f) => [f.field.replace(/^holder\./, ''), f.message])));
      const elsewhere = fields.filter((f) => !EDITABLE.includes(f.field.replace(/^holder\./, '') as (typeof EDITABLE)[number]));
      setProblem(fields.length && !elsewhere.length ? null : (elsewhere[0]?.message ?? problemOf(err, accountTexts[locale])));
    } finally {
      setBusy(false);
    }
  };

  // a country-code extension (two letters) is not under ICANN's Change of Registrant rule
  const gtld = !/\.[a-z]{2}$/.test(domain);
  const day = (iso: string) => new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' }).format(new Date(iso));
  // said before the submit: a new registrant email on a gTLD is a Change of Registrant, with a 60-day transfer lock from today
  const emailChanged =
    gtld &&
    !!holder &&
    (draft.email ?? '').trim().toLowerCase() !==
      String(holder.email ?? '')
        .trim()
        .toLowerCase();
  const who = holder ? [holder.organization, `${holder.firstName} ${holder.lastName}`].filter(Boolean).join(' · ') : '';
  return (
    <section className="account-holder" aria-labelledby={titleId}>
      <h4 id={titleId}>{t.holderTitle}</h4>
      <p>{t.holderLead}</p>
      {!holder && !problem && <p role="status">{t.loading}</p>}
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      <FormError error={problem} />
      {holder && (
        <form onSubmit={save} noValidate>
          <p>{t.holderIdentity(who)}</p>
          {EDITABLE.map((k) => (
            <Field
              key={k}
              label={t.fields[k]}
              name={k}
              type={k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text'}
              value={draft[k] ?? ''}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              error={errors[k] ?? null}
              hint={k === 'email' && gtld ? t.gtldEmail : undefined}
            />
          ))}
          {emailChanged && (
            <p className="notice notice-warning" role="status" data-change-of-registrant="">
              {t.changeOfRegistrantWarning(day(new Date(Date.now() + 60 * 86_400_000).toISOString()))}
            </p>
          )}
          <button type="submit" className="button button-primary button-small" disabled={busy}>
            {busy ? t.saving : t.save}
          </button>
        </form>
      )}
    </section>
  );
}
