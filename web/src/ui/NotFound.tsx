// The page for a path the app does not know.
import { useLocale } from '../i18n.ts';
import { linkHandler } from '../router.ts';
import { Header } from './Header.tsx';

export function NotFound() {
  const { t } = useLocale();
  return (
    <>
      <Header />
      <main id="main" className="container narrow page-message">
        <h1>{t.notFound.title}</h1>
        <p>
          <a href="/" onClick={linkHandler('/')}>
            {t.notFound.back}
          </a>
        </p>
      </main>
    </>
  );
}
