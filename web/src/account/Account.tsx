// The customer's space at /espace (French) and /account (English): sign-in by an emailed link, "check your inbox",
// then every order of the address as a card, each delivered site with its DNS records and email forwarding.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.ts';
import { useLocale, type Locale } from '../i18n.ts';
import { navigate } from '../router.ts';
import { Field } from '../ui/Field.tsx';
import { FormError } from '../ui/Form.tsx';
import { Header } from '../ui/Header.tsx';
import { PersonalDataPanel } from '../legal/PersonalDataPanel.tsx';
import { accountApi, type AccountOrder, type AccountOverview } from './accountApi.ts';
import { DnsPanel } from './DnsPanel.tsx';
import { HolderPanel, TransferPanel } from './DomainPanels.tsx';
import { transferTexts } from './transferTexts.ts';
import { RenewalPanel } from '../progress/RenewalPanel.tsx';
import { problemOf } from './problem.ts';
import { accountTexts } from './texts.ts';

export const spacePath = (locale: Locale) => (locale === 'fr' ? '/espace' : '/account');

type Phase =
  | { kind: 'loading' }
  | { kind: 'signedOut'; problem?: string }
  | { kind: 'sent'; email: string }
  | { kind: 'signedIn'; email: string; csrf: string };

export default function Account({ query }: { query: URLSearchParams }) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const started = useRef(false);

  // the path says the language: switching it moves to the other path
  useEffect(() => {
    if (window.location.pathname !== spacePath(locale)) navigate(`${spacePath(locale)}${window.location.search}`, { replace: true });
  }, [locale]);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = query.get('signin');
    if (token) {
      // the token leaves the address bar (and the history) before anything else
      history.replaceState(null, '', window.location.pathname);
      accountApi
        .openSession(token, locale)
        .then((s) => setPhase({ kind: 'signedIn', email: s.email, csrf: s.csrfToken }))
        .catch((err) => setPhase({ kind: 'signedOut', problem: `${t.signIn.linkProblem}${locale === 'fr' ? ' : ' : ': '}${problemOf(err, t)}` }));
      return;
    }
    accountApi
      .session()
      .then((s) => setPhase({ kind: 'signedIn', email: s.email, csrf: s.csrfToken }))
      .catch(() => setPhase({ kind: 'signedOut' }));
  }, [query, locale, t]);

  const signOut = useCallback(async () => {
    if (phase.kind !== 'signedIn') return;
    await accountApi.signOut(phase.csrf).catch(() => undefined);
    setPhase({ kind: 'signedOut' });
  }, [phase]);

  return (
    <>
      <Header />
      <main id="main" className="container narrow account">
        <h1>{t.title}</h1>
        {phase.kind === 'loading' && <p role="status">{t.signIn.opening}</p>}
        {phase.kind === 'signedOut' && <SignIn problem={phase.problem} onSent={(email) => setPhase({ kind: 'sent', email })} />}
        {phase.kind === 'sent' && (
          <section className="panel panel-success" aria-labelledby="sent-title">
            <h2 id="sent-title" tabIndex={-1} ref={(el) => el?.focus()}>
              {t.signIn.sentTitle}
            </h2>
            <p>{t.signIn.sent(phase.email)}</p>
            <button type="button" className="button button-ghost" onClick={() => setPhase({ kind: 'signedOut' })}>
              {t.signIn.again}
            </button>
          </section>
        )}
        {phase.kind === 'signedIn' && <Dashboard email={phase.email} csrf={phase.csrf} onSignOut={signOut} />}
      </main>
    </>
  );
}

function SignIn({ problem, onSent }: { problem?: string; onSent(email: string): void }) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return setError(t.signIn.emailInvalid);
    setBusy(true);
    setError(null);
    try {
      await accountApi.requestLink(email.trim(), locale);
      onSent(email.trim());
    } catch (err) {
      setError(err instanceof ApiError && err.fields[0] ? err.fields[0].message : problemOf(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="signin-title">
      <h2 id="signin-title">{t.signIn.title}</h2>
      <p>{t.signIn.lead}</p>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field
          label={t.signIn.email}
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error}
          required
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t.signIn.sending : t.signIn.submit}
        </button>
      </form>
    </section>
  );
}

