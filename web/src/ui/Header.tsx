// The site header: the brand, back home, and the language switch (remembered).
import { useLocale } from '../i18n.ts';
import { linkHandler } from '../router.ts';

export function Header({ children }: { children?: React.ReactNode }) {
  const { t, locale, setLocale } = useLocale();
  const other = locale === 'fr' ? 'en' : 'fr';
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t.skip}
      </a>
      <div className="container header-row">
        <a className="brand" href="/" onClick={linkHandler('/')}>
          <span className="brand-mark" aria-hidden="true">
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
              <rect width="32" height="32" rx="8" fill="currentColor" />
              <path d="M9 17l5 5 9-11" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </span>
          {t.brand}
        </a>
        <div className="header-actions">
          {children}
          <button type="button" className="lang-switch" lang={other} aria-label={t.switchToLabel} onClick={() => setLocale(other)}>
            {t.switchTo}
          </button>
        </div>
      </div>
    </header>
  );
}
