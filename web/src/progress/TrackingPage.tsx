// The tracking page (/suivi/{token}, /track/{token}): the links in the emails lead here; the same live view as the modal.
import { useEffect } from 'react';
import { useLocale } from '../i18n.ts';
import { Header } from '../ui/Header.tsx';
import { LiveProgress } from './LiveProgress.tsx';
import { rememberOrder, rememberedOrder } from '../order-memory.ts';
import { PersonalDataPanel } from '../legal/PersonalDataPanel.tsx';
import { LegalFooter } from '../ui/LegalFooter.tsx';

export function TrackingPage({ token, query }: { token: string; query: URLSearchParams }) {
  const { t } = useLocale();
  useEffect(() => {
    const known = rememberedOrder();
    if (!known || known.token !== token) rememberOrder({ token, domain: '' });
  }, [token]);
  useEffect(() => {
    document.title = `${t.tracking.title} · ${t.brand}`;
  }, [t]);
  return (
    <>
      <Header />
      <main id="main" className="container narrow tracking">
        <h1>{t.tracking.title}</h1>
        <LiveProgress token={token} notice={query.get('payment') === 'unavailable' ? 'unavailable' : undefined} />
        <PersonalDataPanel token={token} />
      </main>
      <LegalFooter />
    </>
  );
}
