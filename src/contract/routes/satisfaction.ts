// "Are you satisfied?" as routes: the page a link in an email opens, its form, the tracking page's one-click answer, and
// asking not to be contacted again.
import { errors, htmlPage, tokenParam } from '../common.ts';
import { autoRenewBody, renewalSummary } from '../renewals.ts';
import { satisfactionAnswer, satisfactionForm, satisfactionPageQuery, satisfactionStatus, stopQuery } from '../satisfaction.ts';

const notOpen = '`satisfaction_not_open`: the token is unknown, or the question is closed or was never put (the same answer for each)';
/** A browser (Accept: text/html) is shown its refusals as a page with the same status; any other client gets {code, message}. */
const pageRefusals = { 422: 'a field that does not hold: `value_not_allowed` (the score), `field_too_long`, `control_characters` (the comment)' } as const;

export const satisfactionRoutes = {
  'GET /satisfaction/:token': {
    tags: ['public'],
    summary:
      'The page a score’s link in an email opens: that score chosen, a comment box and a button that records the answer (nothing is recorded by opening it). The same page whatever the token: it looks nothing up.',
    params: tokenParam,
    querystring: satisfactionPageQuery,
    response: { 200: htmlPage('the question, in `lang` (the links carry the order’s language)'), ...errors(pageRefusals) },
  },
  'POST /satisfaction/:token': {
    tags: ['public'],
    summary:
      'The answer page’s form (application/x-www-form-urlencoded: score, comment, lang): records the answer and shows the thanks. The last answer counts; it may change while the question is open.',
    params: tokenParam,
    body: satisfactionForm,
    consumes: ['application/x-www-form-urlencoded'],
    response: {
      200: htmlPage('thanks, with the answer recorded and until when it may change'),
      ...errors({ 404: notOpen, ...pageRefusals, 429: 'rate_limited: too many answers from this address, or for this order' }),
    },
  },
  'POST /api/concierge/status/:token/satisfaction': {
    tags: ['public'],
    summary:
      'Answer "Are you satisfied?" (the tracking page’s one-click scale): a score, and a comment or not (absent keeps the one given). The last answer counts.',
    params: tokenParam,
    body: satisfactionAnswer,
    response: {
      200: satisfactionStatus.describe('the answer recorded, and until when it may change'),
      ...errors({ 404: notOpen, ...pageRefusals, 429: 'rate_limited: too many answers from this address, or for this order' }),
    },
  },
  'POST /api/concierge/status/:token/auto-renew': {
    tags: ['public'],
    summary:
      'Turn the order’s automatic yearly renewal on or off (the tracking page’s switch). Off: nothing is charged, the site stays until expiry and the reminders say what will happen; on again: the consent is recorded anew and a charge date already past is charged at the next scan.',
    params: tokenParam,
    body: autoRenewBody,
    response: {
      200: renewalSummary.describe('the renewal as it now stands'),
      ...errors({ 404: '`order_not_found`, or `renewal_not_found` (no renewal yet)', 409: '`renewal_closed`: lost or gone', 429: 'rate_limited' }),
    },
  },
  'GET /stop/:token': {
    tags: ['public'],
    summary: 'The page of the link "stop contacting me" in emails: a button that confirms it (nothing is recorded by opening it).',
    params: tokenParam,
    querystring: stopQuery,
    response: { 200: htmlPage('the question, in `lang`'), ...errors() },
  },
  'POST /stop/:token': {
    tags: ['public'],
    summary:
      'No more questions nor reminders to this order’s address, for all its orders (emails about an order and its site still come). The same answer whatever the token.',
    params: tokenParam,
    body: stopQuery,
    consumes: ['application/x-www-form-urlencoded'],
    response: { 200: htmlPage('done'), ...errors({ 429: 'rate_limited' }) },
  },
};
