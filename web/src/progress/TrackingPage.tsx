// The tracking page (/suivi/{token}, /track/{token}): the links in the emails lead here; the same live view as the modal.
import { useEffect } from 'react';
import { api } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { Header } from '../ui/Header.tsx';
import { linkHandler } from '../router.ts';
import { LiveProgress } from './LiveProgress.tsx';
import { rememberOrder, rememberedOrder } from '../order-memory.ts';
import { PersonalDataPanel } from '../legal/PersonalDataPanel.tsx';
import { LegalFooter } from '../ui/LegalFooter.tsx';

export function TrackingPage({ token, query }: { token: string; query: URLSearchParams }) {
  const { t, locale } = useLocale();
  const space = locale === 'fr' ? '/espace' : '/account';
  useEffect(() => {
    const known = rememberedOrder();
    if (!known || known.token !== token) rememberOrder({ token, domain: '' });
  }, [token]);
  useEffect(() => {
    document.title = `${t.tracking.title} · ${t.brand}`;
  }, [t]);
  return (
    <>
      <Header>
        <a className="header-link" href={space} onClick={linkHandler(space)}>
          {t.spaceLink}
        </a>
      </Header>
      <main id="main" className="container narrow tracking">
        <h1>{t.tracking.title}</h1>
        <LiveProgress token={token} notice={query.get('payment') === 'unavailable' ? 'unavailable' : undefined} />
        <PersonalDataPanel downloadUrl={api.personalDataUrl(token)} erase={(lang) => api.erasePersonalData(token, lang)} />
      </main>
      <LegalFooter />
    </>
  );
}
