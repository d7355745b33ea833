// The short email sent when a version the customer published from the editor is live.
import { aboutSite, type CustomerView, defineEmail, labelled, linked, paragraph, visitButton } from './define.ts';
import { formatDateTime, type Instant } from './i18n.ts';

export interface SitePublishedView extends CustomerView {
  /** https://domain/ */
  siteUrl: string;
  editorUrl: string;
  /** the document version now live */
  version: number;
  publishedAt: Instant;
}

export const sitePublishedEmail = defineEmail(
  {
    fr: {
      subject: (domain: string) => `${domain} : votre nouvelle version est en ligne`,
      preheader: 'Vos modifications sont publiées.',
      live: ['Vos modifications du site de ', ' sont en ligne à l’adresse ', '.'],
      facts: ['Version', 'Publiée le'],
      cache: 'Si vous voyez encore l’ancienne version, rechargez la page : votre navigateur l’avait peut-être gardée en mémoire.',
      editor: ['Vous pouvez continuer à modifier votre site depuis ', 'l’éditeur', ', à tout moment.'],
    },
    en: {
      subject: (domain) => `${domain}: your new version is live`,
      preheader: 'Your changes are published.',
      live: ['Your changes to the website of ', ' are live at ', '.'],
      facts: ['Version', 'Published'],
      cache: 'If you still see the old version, reload the page: your browser may have kept it.',
      editor: ['You can keep editing your site from ', 'the editor', ', at any time.'],
    },
  },
  (c, view: SitePublishedView, locale) => ({
    blocks: [
      aboutSite(c.live, view),
      visitButton(locale, view.siteUrl),
      labelled(c.facts, [String(view.version), formatDateTime(view.publishedAt, locale)]),
      paragraph(c.cache),
      paragraph(...linked(c.editor, view.editorUrl)),
    ],
  }),
);
