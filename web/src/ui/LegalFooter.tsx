// The app's footer: the tagline, the customer's space, and the terms of sale, privacy policy and legal notice in the page's language.
import { useLocale } from '../i18n.ts';
import { legalHref, legalTexts } from '../legal/texts.ts';
import { linkHandler } from '../router.ts';

export function LegalFooter() {
  const { t, locale } = useLocale();
  const f = legalTexts[locale].footer;
  const space = locale === 'fr' ? '/espace' : '/account';
  return (
    <footer className="site-footer">
      <div className="container footer-row">
        <span>{t.footer}</span>
        <nav className="legal-links" aria-label={f.notice}>
          <a href={space} onClick={linkHandler(space)}>
            {t.spaceLink}
          </a>
          <a href={legalHref.terms[locale]}>{f.terms}</a>
          <a href={legalHref.privacy[locale]}>{f.privacy}</a>
          <a href={legalHref.notice[locale]}>{f.notice}</a>
        </nav>
      </div>
    </footer>
  );
}
