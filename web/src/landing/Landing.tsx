// The landing page: what the service does, how long it takes, what it costs, and the button that opens the ConciergeModal.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { navigate, linkHandler, type Location } from '../router.ts';
import { cheapestTld, usePrices } from '../prices.ts';
import { money } from '../format.ts';
import { Header } from '../ui/Header.tsx';
import { ConciergeModal, type ProgressNotice } from '../concierge/ConciergeModal.tsx';
import { rememberOrder, rememberedOrder } from '../order-memory.ts';
import { LegalFooter } from '../ui/LegalFooter.tsx';

const TOKEN = /^[A-Za-z0-9_-]{16,100}$/;

export function Landing({ location }: { location: Location }) {
  const { t, locale } = useLocale();
  const { prices, failed } = usePrices();
  const ctaRef = useRef<HTMLButtonElement>(null);

  // back from the payment page, or a reload while following an order: the modal opens on the live progress
  const queryToken = location.query.get('order');
  const token = queryToken && TOKEN.test(queryToken) ? queryToken : null;
  const notice: ProgressNotice | undefined = location.path === '/payment/return' ? 'return' : location.path === '/payment/cancel' ? 'cancel' : undefined;
  const [open, setOpen] = useState<{ token?: string; notice?: ProgressNotice } | null>(token ? { token, notice } : null);
  const [remembered, setRemembered] = useState(rememberedOrder);

  useEffect(() => {
    if (token) {
      setOpen((o) => (o?.token === token ? o : { token, notice }));
      if (!remembered || remembered.token !== token) {
        rememberOrder({ token, domain: remembered?.token === token ? remembered.domain : '' });
        setRemembered(rememberedOrder());
      }
      // a clean address to reload or bookmark (PayPal's own parameters are of no further use)
      if (location.path !== '/') navigate(`/?order=${encodeURIComponent(token)}`, { replace: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const close = () => {
    setOpen(null);
    setRemembered(rememberedOrder());
    if (location.query.has('order') || location.path !== '/') navigate('/', { replace: true });
    // the opener gets the focus back (the Dialog does it when the opener still exists)
    requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body) ctaRef.current?.focus();
    });
  };

  const cheapest = prices ? cheapestTld(prices) : undefined;
  const from = (surcharge: number) => (prices && cheapest ? money(prices.serviceCents + surcharge + cheapest.amountCents, prices.currency, locale) : null);
  const trackPath = remembered ? `/${locale === 'fr' ? 'suivi' : 'track'}/${remembered.token}` : null;

  return (
    <>
      <Header>
        {trackPath && (
          <a className="header-link" href={trackPath} onClick={linkHandler(trackPath)}>
            {t.hero.track}
          </a>
        )}
      </Header>
      <main id="main">
        <section className="hero">
          <div className="container hero-grid">
            <div>
              <p className="kicker">{t.hero.kicker}</p>
              <h1>{t.hero.title}</h1>
              <p className="lead">{t.hero.lead}</p>
              <div className="hero-actions">
                <button ref={ctaRef} type="button" className="button button-primary button-large" onClick={() => setOpen({})}>
                  {t.hero.cta}
                  <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
                    <path d="M4 10h11M11 5l5 5-5 5" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
                  </svg>
                </button>
                {prices && (
                  <p className="hero-price">
                    {t.offers.express} {prices.expressHours} h · {t.offers.standard} {prices.standardHours} h · {t.offers.from} {from(0)}
                  </p>
                )}
              </div>
              <ul className="assurance">
                {t.hero.assurance.map((a) => (
                  <li key={a}>
                    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
                      <path d="M5 10.5l3.2 3.2L15 7" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
                    </svg>
                    {a}
                  </li>
                ))}
              </ul>
            </div>
            <div className="hero-card" aria-hidden="true">
              <div className="browser-bar">
                <span />
                <span />
                <span />
                <div className="browser-url">
                  <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                    <path d="M4.5 7V5a3.5 3.5 0 017 0v2M3.5 7h9v6.5h-9z" fill="none" stroke="currentColor" strokeWidth="1.5" />
                  </svg>
                  https://boulangerie-dupont.fr
                </div>
              </div>
              <div className="hero-card-body">
                <div className="mock-title" />
                <div className="mock-line" />
                <div className="mock-line short" />
                <div className="mock-steps">
                  {[0, 1, 2, 3].map((i) => (
                    <div key={i} className={`mock-step ${i < 3 ? 'done' : 'current'}`} />
                  ))}
                </div>
              </div>
            </div>
          </div>
        </section>

        <Section id="phases-title" title={t.phases.title}>
          <ol className="phases">
            {t.phases.items.map((p, i) => (
              <li key={p.title} className="phase">
                <span className="phase-number" aria-hidden="true">
                  {i + 1}
                </span>
                <h3>{p.title}</h3>
                <p className="phase-time">{p.time}</p>
                <p>{p.text}</p>
              </li>
            ))}
          </ol>
        </Section>

        <Section id="offers-title" title={t.offers.title} className="section-alt">
          <p className="section-lead">{t.offers.lead}</p>
          {!prices && !failed && <p role="status">{t.offers.loading}</p>}
          {failed && <p className="notice notice-warning">{t.offers.unavailable}</p>}
          {prices && cheapest && (
            <>
              <div className="offers">
                {(['express', 'standard'] as const).map((tier) => {
                  const express = tier === 'express';
                  return (
                    <article key={tier} className={express ? 'offer offer-featured' : 'offer'}>
                      <h3>{t.offers[tier]}</h3>
                      <p className="offer-hours">{t.offers.within(express ? prices.expressHours : prices.standardHours)}</p>
                      <p className="offer-price">
                        <span className="offer-from">{t.offers.from}</span> <strong>{from(express ? prices.expressSurchargeCents : 0)}</strong>
                      </p>
                      <p className="offer-includes">{t.offers.includes(`.${cheapest.tld}`)}</p>
                      <p>{express ? t.offers.expressNote : t.offers.standardNote}</p>
                    </article>
                  );
                })}
              </div>
              <h3 className="tld-title">{t.offers.tldTitle}</h3>
              <ul className="tld-prices">
                {prices.tlds.map((x) => (
                  <li key={x.tld}>
                    <span>.{x.tld}</span> <strong>{money(x.amountCents, prices.currency, locale)}</strong>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Section>

        <Section id="faq-title" title={t.faq.title} narrow>
          <dl className="faq">
            {t.faq.items.map((f) => (
              <div key={f.q}>
                <dt>{f.q}</dt>
                <dd>{f.a}</dd>
              </div>
            ))}
          </dl>
          <p className="center">
            <button type="button" className="button button-primary" onClick={() => setOpen({})}>
              {t.hero.cta}
            </button>
          </p>
        </Section>
      </main>
      <LegalFooter />
      {open && <ConciergeModal token={open.token} notice={open.notice} onClose={close} />}
    </>
  );
}

/** A section of the page, its heading naming it. */
function Section({ id, title, className, narrow, children }: { id: string; title: string; className?: string; narrow?: boolean; children: ReactNode }) {
  return (
    <section className={`section ${className ?? ''}`} aria-labelledby={id}>
      <div className={narrow ? 'container narrow' : 'container'}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </section>
  );
}
