// Entry point: the language, the route, and the page for it (the admin console loads on its own, only when asked for).
import { StrictMode, Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { LocaleContext, dictionaries, initialLocale, rememberLocale, type Locale } from './i18n.ts';
import { useLocation } from './router.ts';
import { Landing } from './landing/Landing.tsx';
import { TrackingPage } from './progress/TrackingPage.tsx';
import { NotFound } from './ui/NotFound.tsx';
import './styles.css';

const Admin = lazy(() => import('./admin/Admin.tsx'));
const Editor = lazy(() => import('./editor/Editor.tsx'));
const Account = lazy(() => import('./account/Account.tsx'));

function trackingToken(path: string): { token: string; lang: Locale } | null {
  const m = /^\/(suivi|track)\/([A-Za-z0-9_-]{16,100})(?:\/.*)?$/.exec(path);
  return m ? { token: m[2]!, lang: m[1] === 'suivi' ? 'fr' : 'en' } : null;
}

/** The customer's space: /espace in French, /account in English (the path says the language). */
function spaceLang(path: string): Locale | null {
  return path === '/espace' ? 'fr' : path === '/account' ? 'en' : null;
}

function editorToken(path: string): string | null {
  return /^\/editor\/([A-Za-z0-9_-]{16,100})$/.exec(path)?.[1] ?? null;
}

function hasSavedLocale(): boolean {
  try {
    return !!localStorage.getItem('conciergerie.locale');
  } catch {
    return false;
  }
}

function App() {
  const loc = useLocation();
  const tracking = trackingToken(loc.path);
  const [locale, setLocaleState] = useState<Locale>(() => {
    // the tracking links in emails say which language the order was placed in; a choice made here wins
    if (tracking && !hasSavedLocale()) return tracking.lang;
    const space = spaceLang(window.location.pathname.replace(/\/+$/, ''));
    if (space) return space;
    const q = new URLSearchParams(window.location.search).get('lang');
    if (q === 'fr' || q === 'en') return q;
    return initialLocale();
  });
  const setLocale = useCallback((l: Locale) => {
    rememberLocale(l);
    setLocaleState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, t: dictionaries[locale], setLocale }), [locale, setLocale]);
  // the editor speaks the order's language unless the person chose one (here or with ?lang=)
  const adoptOrderLocale = useCallback((l: Locale) => {
    if (!hasSavedLocale() && !new URLSearchParams(window.location.search).get('lang')) setLocaleState(l);
  }, []);
  const editor = editorToken(loc.path);

  let page: React.ReactNode;
  if (loc.path === '/' || loc.path === '/payment/return' || loc.path === '/payment/cancel') page = <Landing location={loc} />;
  else if (tracking) page = <TrackingPage token={tracking.token} query={loc.query} />;
  else if (editor)
    page = (
      <Suspense fallback={<div className="page-loading" role="status" />}>
        <Editor token={editor} onOrderLocale={adoptOrderLocale} />
      </Suspense>
    );
  else if (spaceLang(loc.path))
    page = (
      <Suspense fallback={<div className="page-loading" role="status" />}>
        <Account query={loc.query} />
      </Suspense>
    );
  else if (loc.path === '/admin' || loc.path.startsWith('/admin/'))
    page = (
      <Suspense fallback={<div className="page-loading" role="status" />}>
        <Admin path={loc.path} />
      </Suspense>
    );
  else page = <NotFound />;
  return <LocaleContext.Provider value={value}>{page}</LocaleContext.Provider>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
