// The short email sent when a version the customer published from the editor is live.
import { formatDateTime, type Instant } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { renderEmail, type RenderedEmail } from './layout.ts';

export interface SitePublishedView {
  businessName: string;
  domain: string;
  /** https://domain/ */
  siteUrl: string;
  editorUrl: string;
  /** the document version now live */
  version: number;
  publishedAt: Instant;
  supportEmail: string;
}

interface Copy {
  subject: (domain: string) => string;
  preheader: string;
  hello: string;
  live: [before: string, between: string, after: string];
  visit: string;
  version: string;
  when: string;
  cache: string;
  editor: [before: string, link: string, after: string];
}

const copy: Record<Locale, Copy> = {
  fr: {
    subject: (domain) => `${domain} : votre nouvelle version est en ligne`,
    preheader: 'Vos modifications sont publiées.',
    hello: 'Bonjour,',
    live: ['Vos modifications du site de ', ' sont en ligne à l’adresse ', '.'],
    visit: 'Voir mon site',
    version: 'Version',
    when: 'Publiée le',
    cache: 'Si vous voyez encore l’ancienne version, rechargez la page : votre navigateur l’avait peut-être gardée en mémoire.',
    editor: ['Vous pouvez continuer à modifier votre site depuis ', 'l’éditeur', ', à tout moment.'],
  },
  en: {
    subject: (domain) => `${domain}: your new version is live`,
    preheader: 'Your changes are published.',
    hello: 'Hello,',
    live: ['Your changes to the website of ', ' are live at ', '.'],
    visit: 'Visit my site',
    version: 'Version',
    when: 'Published',
    cache: 'If you still see the old version, reload the page: your browser may have kept it.',
    editor: ['You can keep editing your site from ', 'the editor', ', at any time.'],
  },
};

export function sitePublishedEmail(view: SitePublishedView, locale: Locale): RenderedEmail {
  const c = copy[locale];
  return renderEmail({
    locale,
    subject: c.subject(view.domain),
    preheader: c.preheader,
    supportEmail: view.supportEmail,
    blocks: [
      { type: 'paragraph', text: [c.hello] },
      { type: 'paragraph', text: [c.live[0], { strong: view.businessName }, c.live[1], { link: view.siteUrl, href: view.siteUrl }, c.live[2]] },
      { type: 'button', label: c.visit, href: view.siteUrl },
      {
        type: 'table',
        rows: [
          [c.version, String(view.version)],
          [c.when, formatDateTime(view.publishedAt, locale)],
        ],
      },
      { type: 'paragraph', text: [c.cache] },
      { type: 'paragraph', text: [c.editor[0], { link: c.editor[1], href: view.editorUrl }, c.editor[2]] },
    ],
  });
}
