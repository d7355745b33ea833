// Is this name free, at what price, and if not which close names are: first pass (RDAP, whois), registrar confirmation, alternatives in a time budget.
import { getPublicSuffix } from 'tldts';
import { ProviderError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { alternativeCandidates } from '../../domain/alternatives.ts';
import { toUnicode, type DomainName } from '../../domain/domain-name.ts';
import { fromUsd, type ExchangeRate } from '../../domain/money.ts';
import { idnOf } from '../../domain/tld-rules.ts';
import type { CallPriority, RegistrarCheck } from '../registrar/index.ts';
import type { CheckWish } from '../registrar/coalescer.ts';
import { FirstPassCache } from './answer-cache.ts';
import { LookupGate, type LookupPriority } from './lookup-gate.ts';
import type { AvailabilityAnswer, AvailabilitySource, AvailabilitySourceName } from './index.ts';

/** The registrar's word on names: coalesced across requests and processes (CheckCoalescer), or asked directly (tests). */
export interface Confirmations {
  readonly name: string;
  /** an answer per name, undefined where none came within the wish's wait */
  check(domains: string[], wish: CheckWish): Promise<Map<string, RegistrarCheck | undefined>>;
}

export interface Price {
  amountCents: number;
  currency: string;
  premium: boolean;
  /** a premium name's yearly renewal, converted like its first year */
  renewal?: PremiumRenewal;
}

/** A premium name's renewal in our currency, and as the registrar quoted it (US cents) with its restore. */
export interface PremiumRenewal {
  amountCents: number;
  usdCents: number;
  restoreUsdCents: number | null;
}

/** The registrar's word on one name, priced. */
export interface ConfirmedName {
  domain: string;
  available: boolean;
  premium: boolean;
  /** first-year price: the premium price for a premium name, else the catalogue price */
  priceCents: number;
  currency: string;
  refusedReason?: 'premium_too_expensive';
  renewal?: PremiumRenewal;
  /** the registrar did not answer for this name (Namecheap per-domain error); not the same as "taken" */
  errorCode?: string;
}

export interface PricedAlternative {
  domain: string;
  /** as people read it */
  unicode: string;
  available: true;
  price: Price;
  /** false: only the first pass said it is free */
  confirmed: boolean;
}

/** An alternatives search's answer: the free names, and how many candidates it could not get an answer for. */
export interface AlternativesSearch {
  offered: PricedAlternative[];
  /** candidates no source answered for, or the budget (or the caller's signal) left unchecked; 0: the answer is definite */
  unanswered: number;
}

export interface DomainCheck {
  domain: string;
  available: boolean;
  /** who answered: the first pass, or the registrar when no first-pass source could */
  source: AvailabilitySourceName;
  /** the registrar confirmed the answer (false: its budget is spent for now, or it did not answer: RDAP or whois decided) */
  confirmed: boolean;
  price?: Price;
  refusedReason?: 'premium_too_expensive';
  alternatives?: PricedAlternative[];
}

export interface DomainCheckerOptions {
  /** first-pass sources in fallback order, e.g. [rdap, whois] */
  sources: AvailabilitySource[];
  /** confirms first-pass answers and prices premium names; the last resort when no source answers */
  confirmations?: Confirmations;
  /** how long a customer's check waits for the registrar's word before RDAP's or whois's stands, unconfirmed */
  confirmWaitMs?: number;
  /** tld → first-year price in cents (the catalogue) */
  prices: Record<string, number>;
  currency: string;
  /** our currency against the registrar's: its premium prices are converted before anything else */
  exchange?: ExchangeRate;
  /** premium names dearer than this (in our currency, fees included) are refused; 0 refuses them all */
  premiumMaxCents: number;
  /** first-pass checks in flight at once while looking for alternatives */
  concurrency: number;
  /** the whole alternatives search, first pass and registrar batch together */
  budgetMs: number;
  /** one source's or the registrar's answer to one call */
  timeoutMs: number;
  /** first-pass answers kept this long for every check of the process, lookups in flight shared (unset or 0: none kept) */
  cacheSeconds?: number;
  /** first-pass lookups this process makes at once, customers' names before alternatives (unset: no bound) */
  lookupsInFlight?: number;
  logger?: Logger;
  /** offer at least this many alternatives when they exist (default 5) */
  minAlternatives?: number;
  /** and at most this many (default 10) */
  maxAlternatives?: number;
}

/** What alternatives are made from; `tlds` restricts them (to those the order's holder may hold). */
export interface AlternativesContext {
  businessName: string;
  city?: string;
  tlds?: string[];
}

/** Namecheap's domains.check takes at most 50 names per call. */
export const REGISTRAR_BATCH_MAX = 50;

/** The registrar asked directly, batch by batch, without coalescing or cache (tests; tools without a database). */
export function directConfirmations(registrar: { name: string; check(domains: string[], signal?: AbortSignal): Promise<RegistrarCheck[]> }): Confirmations {
  return {
    name: registrar.name,
    async check(domains, wish) {
      const out = new Map<string, RegistrarCheck | undefined>();
      const signal = withTimeout(wish.waitMs, wish.signal);
      for (let i = 0; i < domains.length; i += REGISTRAR_BATCH_MAX) {
        const answers = await registrar.check(domains.slice(i, i + REGISTRAR_BATCH_MAX), signal).catch(() => []);
        for (const a of answers) out.set(a.domain.toLowerCase(), a);
      }
      return out;
    },
  };
}
/** Share of the alternatives budget for the first pass; the rest is kept for the registrar's batch. */
const FIRST_PASS_SHARE = 0.75;
/**
 * Look for twice as many free names as we want to offer: the registrar refuses some that RDAP and
 * whois call free (reserved, premium too dear), and a second round costs a second registrar call.
 */
const FIRST_PASS_OVERSHOOT = 2;

type Verdict = 'free' | 'taken' | 'unknown';

/** One question put to a first-pass source (RDAP or whois), as monitoring counts provider calls. */
export interface SourceLookup {
  provider: AvailabilitySourceName;
  operation: 'lookup';
  /** an answer, "free" or "taken", is ok; a source that could not answer failed, retryably or not */
  outcome: 'ok' | 'retryable_error' | 'error';
  errorCode: string | null;
  seconds: number;
}

/** How a customer's check is answered: `answerMs`, the whole answer's budget, name and alternatives together. */
export interface CheckOptions {
  answerMs?: number;
  /** the asked name may be answered from the shared first-pass answers (a customer's check; an order asks afresh) */
  cached?: boolean;
}

export class DomainChecker {
  private readonly log?: Logger;
  private onLookup?: (lookup: SourceLookup) => void;
  /** the first pass's shared answers (undefined: every check asks for itself) */
  readonly cache?: FirstPassCache;
  /** the bound on lookups in flight (undefined: none) */
  readonly gate?: LookupGate;

  constructor(private readonly opts: DomainCheckerOptions) {
    this.log = opts.logger;
    if (opts.cacheSeconds) this.cache = new FirstPassCache(opts.cacheSeconds * 1000);
    if (opts.lookupsInFlight) this.gate = new LookupGate(opts.lookupsInFlight);
  }

  /** Monitoring hears of every first-pass lookup (the checker is built before metrics exist, hence not an option). */
  observeLookups(fn: (lookup: SourceLookup) => void): void {
    this.onLookup = fn;
  }

  /**
   * Ask each source that knows the TLD, in order, a failing one handing over to the next: through the cache when
   * kept and not `fresh` (a shared lookup stops when nobody waits for it), and the gate when bounded (`priority`:
   * whose turn first; `rank`, an alternative's place in its search).
   */
  firstPass(domain: string, signal?: AbortSignal, priority: LookupPriority = 'name', fresh = false, rank = 0): Promise<AvailabilityAnswer> {
    const gated = (s?: AbortSignal) => (this.gate ? this.gate.run(priority, domain, () => this.lookup(domain, s), s, rank) : this.lookup(domain, s));
    return this.cache && !fresh ? this.cache.get(domain, gated, signal) : gated(signal);
  }

  private async lookup(domain: string, signal?: AbortSignal): Promise<AvailabilityAnswer> {
    const tld = suffixOf(domain);
    const failures: string[] = [];
    for (const source of this.opts.sources) {
      if (!source.supports(tld)) continue;
      if (signal?.aborted) break;
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const answer = await source.check(domain, withTimeout(this.opts.timeoutMs, signal));
        this.onLookup?.({ provider: source.name, operation: 'lookup', outcome: 'ok', errorCode: null, seconds: seconds() });
        return answer;
      } catch (err) {
        // a lookup our own budget cut short (the alternatives search is over) is no failure of the source
        if (!signal?.aborted) {
          const retryable = !(err instanceof ProviderError) || err.retryable;
          const errorCode = err instanceof ProviderError ? err.code : (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'exception';
          this.onLookup?.({ provider: source.name, operation: 'lookup', outcome: retryable ? 'retryable_error' : 'error', errorCode, seconds: seconds() });
        }
        failures.push((err as Error).message);
        this.log?.debug({ event: 'availability_source_failed', domain, source: source.name, err }, 'availability source failed');
      }
    }
    const why = failures.length ? failures.join('; ') : `no source answers for .${tld}`;
    throw new ProviderError('availability', 'availability_unknown', `${domain}: ${why}`, true);
  }

  /**
   * The registrar's word on these names, priced, premium names over the limit refused: coalesced with every other
   * asker's, at `priority`, waiting at most `waitMs`. A name it did not answer in time comes back with errorCode
   * `no_answer` (not the same as taken).
   */
  async confirm(
    domains: string[],
    priority: CallPriority,
    waitMs = this.opts.confirmWaitMs ?? this.opts.timeoutMs,
    signal?: AbortSignal,
  ): Promise<ConfirmedName[]> {
    const confirmations = this.opts.confirmations;
    if (!confirmations) throw new ProviderError('availability', 'no_registrar', 'no registrar to confirm with', false);
    const answers = await confirmations.check(domains, { priority, waitMs, signal });
    return domains.map((domain) => this.priced(domain, answers.get(domain.toLowerCase())));
  }

  /**
   * The whole answer for the name a customer asked for: free and priced, or taken with alternatives. With `answerMs`
   * every wait (first pass, registrar, alternatives) ends by then: what is not known by then is marked unconfirmed or
   * left out, never guessed.
   */
  async check(name: DomainName, ctx: AlternativesContext, opts: CheckOptions = {}): Promise<DomainCheck> {
    const started = Date.now();
    const answerBy = opts.answerMs === undefined ? undefined : AbortSignal.timeout(opts.answerMs);
    /** a wait of at most `ms`, cut to what is left of the answer's budget */
    const left = (ms: number) => (opts.answerMs === undefined ? ms : Math.max(0, Math.min(ms, opts.answerMs - (Date.now() - started))));
    let first: AvailabilityAnswer | undefined;
    try {
      first = await this.firstPass(name.ascii, answerBy, 'name', !opts.cached);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.log?.warn({ event: 'availability_first_pass_failed', domain: name.ascii, err }, 'no first-pass source answered');
    }
    if (first && !first.available) return this.taken(name, ctx, first.source, left(this.opts.budgetMs));

    let confirmed: ConfirmedName | undefined;
    if (this.opts.confirmations) [confirmed] = await this.confirm([name.ascii], 'confirm', left(this.opts.confirmWaitMs ?? this.opts.timeoutMs));
    if (!confirmed || confirmed.errorCode) {
      // Nobody could confirm: the first pass's "free" stands, at the catalogue price, unconfirmed (the purchase asks again).
      if (!first) throw new ProviderError('availability', 'availability_unknown', `${name.ascii}: no source answered`, true);
      return { domain: name.ascii, available: true, source: first.source, confirmed: false, price: this.catalogue(name.ascii) };
    }

    const source = first?.source ?? 'registrar';
    if (!confirmed.available) return this.taken(name, ctx, source, left(this.opts.budgetMs), confirmed.refusedReason);
    return {
      domain: name.ascii,
      available: true,
      source,
      confirmed: true,
      price: {
        amountCents: confirmed.priceCents,
        currency: confirmed.currency,
        premium: confirmed.premium,
        ...(confirmed.renewal ? { renewal: confirmed.renewal } : {}),
      },
    };
  }

  /** Available names close to `name`, best first (searchAlternatives without saying whether the answer is definite). */
  async alternatives(name: DomainName, ctx: AlternativesContext, signal?: AbortSignal): Promise<PricedAlternative[]> {
    return (await this.searchAlternatives(name, ctx, signal)).offered;
  }

  /**
   * Available names close to `name`, best first. Candidates are checked in rank order, `concurrency`
   * at a time, until enough are free or the budget is spent (slow checks are abandoned through the
   * signal); then the free ones, and those no source could answer for, go to the registrar in one batch.
   * `unanswered` counts the candidates nobody answered for, and those the budget left unchecked: an empty
   * `offered` means "no free name" only when it is 0.
   */
  async searchAlternatives(name: DomainName, ctx: AlternativesContext, signal?: AbortSignal, budgetMs = this.opts.budgetMs): Promise<AlternativesSearch> {
    const started = Date.now();
    const min = this.opts.minAlternatives ?? 5;
    const max = this.opts.maxAlternatives ?? 10;
    // an accented name is offered only under the TLDs that sell it so
    const candidates = alternativeCandidates(name, { ...ctx, tlds: ctx.tlds ?? Object.keys(this.opts.prices) })
      .map((c) => c.domain)
      .filter((d) => idnOf(toUnicode(d.slice(0, d.indexOf('.'))), suffixOf(d)).allowed);
    const budget = withTimeout(budgetMs, signal);
    const firstPassBudget = withTimeout(Math.floor(budgetMs * FIRST_PASS_SHARE), budget);

    const found: PricedAlternative[] = [];
    const counts = { checked: 0, free: 0, unknown: 0, registrarCalls: 0, unanswered: 0 };
    let cursor = 0;
    while (found.length < min && cursor < candidates.length && !firstPassBudget.aborted) {
      const round = await this.firstPassRound(candidates, cursor, (min - found.length) * FIRST_PASS_OVERSHOOT, firstPassBudget);
      // names the round started but the budget stopped before they were asked count as unchecked
      counts.unanswered += round.next - cursor - round.verdicts.size;
      cursor = round.next;
      const verdicts = [...round.verdicts];
      counts.checked += verdicts.length;
      counts.free += verdicts.filter(([, v]) => v === 'free').length;
      counts.unknown += verdicts.filter(([, v]) => v === 'unknown').length;
      // the registrar is also the last resort for names no first-pass source could answer for
      const nonTaken = verdicts.filter(([, v]) => v !== 'taken').map(([d]) => d);
      const batch = nonTaken.slice(0, REGISTRAR_BATCH_MAX);
      counts.unanswered += nonTaken.length - batch.length;
      if (batch.length === 0) continue;
      if (this.opts.confirmations) counts.registrarCalls++;
      const answer = await this.offer(batch, round.verdicts, budget, Math.max(0, budgetMs - (Date.now() - started)));
      found.push(...answer.offered);
      counts.unanswered += answer.unanswered;
    }
    // the search stopped short of enough names with candidates left: those were never asked
    if (found.length < min) counts.unanswered += candidates.length - cursor;

    const offered = found.slice(0, max);
    this.log?.info(
      { event: 'alternatives_checked', domain: name.ascii, candidates: candidates.length, ...counts, offered: offered.length, ms: Date.now() - started },
      'alternatives checked',
    );
    return { offered, unanswered: counts.unanswered };
  }

  private async taken(
    name: DomainName,
    ctx: AlternativesContext,
    source: AvailabilitySourceName,
    budgetMs: number,
    refusedReason?: 'premium_too_expensive',
  ): Promise<DomainCheck> {
    const { offered: alternatives } = await this.searchAlternatives(name, ctx, undefined, budgetMs);
    return { domain: name.ascii, available: false, source, confirmed: true, ...(refusedReason ? { refusedReason } : {}), alternatives };
  }

  /** First-pass checks from `start` in rank order, until `wanted` are free, the list ends or the signal fires. */
  private async firstPassRound(domains: string[], start: number, wanted: number, signal: AbortSignal) {
    // Map keeps insertion order; sorting by position keeps rank order whatever order answers came in.
    const answers = new Map<string, Verdict>();
    let cursor = start;
    let free = 0;
    const worker = async () => {
      while (cursor < domains.length && free < wanted && !signal.aborted) {
        const rank = cursor++;
        const domain = domains[rank];
        try {
          const answer = await this.firstPass(domain, signal, 'alternative', false, rank);
          answers.set(domain, answer.available ? 'free' : 'taken');
          if (answer.available) free++;
        } catch {
          answers.set(domain, 'unknown');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.opts.concurrency) }, worker));
    const verdicts = new Map(
      domains
        .slice(start, cursor)
        .filter((d) => answers.has(d))
        .map((d) => [d, answers.get(d)!] as const),
    );
    return { verdicts, next: cursor };
  }

  /**
   * Confirm and price a batch with the registrar (at the lowest priority, within what is left of the search's
   * budget); the names it did not answer for are offered on the first pass's word, unconfirmed. `unanswered`: the
   * names in the batch neither the first pass nor the registrar gave an answer for.
   */
  private async offer(
    batch: string[],
    verdicts: Map<string, Verdict>,
    signal: AbortSignal,
    waitMs: number,
  ): Promise<{ offered: PricedAlternative[]; unanswered: number }> {
    const firstPassFree = (domain: string): PricedAlternative => ({
      domain,
      unicode: toUnicode(domain),
      available: true,
      price: this.catalogue(domain),
      confirmed: false,
    });
    if (!this.opts.confirmations) {
      return {
        offered: batch.filter((d) => verdicts.get(d) === 'free').map(firstPassFree),
        unanswered: batch.filter((d) => verdicts.get(d) === 'unknown').length,
      };
    }
    const confirmed = await this.confirm(batch, 'alternatives', waitMs, signal);
    let unanswered = 0;
    const offered = confirmed.flatMap((c) => {
      if (c.errorCode === 'no_answer') {
        if (verdicts.get(c.domain) === 'free') return [firstPassFree(c.domain)];
        unanswered++;
        return [];
      }
      // a per-name registrar error is no answer either (the registrar has the last word)
      if (c.errorCode && c.errorCode !== 'tld_not_priced') unanswered++;
      if (!c.available) return [];
      const price = { amountCents: c.priceCents, currency: c.currency, premium: c.premium };
      return [{ domain: c.domain, unicode: toUnicode(c.domain), available: true as const, price, confirmed: true }];
    });
    return { offered, unanswered };
  }

  private priced(domain: string, answer: RegistrarCheck | undefined): ConfirmedName {
    const currency = this.opts.currency;
    const catalogueCents = this.opts.prices[suffixOf(domain)];
    const base = { domain, premium: answer?.premium ?? false, currency };
    if (!answer) return { ...base, available: false, priceCents: catalogueCents ?? 0, errorCode: 'no_answer' };
    if (answer.errorCode === 'no_answer') return { ...base, available: false, priceCents: catalogueCents ?? 0, errorCode: 'no_answer' };
    if (answer.errorCode) return { ...base, available: false, priceCents: catalogueCents ?? 0, errorCode: answer.errorCode };
    if (!answer.available) return { ...base, available: false, priceCents: catalogueCents ?? 0 };
    if (answer.premium) {
      // the registrar quotes in its currency (Namecheap: US dollars): converted with the operator's rate and margin,
      // the early-access fee included, before it is compared with our limit or shown
      const quoted = answer.premiumPriceCents === undefined ? undefined : answer.premiumPriceCents + (answer.eapFeeCents ?? 0);
      const local = quoted === undefined || !this.opts.exchange ? undefined : fromUsd({ cents: quoted, currency: answer.currency }, this.opts.exchange);
      // a premium name without a quoted price, or one we cannot convert, cannot be sold at a price we can show
      if (!local || local.currency !== currency || local.cents > this.opts.premiumMaxCents) {
        return { ...base, available: false, priceCents: local?.cents ?? 0, refusedReason: 'premium_too_expensive' };
      }
      return { ...base, available: true, priceCents: local.cents, ...this.premiumRenewal(answer) };
    }
    if (catalogueCents === undefined) return { ...base, available: false, priceCents: 0, errorCode: 'tld_not_priced' };
    return { ...base, available: true, priceCents: catalogueCents };
  }

  /** A premium name's renewal (domains.check's PremiumRenewalPrice) converted like its first year; none if unquoted. */
  private premiumRenewal(answer: RegistrarCheck): { renewal?: PremiumRenewal } {
    if (answer.premiumRenewalCents === undefined || !this.opts.exchange) return {};
    const local = fromUsd({ cents: answer.premiumRenewalCents, currency: answer.currency }, this.opts.exchange);
    if (!local || local.currency !== this.opts.currency) return {};
    return { renewal: { amountCents: local.cents, usdCents: answer.premiumRenewalCents, restoreUsdCents: answer.premiumRestoreCents ?? null } };
  }

  private catalogue(domain: string): Price {
    return { amountCents: this.opts.prices[suffixOf(domain)] ?? 0, currency: this.opts.currency, premium: false };
  }
}

function suffixOf(domain: string): string {
  return getPublicSuffix(domain) ?? domain.split('.').pop() ?? domain;
}

function withTimeout(ms: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
