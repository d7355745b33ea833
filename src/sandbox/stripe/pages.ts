// The Stripe sandbox's pages: the hosted payment page a Checkout Session's url opens (checkout.stripe.com in real life),
// and the sandbox's own controls under /__sandbox/ (pay without a browser, list the events sent).
//   GET  /c/pay/{id}                      the page: amount, product, a card form (test card prefilled)
//   POST /c/pay/{id}/pay                  the form: the test card pays (303 to success_url), the declined card is refused
//   POST /__sandbox/checkout/{id}/pay     pays as the page does; JSON {session, redirect_url}; the body may name the method and,
//                                         for a delayed one, its outcome: {"paymentMethod": "sepa_debit", "outcome": "failed"},
//                                         or a card's test number: {"card": "4000000000000341"}
//   POST /__sandbox/payment_methods/{id}/card  the saved card becomes another test card: JSON {card}
//   GET  /__sandbox/events                every event and its delivery attempts
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redirect, sendHtml, sendJson } from '../http/answer.ts';
import { jsonObject, readText } from '../http/body.ts';
import { currencyFormat, esc, htmlPage, langOf, type Lang } from '../http/html.ts';
import { Router } from '../http/router.ts';
import { StripeApiError } from './api.ts';
import { stripeDigits } from './currencies.ts';
import type { CheckoutSession } from './objects.ts';
import { TEST_IBAN, type StripeAccount } from './state.ts';

/** Stripe's test cards (docs.stripe.com/testing): 4242… always succeeds, 4000 0000 0000 0002 is always declined. */
const TEST_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000000000000002';
/**
 * Stripe's SEPA Debit test IBANs (docs.stripe.com/testing#sepa-direct-debit): the PaymentIntent goes from processing to
 * succeeded, or to requires_payment_method (the payment fails). Any other IBAN (TEST_IBAN among them) succeeds.
 */
const FAILING_IBANS = new Set(['DE62370400440532013001', 'AT861904300235473202']);

type Page = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void> | void;

