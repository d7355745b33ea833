// The small pages a link in an email opens, served as plain HTML that works without JavaScript: "Are you satisfied?" with
// its form, the thanks, a refusal, and "stop contacting me". French or English; every value escaped.
import type { Locale } from '../domain/locale.ts';
import { SCORES } from '../domain/satisfaction.ts';
import { BRAND, escapeHtml } from '../emails/layout.ts';
import { formatDateTime, typeset } from '../emails/i18n.ts';
import { scoreLabels } from '../emails/satisfaction.ts';
import { SATISFACTION_COMMENT_MAX } from '../contract/satisfaction.ts';

const words = {
  fr: {
    title: 'Votre avis',
    question: 'Êtes-vous satisfait ?',
    legend: 'Votre note, de 1 (pas du tout) à 5 (très satisfait)',
    comment: 'Un commentaire ? (facultatif)',
    commentHint: `Lu par notre équipe avec votre commande, jamais publié. ${SATISFACTION_COMMENT_MAX} caractères au plus.`,
    send: 'Envoyer mon avis',
    thanks: 'Merci pour votre avis !',
    recorded: (score: number) => `Votre note : ${score} sur 5.`,
    yourComment: 'Votre commentaire :',
    change: (until: string) => `Vous pouvez la changer jusqu’au ${until} : c’est votre dernière réponse qui compte.`,
    again: 'Changer ma réponse',
    refused: 'Votre avis n’a pas été enregistré',
    stopTitle: 'Ne plus être contacté',
    stopRefused: 'Votre demande n’a pas été enregistrée',
    stopLead:
      'Nous ne vous enverrons plus de questions ni de relances à l’adresse de cette commande, pour toutes vos commandes. Les e-mails sur une commande et sur votre site (livraison, remboursement, site hors ligne) continuent d’arriver.',
    stop: 'Ne plus me contacter',
    stopped: 'C’est noté : nous ne vous poserons plus de questions.',
  },
  en: {
    title: 'Your opinion',
    question: 'Are you satisfied?',
    legend: 'Your score, from 1 (not at all) to 5 (very satisfied)',
    comment: 'A comment? (optional)',
    commentHint: `Read by our team with your order, never published. ${SATISFACTION_COMMENT_MAX.toLocaleString('en-GB')} characters at most.`,
    send: 'Send my answer',
    thanks: 'Thank you for your answer!',
    recorded: (score: number) => `Your score: ${score} out of 5.`,
    yourComment: 'Your comment:',
    change: (until: string) => `You can change it until ${until}: your last answer is the one that counts.`,
    again: 'Change my answer',
    refused: 'Your answer was not recorded',
    stopTitle: 'Stop hearing from us',
    stopRefused: 'Your request was not recorded',
    stopLead:
      'We will send no more questions nor reminders to this order’s address, for all your orders. Emails about an order and your site (delivery, refund, site down) still come.',
    stop: 'Stop contacting me',
    stopped: 'Done: we will not ask you anything again.',
  },
} satisfies Record<Locale, unknown>;

