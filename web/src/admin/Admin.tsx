// The admin console (/admin): password login, then the overview, orders, an order's page, alerts, watched sites, daily reports, the outbox and the providers' health.
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { ApiError } from '../api.ts';
import { linkHandler, navigate } from '../router.ts';
import { Header } from '../ui/Header.tsx';
import { adminApi, whenSignedOut } from './adminApi.ts';
import { adminTexts } from './texts.ts';
import { OrdersList } from './OrdersList.tsx';
import { OrderPage } from './OrderPage.tsx';
import { Outbox } from './Outbox.tsx';
import { Invoices } from './Invoices.tsx';
import { Providers } from './Providers.tsx';
import { Overview } from './Overview.tsx';
import { Alerts } from './Alerts.tsx';
import { Sites } from './Sites.tsx';
import { Reports } from './Reports.tsx';

/** The console's sections by their path under /admin; the orders list is /admin itself. */
const SECTIONS = ['overview', 'alerts', 'sites', 'reports', 'outbox', 'invoices', 'providers'] as const;
type Section = (typeof SECTIONS)[number] | 'orders';

export default function Admin({ path }: { path: string }) {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    whenSignedOut(() => setSignedIn(false));
    adminApi.session().then(setSignedIn, () => setFailed(true));
  }, []);
  useEffect(() => {
    document.title = `${a.title} · Conciergerie`;
  }, [a]);

  if (failed)
    return (
      <Shell>
        <p className="notice notice-error">{a.failed}</p>
      </Shell>
    );
  if (signedIn === null)
    return (
      <Shell>
        <p role="status" className="muted">
          {a.loading}
        </p>
      </Shell>
    );
  if (!signedIn)
    return (
      <Shell>
        <Login onSignedIn={() => adminApi.session().then(setSignedIn, () => setFailed(true))} />
      </Shell>
    );

  const section: Section = SECTIONS.find((s) => path.startsWith(`/admin/${s}`)) ?? 'orders';
  const orderId = /^\/admin\/orders\/([^/]+)$/.exec(path)?.[1];
  const navLink = (to: string, label: string, key: string) => (
    <a href={to} onClick={linkHandler(to)} aria-current={section === key ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <Shell
      nav={
        <nav aria-label={a.nav.label} className="admin-nav">
          {navLink('/admin/overview', a.nav.overview, 'overview')}
          {navLink('/admin', a.nav.orders, 'orders')}
          {navLink('/admin/alerts', a.nav.alerts, 'alerts')}
          {navLink('/admin/sites', a.nav.sites, 'sites')}
          {navLink('/admin/reports', a.nav.reports, 'reports')}
          {navLink('/admin/outbox', a.nav.outbox, 'outbox')}
          {navLink('/admin/invoices', a.nav.invoices, 'invoices')}
          {navLink('/admin/providers', a.nav.providers, 'providers')}
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={async () => {
              await adminApi.logout();
              setSignedIn(false);
              navigate('/admin', { replace: true });
            }}
          >
            {a.nav.logout}
          </button>
        </nav>
      }
    >
      {section === 'orders' && !orderId && <OrdersList />}
      {section === 'orders' && orderId && <OrderPage id={decodeURIComponent(orderId)} />}
      {section === 'overview' && <Overview />}
      {section === 'alerts' && <Alerts />}
      {section === 'sites' && <Sites />}
      {section === 'reports' && <Reports />}
      {section === 'outbox' && <Outbox />}
      {section === 'invoices' && <Invoices />}
      {section === 'providers' && <Providers />}
    </Shell>
  );
}

function Shell({ children, nav }: { children: React.ReactNode; nav?: React.ReactNode }) {
  const { locale } = useLocale();
  return (
    <div className="admin">
      <Header>
        <span className="admin-tag">{adminTexts[locale].title}</span>
      </Header>
      {nav && (
        <div className="admin-bar">
          <div className="container">{nav}</div>
        </div>
      )}
      <main id="main" className="container admin-main">
        {children}
      </main>
    </div>
  );
}

function Login({ onSignedIn }: { onSignedIn(): void }) {
  const { locale } = useLocale();
  const a = adminTexts[locale];
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="card login"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!password) {
          setError(a.login.wrong);
          return;
        }
        setBusy(true);
        setError(null);
        try {
          await adminApi.login(password);
          onSignedIn();
        } catch (err) {
          setError(err instanceof ApiError && err.status === 401 ? a.login.wrong : err instanceof ApiError ? err.message : a.login.failed);
          setBusy(false);
        }
      }}
    >
      <h1>{a.login.title}</h1>
      {/* password managers and screen readers expect a user name beside a password */}
      <input type="text" name="username" autoComplete="username" value="admin" readOnly hidden />
      <div className={`field ${error ? 'field-invalid' : ''}`}>
        <label htmlFor="admin-password">{a.login.password}</label>
        <input
          id="admin-password"
          type="password"
          name="password"
          autoComplete="current-password"
          // biome-ignore lint/a11y/noAutofocus: the sign-in page has this one field to fill
          autoFocus
          value={password}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'admin-password-error' : undefined}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p id="admin-password-error" className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {a.login.submit}
      </button>
    </form>
  );
}