export function stripePages(account: StripeAccount) {
  const pages = new Router<Page>()
    .add('GET', '/c/pay/{id}', (req, res, { id }) => hostedPage(req, res, id, 'view', new URLSearchParams()))
    .add('POST', '/c/pay/{id}/pay', async (req, res, { id }) => hostedPage(req, res, id, 'pay', new URLSearchParams(await readText(req))))
    .add('POST', '/__sandbox/checkout/{id}/pay', async (req, res, { id }) => {
      const text = await readText(req);
      // an empty body pays by card, as the page's prefilled test card does
      const body = text.trim() === '' ? {} : jsonObject(text);
      if (!body) return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'Body must be JSON.' } }, { space: 2 });
      const outcome = body.outcome === undefined ? undefined : body.outcome === 'succeeded' || body.outcome === 'failed' ? body.outcome : null;
      if (outcome === null)
        return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'outcome must be "succeeded" or "failed".' } }, { space: 2 });
      try {
        const card = typeof body.card === 'string' ? body.card.replace(/\D/g, '') : undefined;
        const session = account.pay(id, {
          email: typeof body.email === 'string' ? body.email : undefined,
          method: typeof body.paymentMethod === 'string' ? body.paymentMethod : undefined,
          outcome,
          card: card || undefined,
        });
        return sendJson(res, 200, { session, redirect_url: successUrl(session) }, { space: 2 });
      } catch (err) {
        if (!(err instanceof StripeApiError)) throw err;
        return sendJson(res, err.body.code === 'checkout_session_expired' ? 410 : err.status, { error: err.body }, { space: 2 });
      }
    })
    // the saved card becomes another test card (vault.ts): JSON {card}
    .add('POST', '/__sandbox/payment_methods/{id}/card', async (req, res, { id }) => {
      const body = jsonObject(await readText(req));
      const card = typeof body?.card === 'string' ? body.card.replace(/\D/g, '') : '';
      if (!/^\d{16}$/.test(card))
        return sendJson(res, 400, { error: { type: 'invalid_request_error', message: 'Body must be JSON {card: "<16 digits>"}.' } }, { space: 2 });
      try {
        account.vault.swapCard(id, card);
      } catch (err) {
        if (!(err instanceof StripeApiError)) throw err;
        return sendJson(res, err.status, { error: err.body }, { space: 2 });
      }
      return sendJson(res, 200, { id, last4: card.slice(-4) }, { space: 2 });
    })
    .add('GET', '/__sandbox/events', (_req, res) => sendJson(res, 200, { data: account.events }, { space: 2 }));

  function hostedPage(req: IncomingMessage, res: ServerResponse, id: string, action: 'view' | 'pay', form: URLSearchParams) {
    let session: CheckoutSession;
    try {
      session = account.session(id);
    } catch {
      return notFound(res);
    }
    // the session's locale, else the browser's ("auto" is the browser's too)
    const lang = langOf(session.locale && session.locale !== 'auto' ? session.locale : req.headers['accept-language']);
    const text = TEXT[lang];
    const amount = formatAmount(session.amount_total, session.currency, lang);

    if (session.status === 'expired') {
      // a refused payment answers 410 so scripts notice; a plain visit is an ordinary page
      return sendHtml(res, action === 'pay' ? 410 : 200, page(lang, text.expiredTitle, `<h1>${text.expiredTitle}</h1><p>${text.expiredBody}</p>`));
    }
    if (session.status === 'complete') {
      const back = `<h1>${text.paidTitle}</h1><p><a class="button" href="${esc(successUrl(session))}">${text.back}</a></p>`;
      return sendHtml(res, 200, page(lang, text.paidTitle, back));
    }
    let declined = false;
    if (action === 'pay') {
      const email = form.get('email') ?? undefined;
      const iban = (form.get('iban') ?? '').replace(/\s/g, '').toUpperCase();
      const card = (form.get('card_number') ?? '').replace(/\D/g, '');
      if (form.get('method') === 'sepa_debit' && session.payment_method_types.includes('sepa_debit')) {
        account.pay(id, { email, method: 'sepa_debit', outcome: FAILING_IBANS.has(iban) ? 'failed' : 'succeeded', iban: iban || undefined });
        return redirect(res, successUrl(session));
      }
      if (card === DECLINED_CARD) declined = true;
      else {
        account.pay(id, { email, card: card || undefined });
        return redirect(res, successUrl(session));
      }
    }
    const sepa = session.payment_method_types.includes('sepa_debit')
      ? `<form method="post" action="/c/pay/${esc(id)}/pay">
        <input type="hidden" name="method" value="sepa_debit">
        <input type="hidden" name="email" value="${esc(session.customer_email ?? '')}">
        <label>${text.iban}<input name="iban" value="${TEST_IBAN}"></label>
        <p class="hint">${text.ibanHint}</p>
        <button type="submit">${text.payIban(amount)}</button>
      </form>`
      : '';
    const body = `
      <p class="badge">${text.testMode}</p>
      <p class="muted">${esc(account.productName(id))}</p>
      <p class="amount">${esc(amount)}</p>
      ${declined ? `<p class="error" role="alert">${text.declined}</p>` : ''}
      <form method="post" action="/c/pay/${esc(id)}/pay">
        <label>${text.email}<input name="email" type="email" value="${esc(session.customer_email ?? '')}" ${session.customer_email ? 'readonly' : ''}></label>
        <label>${text.card}<input name="card_number" inputmode="numeric" autocomplete="cc-number" value="${TEST_CARD}"></label>
        <p class="hint">${text.testCardHint}</p>
        <button type="submit">${text.pay(amount)}</button>
      </form>
      ${sepa}
      ${session.cancel_url ? `<p><a href="${esc(session.cancel_url)}">${text.cancel}</a></p>` : ''}`;
    sendHtml(res, declined ? 402 : 200, page(lang, text.title, body));
  }

  /** Answers the page or control `path` names; undefined when none does. */
  return (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> | void => {
    const found = pages.find(req.method ?? 'GET', path);
    if (found) return found.route(req, res, found.params);
    if (path.startsWith('/__sandbox/')) {
      return sendJson(res, 404, { error: { type: 'invalid_request_error', message: `Unknown sandbox control ${req.method} ${path}` } }, { space: 2 });
    }
    notFound(res);
  };
}

