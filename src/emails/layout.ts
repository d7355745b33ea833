// The one layout every customer email shares, rendered twice from the same blocks: inline-styled HTML and plain text.
import { typeset } from './i18n.ts';
import type { Locale } from '../domain/locale.ts';
import { legalPath } from '../legal/documents.ts';

/** A run of text inside a paragraph: plain, emphasised, or a link. */
export type Inline = string | { strong: string } | { link: string; href: string };

/** The building blocks of an email body; templates say what to show, the layout decides how. */
export type Block =
  | { type: 'paragraph'; text: Inline[] }
  | { type: 'button'; label: string; href: string }
  /** label/value rows (a recap, a price breakdown); `total` is set apart and bold */
  | { type: 'table'; rows: [label: string, value: string][]; total?: [label: string, value: string] }
  /** numbered stages; a done stage shows a tick instead of its number */
  | { type: 'steps'; items: { title: string; when: string; detail: string; done?: boolean }[] }
  /** a highlighted sentence the reader must not miss (the deadline rule, a warning) */
  | { type: 'callout'; text: Inline[] }
  /** a row of choices, each a link (a score from 1 to 5): `value` big, `label` small beneath */
  | { type: 'scale'; choices: { value: string; label: string; href: string }[] };

export interface EmailDocument {
  locale: Locale;
  subject: string;
  /** the line mail clients show after the subject in the inbox */
  preheader?: string;
  blocks: Block[];
  supportEmail: string;
  /** our address (PUBLIC_URL): the footer then links the terms of sale, the privacy policy and the legal notice */
  publicUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export const BRAND = 'Conciergerie';

const footer: Record<Locale, { question: string; writeTo: string; tagline: string; legal: [label: string, kind: 'terms' | 'privacy' | 'notice'][] }> = {
  fr: {
    question: 'Une question ?',
    writeTo: 'Écrivez-nous à',
    tagline: 'Conciergerie — votre site en ligne, à votre nom de domaine, en quelques heures.',
    legal: [
      ['Conditions générales de vente', 'terms'],
      ['Confidentialité', 'privacy'],
      ['Mentions légales', 'notice'],
    ],
  },
  en: {
    question: 'Any questions?',
    writeTo: 'Write to us at',
    tagline: 'Conciergerie — your website live at your own domain, in hours.',
    legal: [
      ['Terms of sale', 'terms'],
      ['Privacy', 'privacy'],
      ['Legal notice', 'notice'],
    ],
  },
};

/** The footer's legal links (src/legal/documents.ts: the pages), when the email knows our address. */
function legalLinks(doc: EmailDocument): [label: string, href: string][] {
  if (!doc.publicUrl) return [];
  return footer[doc.locale].legal.map(([label, kind]) => [label, `${doc.publicUrl}${legalPath(kind, doc.locale)}`]);
}

/** Every value that reaches the HTML goes through here, text and attributes alike. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escaping keeps a link inside its attribute; this keeps `javascript:` and friends out of it. */
function safeHref(href: string): string {
  return /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : '#';
}

export function renderEmail(doc: EmailDocument): RenderedEmail {
  return { subject: typeset(doc.subject, doc.locale), text: renderText(doc), html: renderHtml(doc) };
}

// ---------- HTML ----------

const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const color = { page: '#f3f1ec', card: '#ffffff', ink: '#1d2733', muted: '#5b6673', brand: '#1f3a5f', line: '#e4e0d8', soft: '#eef3f8' };

export function renderHtml(doc: EmailDocument): string {
  const t = (s: string) => escapeHtml(typeset(s, doc.locale));
  const f = footer[doc.locale];
  const support = `<a href="${escapeHtml(safeHref(`mailto:${doc.supportEmail}`))}" style="color:${color.brand};">${escapeHtml(doc.supportEmail)}</a>`;
  return `<!doctype html>
<html lang="${doc.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${t(doc.subject)}</title>
<style>
@media (max-width: 480px) { .card-pad { padding: 20px !important; } .step-when { display: block !important; } }
</style>
</head>
<body style="margin:0;padding:0;background:${color.page};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;mso-hide:all;">${t(doc.preheader ?? '')}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${color.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:${color.card};border-radius:10px;border:1px solid ${color.line};">
<tr><td class="card-pad" style="padding:22px 32px;background:${color.brand};border-radius:10px 10px 0 0;${font};font-size:20px;font-weight:700;letter-spacing:0.5px;color:#ffffff;">${escapeHtml(BRAND)}</td></tr>
<tr><td class="card-pad" style="padding:32px;${font};font-size:16px;line-height:1.55;color:${color.ink};">
${doc.blocks.map((b) => htmlBlock(b, doc.locale)).join('\n')}
</td></tr>
<tr><td class="card-pad" style="padding:20px 32px;border-top:1px solid ${color.line};${font};font-size:13px;line-height:1.5;color:${color.muted};">
<p style="margin:0 0 6px;">${t(f.question)} ${t(f.writeTo)} ${support}</p>
<p style="margin:0;">${t(f.tagline)}</p>${legal(doc)}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function legal(doc: EmailDocument): string {
  const links = legalLinks(doc);
  if (!links.length) return '';
  const a = links.map(([label, href]) => `<a href="${escapeHtml(safeHref(href))}" style="color:${color.muted};">${escapeHtml(typeset(label, doc.locale))}</a>`);
  return `\n<p style="margin:6px 0 0;">${a.join(' · ')}</p>`;
}

function htmlInline(parts: Inline[], locale: Locale): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return escapeHtml(typeset(p, locale));
      if ('strong' in p) return `<strong>${escapeHtml(typeset(p.strong, locale))}</strong>`;
      return `<a href="${escapeHtml(safeHref(p.href))}" style="color:${color.brand};">${escapeHtml(typeset(p.link, locale))}</a>`;
    })
    .join('');
}

function htmlBlock(block: Block, locale: Locale): string {
  const t = (s: string) => escapeHtml(typeset(s, locale));
  switch (block.type) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${htmlInline(block.text, locale)}</p>`;
    case 'callout':
      return `<p style="margin:0 0 16px;padding:14px 16px;background:${color.soft};border-left:4px solid ${color.brand};border-radius:4px;font-weight:600;">${htmlInline(block.text, locale)}</p>`;
    case 'button':
      return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>
<td align="center" bgcolor="${color.brand}" style="border-radius:6px;background:${color.brand};">
<a href="${escapeHtml(safeHref(block.href))}" style="display:inline-block;padding:15px 32px;${font};font-size:17px;font-weight:700;color:#ffffff;text-decoration:none;border-radius:6px;">${t(block.label)}</a>
</td></tr></table>`;
    case 'table': {
      const row = ([label, value]: [string, string], total = false) => {
        const weight = total ? 'font-weight:700;' : '';
        const border = total ? `border-top:2px solid ${color.ink};` : `border-bottom:1px solid ${color.line};`;
        return `<tr><td style="padding:8px 8px 8px 0;${border}${weight}color:${total ? color.ink : color.muted};">${t(label)}</td><td align="right" style="padding:8px 0;${border}${weight}text-align:right;">${t(value)}</td></tr>`;
      };
      const rows = block.rows.map((r) => row(r)).concat(block.total ? [row(block.total, true)] : []);
      return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;${font};font-size:15px;">${rows.join('')}</table>`;
    }
    case 'scale': {
      const cells = block.choices.map(
        (c) => `<td width="${Math.floor(100 / block.choices.length)}%" style="padding:0 3px;">
<a href="${escapeHtml(safeHref(c.href))}" style="display:block;padding:10px 2px;border:2px solid ${color.brand};border-radius:8px;text-align:center;color:${color.brand};text-decoration:none;${font};"><span style="display:block;font-size:22px;font-weight:700;line-height:1.2;">${t(c.value)}</span><span style="display:block;font-size:11px;line-height:1.3;">${t(c.label)}</span></a>
</td>`,
      );
      return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;table-layout:fixed;"><tr>${cells.join('')}</tr></table>`;
    }
    case 'steps': {
      const items = block.items.map((s, i) => {
        const badge = s.done ? '&#10003;' : String(i + 1);
        const badgeStyle = s.done ? `background:${color.brand};color:#ffffff;` : `background:${color.soft};color:${color.brand};`;
        return `<tr>
<td valign="top" width="36" style="padding:0 12px 14px 0;"><div style="width:28px;height:28px;line-height:28px;border-radius:14px;text-align:center;font-weight:700;font-size:14px;${badgeStyle}">${badge}</div></td>
<td valign="top" style="padding:2px 0 14px;"><strong>${t(s.title)}</strong> <span class="step-when" style="color:${color.muted};font-size:14px;">${t(s.when)}</span><br><span style="font-size:15px;">${t(s.detail)}</span></td>
</tr>`;
      });
      return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 12px;${font};">${items.join('')}</table>`;
    }
  }
}

