// The PayPal sandbox's pages: the buyer's approval page an order's approve / payer-action link opens (www.paypal.com in
// real life), and the sandbox's own controls under /__sandbox/.
//   GET  /checkoutnow?token={orderId}      the page: amount, merchant, "Pay with PayPal" and "Cancel"
//   POST /checkoutnow/approve              the buyer approves → APPROVED, 303 to return_url?token=&PayerID=
//   POST /checkoutnow/cancel               the buyer leaves → 303 to cancel_url?token=
//   GET  /checkoutnow/done                 where a buyer lands when the order named no return_url
//   POST /__sandbox/orders/{id}/approve    approves as the page does; JSON {order, redirect_url}
//   GET  /__sandbox/events                 every event and its delivery attempts
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redirect, sendHtml, sendJson } from '../http/answer.ts';
import { readText } from '../http/body.ts';
import { currencyFormat, esc, htmlPage, langOf, type Lang } from '../http/html.ts';
import { Router } from '../http/router.ts';
import { PaypalApiError, errorBody } from './api.ts';
import type { PaypalMoney } from './money.ts';
import { BUYER, type OrderRecord, type PaypalAccount } from './state.ts';

type Page = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>, url: URL) => Promise<void> | void;

export function paypalPages(account: PaypalAccount) {
  const tokenOf = async (req: IncomingMessage) => new URLSearchParams(await readText(req)).get('token') ?? '';
  const pages = new Router<Page>()
    .add('GET', '/checkoutnow', (req, res, _p, url) => approvalPage(req, res, url.searchParams.get('token') ?? '', 'view'))
    .add('POST', '/checkoutnow/approve', async (req, res) => approvalPage(req, res, await tokenOf(req), 'approve'))
    .add('POST', '/checkoutnow/cancel', async (req, res) => approvalPage(req, res, await tokenOf(req), 'cancel'))
    .add('GET', '/checkoutnow/done', (_req, res) => sendHtml(res, 200, page('en', 'Approved', `<h1>${TEXT.en.approved}</h1>`)))
    .add('POST', '/__sandbox/orders/{id}/approve', (_req, res, { id }) => {
      try {
        const { order, redirectUrl } = account.approve(id);
        return sendJson(res, 200, { order, redirect_url: redirectUrl });
      } catch (err) {
        if (err instanceof PaypalApiError) return sendJson(res, err.status, errorBody(err));
        throw err;
      }
    })
    .add('GET', '/__sandbox/events', (_req, res) => sendJson(res, 200, { events: account.events }));

  function approvalPage(req: IncomingMessage, res: ServerResponse, id: string, action: 'view' | 'approve' | 'cancel') {
    let record: OrderRecord;
    try {
      record = account.order(id);
    } catch {
      return notFound(res);
    }
    const { order } = record;
    // the order's locale (BCP 47, "fr-FR"), else the buyer's browser
    const lang = langOf(record.locale ?? req.headers['accept-language']);
    const text = TEXT[lang];
    const unit = order.purchase_units[0];
    const amount = formatAmount(unit.amount, lang);

    if (action === 'cancel') {
      if (!record.cancelUrl) return sendHtml(res, 200, page(lang, text.cancelled, `<h1>${text.cancelled}</h1>`));
      return redirect(res, `${record.cancelUrl}${record.cancelUrl.includes('?') ? '&' : '?'}token=${id}`);
    }
    if (order.status === 'VOIDED') {
      return sendHtml(res, action === 'approve' ? 410 : 200, page(lang, text.expiredTitle, `<h1>${text.expiredTitle}</h1><p>${text.expiredBody}</p>`));
    }
    if (action === 'approve' || order.status === 'APPROVED' || order.status === 'COMPLETED') {
      if (order.status !== 'APPROVED' && order.status !== 'COMPLETED') account.approve(id);
      return redirect(res, account.returnUrl(record));
    }
    const body = `
      <p class="brand">Pay<span>Pal</span> <small>${text.sandbox}</small></p>
      ${record.brandName ? `<p class="muted">${esc(record.brandName)}</p>` : ''}
      ${unit.description ? `<p>${esc(unit.description)}</p>` : ''}
      <p class="amount">${esc(amount)}</p>
      ${record.vault ? `<p class="muted">${text.saved}${record.vault.description ? ` — ${esc(record.vault.description)}` : ''}</p>` : ''}
      <p class="muted">${text.signedInAs} ${esc(BUYER.email_address)}</p>
      <form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="${esc(id)}">
        <button type="submit">${text.pay}</button></form>
      <form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="${esc(id)}">
        <button type="submit" class="secondary">${text.cancel}</button></form>`;
    sendHtml(res, 200, page(lang, text.title, body));
  }

  /** Answers the page or control `url` names. */
  return (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void => {
    const found = pages.find(req.method ?? 'GET', url.pathname);
    if (found) return found.route(req, res, found.params, url);
    if (url.pathname.startsWith('/__sandbox/'))
      return sendJson(res, 404, { name: 'NOT_FOUND', message: `Unknown sandbox control ${req.method} ${url.pathname}` });
    notFound(res);
  };
}

function notFound(res: ServerResponse): void {
  sendHtml(res, 404, page('en', TEXT.en.notFound, `<h1>${TEXT.en.notFound}</h1>`));
}

/** The page's words, in the two languages it is written in. */
const TEXT = {
  fr: {
    title: 'Payer avec PayPal',
    sandbox: 'bac à sable',
    signedInAs: 'Connecté en tant que',
    pay: 'Payer avec PayPal',
    cancel: 'Annuler et revenir au site',
    cancelled: 'Paiement annulé',
    expiredTitle: 'Cette commande a expiré',
    expiredBody: 'Revenez sur le site du marchand pour obtenir un nouveau lien de paiement.',
    approved: 'Paiement approuvé',
    notFound: 'Commande introuvable',
    saved: 'Votre compte PayPal sera enregistré chez le marchand pour vos paiements futurs',
  },
  en: {
    title: 'Pay with PayPal',
    sandbox: 'sandbox',
    signedInAs: 'Signed in as',
    pay: 'Pay with PayPal',
    cancel: 'Cancel and return to the site',
    cancelled: 'Payment cancelled',
    expiredTitle: 'This order has expired',
    expiredBody: 'Return to the merchant’s site to get a new payment link.',
    approved: 'Payment approved',
    notFound: 'Order not found',
    saved: 'Your PayPal account will be saved with the merchant for future payments',
  },
} satisfies Record<Lang, unknown>;

function formatAmount(amount: PaypalMoney, lang: Lang): string {
  return currencyFormat(amount.currency_code, lang).format(Number(amount.value));
}

const CSS = `  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f5f7fa; color: #001435; }
  main { max-width: 24rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,20,53,.12); text-align: center; }
  h1 { font-size: 1.25rem; }
  .brand { font-size: 1.75rem; font-weight: 800; font-style: italic; color: #003087; margin: 0 0 1rem; }
  .brand span { color: #009cde; }
  .brand small { display: block; font-size: .7rem; font-style: normal; font-weight: 600; color: #8a5a00; text-transform: uppercase; }
  .muted { color: #515354; }
  .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0 1.25rem; }
  form { margin: .5rem 0; }
  button { width: 100%; padding: .75rem; border: 0; border-radius: 24px; background: #ffc439; color: #003087; font: inherit; font-weight: 700; cursor: pointer; }
  button.secondary { background: transparent; color: #0070e0; font-weight: 600; }`;

function page(lang: Lang, title: string, body: string): string {
  return htmlPage({ lang, title, provider: 'PayPal', css: CSS, body });
}