/** A page: the brand, a heading and its content (already HTML). */
function page(locale: Locale, title: string, body: string): string {
  const t = (s: string) => escapeHtml(typeset(s, locale));
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t(title)} · ${BRAND}</title>
<style>
body{margin:0;background:#f3f1ec;color:#1d2733;font:16px/1.55 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}
header{background:#1f3a5f;color:#fff;font-weight:700;font-size:20px;padding:16px 24px}
main{max-width:36rem;margin:24px auto;background:#fff;border:1px solid #e4e0d8;border-radius:10px;padding:24px}
h1{font-size:24px;margin:0 0 16px}
fieldset{border:0;margin:0 0 20px;padding:0}
legend{font-weight:600;margin-bottom:10px}
.scale{display:grid;grid-template-columns:repeat(5,1fr);gap:8px}
.scale label{display:flex;flex-direction:column;align-items:center;gap:2px;border:2px solid #1f3a5f;border-radius:8px;padding:8px 2px;cursor:pointer;text-align:center;font-size:12px;color:#1f3a5f}
.scale label:has(input:checked){background:#1f3a5f;color:#fff}
.scale label:has(input:focus-visible){outline:3px solid #e0a100;outline-offset:2px}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale .n{font-size:22px;font-weight:700}
label.block{display:block;font-weight:600;margin-bottom:6px}
textarea{box-sizing:border-box;width:100%;font:inherit;padding:8px;border:1px solid #8a94a0;border-radius:6px}
.hint{color:#5b6673;font-size:14px;margin:4px 0 20px}
button,a.button{display:inline-block;background:#1f3a5f;color:#fff;border:0;border-radius:6px;padding:12px 24px;font:inherit;font-weight:700;cursor:pointer;text-decoration:none}
.problem{background:#fdecea;border-left:4px solid #b3261e;padding:12px 14px;border-radius:4px}
blockquote{margin:0 0 16px;padding:8px 14px;border-left:4px solid #e4e0d8;white-space:pre-wrap}
</style>
</head>
<body>
<header>${escapeHtml(BRAND)}</header>
<main>
<h1>${t(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const para = (locale: Locale, text: string, cls = '') => `<p${cls ? ` class="${cls}"` : ''}>${escapeHtml(typeset(text, locale))}</p>`;

export interface AnswerPageView {
  locale: Locale;
  /** where the form posts: /satisfaction/{token} */
  action: string;
  score?: number;
  comment?: string;
  /** why the last answer was refused, in the page's language */
  problem?: string;
}

/** The question with the score a link chose, a comment box and the button that records the answer. */
export function answerPage(v: AnswerPageView): string {
  const w = words[v.locale];
  const labels = scoreLabels(v.locale);
  const choices = SCORES.map(
    (s) =>
      `<label><input type="radio" name="score" value="${s}" required${v.score === s ? ' checked' : ''}><span class="n">${s}</span><span>${escapeHtml(typeset(labels[s - 1]!, v.locale))}</span></label>`,
  ).join('\n');
  return page(
    v.locale,
    w.question,
    `${v.problem ? para(v.locale, v.problem, 'problem') : ''}
<form method="post" action="${escapeHtml(v.action)}">
<fieldset><legend>${escapeHtml(typeset(w.legend, v.locale))}</legend>
<div class="scale">
${choices}
</div></fieldset>
<label class="block" for="comment">${escapeHtml(typeset(w.comment, v.locale))}</label>
<textarea id="comment" name="comment" rows="4" maxlength="${SATISFACTION_COMMENT_MAX}" aria-describedby="comment-hint">${escapeHtml(v.comment ?? '')}</textarea>
<p class="hint" id="comment-hint">${escapeHtml(typeset(w.commentHint, v.locale))}</p>
<input type="hidden" name="lang" value="${v.locale}">
<button type="submit">${escapeHtml(typeset(w.send, v.locale))}</button>
</form>`,
  );
}

/** The answer recorded: what it was, and until when it may change. */
export function thanksPage(v: { locale: Locale; score: number; comment: string | null; closesAt: Date; again: string }): string {
  const w = words[v.locale];
  return page(
    v.locale,
    w.thanks,
    `<p role="status">${escapeHtml(typeset(w.recorded(v.score), v.locale))}</p>
${v.comment ? `${para(v.locale, w.yourComment)}<blockquote>${escapeHtml(v.comment)}</blockquote>` : ''}
${para(v.locale, w.change(formatDateTime(v.closesAt, v.locale)))}
<p><a class="button" href="${escapeHtml(v.again)}">${escapeHtml(typeset(w.again, v.locale))}</a></p>`,
  );
}

/** A refusal a browser is shown (an API client gets {code, message} instead): of an answer, or of "stop contacting me". */
export function refusalPage(locale: Locale, message: string, of: 'answer' | 'stop'): string {
  return page(locale, of === 'stop' ? words[locale].stopRefused : words[locale].refused, para(locale, message, 'problem'));
}

/** "Stop contacting me": what it means, and the button that records it. */
export function stopPage(v: { locale: Locale; action: string }): string {
  const w = words[v.locale];
  return page(
    v.locale,
    w.stopTitle,
    `${para(v.locale, w.stopLead)}
<form method="post" action="${escapeHtml(v.action)}">
<input type="hidden" name="lang" value="${v.locale}">
<button type="submit">${escapeHtml(typeset(w.stop, v.locale))}</button>
</form>`,
  );
}

export function stoppedPage(locale: Locale): string {
  return page(locale, words[locale].stopTitle, `<p role="status">${escapeHtml(typeset(words[locale].stopped, locale))}</p>`);
}