// ---------- plain text ----------

export function renderText(doc: EmailDocument): string {
  const f = footer[doc.locale];
  const body = doc.blocks.map((b) => textBlock(b, doc.locale)).join('\n\n');
  const legalText = legalLinks(doc)
    .map(([label, href]) => `${typeset(label, doc.locale)}: ${href}\n`)
    .join('');
  const text = `${BRAND}\n${'='.repeat(BRAND.length)}\n\n${body}\n\n-- \n${f.question} ${f.writeTo} ${doc.supportEmail}\n${f.tagline}\n${legalText}`;
  return typeset(text, doc.locale);
}

function textInline(parts: Inline[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if ('strong' in p) return p.strong;
      // A link whose label already says where it goes needs no repeat in plain text.
      return p.href === p.link || p.href === `mailto:${p.link}` ? p.link : `${p.link} (${p.href})`;
    })
    .join('');
}

function textBlock(block: Block, locale: Locale): string {
  switch (block.type) {
    case 'paragraph':
      return textInline(block.text);
    case 'callout':
      return `>> ${textInline(block.text)}`;
    case 'button':
      return `${block.label}${locale === 'fr' ? ' :' : ':'}\n${block.href}`;
    case 'table': {
      const all = block.total ? [...block.rows, block.total] : block.rows;
      const width = Math.max(...all.map(([label]) => label.length));
      const valueWidth = Math.max(...all.map(([, value]) => value.length));
      // Values line up on the right, as amounts do on an invoice.
      const line = ([label, value]: [string, string]) => `${label.padEnd(width)}  ${value.padStart(valueWidth)}`;
      const rows = block.rows.map(line);
      if (block.total) rows.push('-'.repeat(width + 2 + valueWidth), line(block.total));
      return rows.join('\n');
    }
    case 'steps':
      return block.items.map((s, i) => `${s.done ? '✓ ' : `${i + 1}.`} ${s.title} — ${s.when}\n   ${s.detail}`).join('\n');
    case 'scale':
      return block.choices.map((c) => `${c.value} – ${c.label}${locale === 'fr' ? ' :' : ':'} ${c.href}`).join('\n');
  }
}