function Dashboard({ email, csrf, onSignOut }: { email: string; csrf: string; onSignOut(): void }) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const [overview, setOverview] = useState<AccountOverview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // once erased, the orders are no longer this address's and the session is over: only the erasure's answer stays
  const [erased, setErased] = useState(false);
  useEffect(() => {
    accountApi.overview(locale).then(setOverview, (err) => setProblem(problemOf(err, t)));
  }, [locale, t]);
  return (
    <>
      <div className="account-bar">
        <p>{t.signedInAs(email)}</p>
        <button type="button" className="button button-ghost button-small" onClick={onSignOut}>
          {t.signOut}
        </button>
      </div>
      <FormError error={problem} />
      {!erased && (
        <>
          <h2>{t.orders}</h2>
          {overview && overview.orders.length === 0 && <p>{t.noOrders}</p>}
          <ul className="account-orders">
            {overview?.orders.map((o) => (
              <li key={`${o.domain}-${o.createdAt}`}>
                <OrderCard order={o} csrf={csrf} email={email} />
              </li>
            ))}
          </ul>
        </>
      )}
      <PersonalDataPanel
        downloadUrl={accountApi.personalDataUrl()}
        erase={(lang) => accountApi.erasePersonalData(csrf, lang)}
        onErased={() => setErased(true)}
      />
    </>
  );
}

function OrderCard({ order, csrf, email }: { order: AccountOrder; csrf: string; email: string }) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const tt = transferTexts[locale];
  const [open, setOpen] = useState(false);
  const [panel, setPanel] = useState<'transfer' | 'holder' | null>(null);
  const [transfer, setTransfer] = useState(order.transfer);
  // inside the registry's waiting period the date replaces the button (a change of registrant made here moves it)
  const [waitUntil, setWaitUntil] = useState(order.transferableFrom ? String(order.transferableFrom) : null);
  const toggle = (p: 'transfer' | 'holder') => setPanel(panel === p ? null : p);
  const date = (iso: string) => new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' }).format(new Date(iso));
  const percent = (share: number) => new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 2 }).format(share);
  return (
    <article className="panel account-order" aria-labelledby={`order-${order.domain}`}>
      <h3 id={`order-${order.domain}`}>
        {order.domainUnicode} <span className="account-state">{t.state[order.state] ?? t.state.other}</span>
      </h3>
      <p>{order.businessName}</p>
      {order.openIncident && (
        <p className="notice notice-warning" role="status">
          {t.incident(date(order.openIncident.startedAt))}
        </p>
      )}
      <ul className="account-facts">
        {order.holder && <li>{t.holder(order.holder.organization ?? order.holder.name ?? '')}</li>}
        {order.state === 'delivered' && <li>{order.registrationExpiresAt ? t.expires(date(order.registrationExpiresAt)) : t.expiryUnknown}</li>}
        {order.uptime30d !== null && <li>{t.uptime(percent(order.uptime30d))}</li>}
        {transfer?.state === 'requested' && <li data-transfer="requested">{tt.pending}</li>}
        {transfer?.state === 'completed' && <li data-transfer="completed">{tt.completed(transfer.completedAt ? date(String(transfer.completedAt)) : '')}</li>}
        {order.dnsManaged && !transfer && waitUntil && <li data-transfer="waiting">{tt.transferableFrom(date(waitUntil))}</li>}
      </ul>
      {order.renewal && (
        <RenewalPanel
          id={`renewal-${order.id}`}
          heading="h4"
          renewal={{ ...order.renewal, savedPaymentMethod: order.savedPaymentMethod }}
          change={(on, lang) => accountApi.setAutoRenew(order.id, on, csrf, lang).then((c) => ({ ...c.renewal, savedPaymentMethod: c.savedPaymentMethod }))}
        />
      )}
      {order.invoices.length > 0 && (
        <>
          <h4>{t.invoices}</h4>
          <ul>
            {order.invoices.map((i) => (
              <li key={i.number}>
                <a href={i.url}>{i.number}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="panel-actions">
        {order.siteUrl && (
          <a className="button button-primary button-small" href={order.siteUrl}>
            {t.site}
          </a>
        )}
        {order.editorUrl && (
          <a className="button button-ghost button-small" href={order.editorUrl}>
            {t.editor}
          </a>
        )}
        <a className="button button-ghost button-small" href={order.trackingUrl}>
          {t.tracking}
        </a>
        {order.dnsManaged && (
          <button type="button" className="button button-ghost button-small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t.hideDns : t.manageDns}
          </button>
        )}
        {order.dnsManaged && (
          <button type="button" className="button button-ghost button-small" aria-expanded={panel === 'holder'} onClick={() => toggle('holder')}>
            {tt.holderButton}
          </button>
        )}
        {order.dnsManaged && !transfer && !waitUntil && (
          <button type="button" className="button button-ghost button-small" aria-expanded={panel === 'transfer'} onClick={() => toggle('transfer')}>
            {tt.transfer}
          </button>
        )}
      </p>
      {open && <DnsPanel domain={order.domain} csrf={csrf} email={email} />}
      {panel === 'holder' && <HolderPanel domain={order.domain} csrf={csrf} onLocked={setWaitUntil} />}
      {panel === 'transfer' && <TransferPanel domain={order.domain} label={order.domainUnicode} csrf={csrf} onDone={setTransfer} onTooSoon={setWaitUntil} />}
    </article>
  );
}