/** success_url may hold the {CHECKOUT_SESSION_ID} template variable, replaced by the session's id (docs.stripe.com/payments/checkout/custom-success-page). */
export function successUrl(session: CheckoutSession): string {
  return session.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);
}

function notFound(res: ServerResponse): void {
  sendHtml(res, 404, page('en', 'Not found', `<h1>${TEXT.en.notFound}</h1>`));
}

/** The page's words, in the two languages it is written in. */
const TEXT = {
  fr: {
    title: 'Paiement',
    testMode: 'Mode test',
    email: 'E-mail',
    card: 'Numéro de carte',
    testCardHint: `Carte de test : ${TEST_CARD}, date d’expiration future et CVC quelconques.`,
    pay: (amount: string) => `Payer ${amount}`,
    cancel: 'Annuler et revenir au site',
    declined: 'Votre carte a été refusée. Essayez une autre carte.',
    expiredTitle: 'Cette session de paiement a expiré',
    expiredBody: 'Revenez sur le site du marchand pour obtenir un nouveau lien de paiement.',
    paidTitle: 'Ce paiement est déjà effectué',
    back: 'Revenir au site',
    notFound: 'Session de paiement introuvable',
    iban: 'IBAN (prélèvement SEPA)',
    ibanHint: `IBAN de test : ${TEST_IBAN} aboutit ; DE62370400440532013001 échoue (la banque répond plus tard).`,
    payIban: (amount: string) => `Payer ${amount} par prélèvement`,
  },
  en: {
    title: 'Checkout',
    testMode: 'Test mode',
    email: 'Email',
    card: 'Card number',
    testCardHint: `Test card: ${TEST_CARD}, any future expiry date and any CVC.`,
    pay: (amount: string) => `Pay ${amount}`,
    cancel: 'Cancel and return to the site',
    declined: 'Your card was declined. Try another card.',
    expiredTitle: 'This checkout session has expired',
    expiredBody: 'Return to the merchant’s site to get a new payment link.',
    paidTitle: 'This payment is already complete',
    back: 'Return to the site',
    notFound: 'Checkout session not found',
    iban: 'IBAN (SEPA Debit)',
    ibanHint: `Test IBAN: ${TEST_IBAN} succeeds; DE62370400440532013001 fails (the bank answers later).`,
    payIban: (amount: string) => `Pay ${amount} by SEPA Debit`,
  },
} satisfies Record<Lang, unknown>;

/** A Stripe amount read with Stripe's digits for the currency (JPY none, EUR and HUF two), shown as Intl formats it. */
function formatAmount(amount: number, currency: string, lang: Lang): string {
  return currencyFormat(currency, lang).format(amount / 10 ** stripeDigits(currency));
}

const CSS = `  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f9fc; color: #1a1f36; }
  main { max-width: 26rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(50,50,93,.12); }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  .badge { display: inline-block; margin: 0 0 1rem; padding: .1rem .5rem; border-radius: 4px; background: #ffde92; color: #8a5a00; font-size: .75rem; font-weight: 600; text-transform: uppercase; }
  .muted { color: #697386; margin: 0; }
  .amount { font-size: 2rem; font-weight: 600; margin: .25rem 0 1.5rem; }
  label { display: block; font-size: .875rem; color: #3c4257; margin-bottom: 1rem; }
  input { display: block; box-sizing: border-box; width: 100%; margin-top: .25rem; padding: .6rem .75rem; border: 1px solid #d5dbe1; border-radius: 6px; font: inherit; }
  .hint { font-size: .8rem; color: #697386; margin-top: -.5rem; }
  button, .button { display: block; box-sizing: border-box; width: 100%; padding: .75rem; border: 0; border-radius: 6px; background: #635bff; color: #fff; font: inherit; font-weight: 600; text-align: center; text-decoration: none; cursor: pointer; }
  .error { color: #df1b41; }
  a { color: #635bff; }`;

function page(lang: Lang, title: string, body: string): string {
  return htmlPage({ lang, title, provider: 'Stripe', css: CSS, body });
}
