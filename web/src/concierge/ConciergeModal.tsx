// The ConciergeModal: business → domain → holder → delivery → payment → live progress, as one accessible dialog.
import { type BillingDraft, billingOf, emptyBilling } from './BillingFields.tsx';
import { useEffect, useRef, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { usePrices } from '../prices.ts';
import {
  ApiError,
  NetworkError,
  api,
  newIdempotencyKey,
  type DomainRefused,
  type ConciergeRequest,
  type Money,
  type PaymentProvider,
  type Tier,
} from '../api.ts';
import { rememberOrder } from '../order-memory.ts';
import { BusinessStep, type BusinessForm } from './BusinessStep.tsx';
import { DomainStep, normalizeDomain, type DomainChoice, type DomainCheckState } from './DomainStep.tsx';
import { DeliveryStep } from './DeliveryStep.tsx';
import { EMPTY_HOLDER, HolderStep, holderBody, type HolderForm } from './HolderStep.tsx';
import { PaymentStep, type ContentState } from './PaymentStep.tsx';
import { uploadArchive } from './siteArchive.ts';
import { LiveProgress } from '../progress/LiveProgress.tsx';
import { NO_CONSENT, consentProblem, useLegalInfo, type ConsentState } from '../legal/Consent.tsx';

export type ProgressNotice = 'return' | 'cancel' | 'unavailable';
export type FormStep = 'business' | 'domain' | 'holder' | 'delivery' | 'payment';
const STEPS: FormStep[] = ['business', 'domain', 'holder', 'delivery', 'payment'];

/** Which step shows the API's complaint about a body field. */
const FIELD_STEP: Record<string, FormStep> = {
  businessName: 'business',
  email: 'business',
  city: 'business',
  domain: 'domain',
  tier: 'delivery',
  paymentProvider: 'payment',
  locale: 'payment',
  acceptTerms: 'payment',
  termsVersion: 'payment',
  customerType: 'payment',
  earlyStart: 'payment',
};
const stepOfField = (field: string): FormStep | undefined => (field.startsWith('holder.') ? 'holder' : FIELD_STEP[field]);

export type FieldErrors = Partial<Record<string, string>>;

/** What the person typed, kept for the session so that closing the dialog by mistake loses nothing. */
interface Draft {
  business: BusinessForm;
  domainInput: string;
  holder: HolderForm;
  tier: Tier;
  provider: PaymentProvider;
}
const DRAFT_KEY = 'conciergerie.draft';

function loadDraft(): Draft {
  const empty: Draft = { business: { businessName: '', email: '', city: '' }, domainInput: '', holder: EMPTY_HOLDER, tier: 'express', provider: 'stripe' };
  try {
    const d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as Partial<Draft> | null;
    if (!d) return empty;
    return {
      business: { ...empty.business, ...d.business },
      domainInput: typeof d.domainInput === 'string' ? d.domainInput : '',
      holder: { ...empty.holder, ...d.holder, type: d.holder?.type === 'organization' ? 'organization' : 'individual' },
      tier: d.tier === 'standard' ? 'standard' : 'express',
      provider: d.provider === 'paypal' ? 'paypal' : 'stripe',
    };
  } catch {
    return empty;
  }
}

function saveDraft(d: Draft | null): void {
  try {
    if (d) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // not kept: nothing worse than retyping
  }
}

export function ConciergeModal({ token: initialToken, notice, onClose }: { token?: string; notice?: ProgressNotice; onClose(): void }) {
  const { t, locale } = useLocale();
  const { prices } = usePrices();
  const [step, setStep] = useState<FormStep | 'progress'>(initialToken ? 'progress' : 'business');
  const [token, setToken] = useState<string | undefined>(initialToken);
  const [draft] = useState(loadDraft);
  const [business, setBusiness] = useState<BusinessForm>(draft.business);
  const [domainInput, setDomainInput] = useState(draft.domainInput);
  const [check, setCheck] = useState<DomainCheckState>({ status: 'idle' });
  const [choice, setChoice] = useState<DomainChoice | null>(null);
  const [holder, setHolder] = useState<HolderForm>(draft.holder);
  const [tier, setTier] = useState<Tier>(draft.tier);
  const [provider, setProvider] = useState<PaymentProvider>(draft.provider);
  const [autoRenew, setAutoRenew] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState<'idle' | 'sending' | 'uploading' | 'redirecting'>('idle');
  const [content, setContent] = useState<ContentState>({ choice: 'editor', file: null, progress: null, error: null, refused: false });
  const [billing, setBilling] = useState<BillingDraft>(emptyBilling);
  // the terms accepted and a consumer's early-start request: ticked anew for each order, never remembered
  const [consentChoice, setConsent] = useState<ConsentState>(NO_CONSENT);
  // who orders follows from the identity invoiced (another one given, else the domain's holder): an organisation or a
  // VAT number orders as a business, as the server decides it
  const invoiced = billingOf(billing);
  const asBusiness = invoiced ? invoiced.type === 'organization' || Boolean(invoiced.vatNumber) : holder.type === 'organization';
  const consent: ConsentState = { ...consentChoice, customerType: asBusiness ? 'business' : 'consumer' };
  const [consentError, setConsentError] = useState<string | null>(null);
  const legal = useLegalInfo();
  // one idempotency key per submission attempt: the same body sent again (a retry) reuses it
  const attempt = useRef<{ key: string; body: string } | null>(null);

  useEffect(() => {
    if (initialToken) {
      setToken(initialToken);
      setStep('progress');
    }
  }, [initialToken]);

  useEffect(() => {
    if (step !== 'progress') saveDraft({ business, domainInput, holder, tier, provider });
  }, [step, business, domainInput, holder, tier, provider]);

  const go = (next: FormStep) => {
    setGeneral(null);
    setStep(next);
  };

  const submit = async () => {
    if (!choice) {
      setErrors({ domain: t.domain.pickOne });
      go('domain');
      return;
    }
    const missing = consentProblem(consent, locale);
    if (missing) {
      setConsentError(missing);
      return;
    }
    const tld = choice.domain.slice(choice.domain.indexOf('.') + 1);
    const body: ConciergeRequest = {
      holder: holderBody(holder, prices?.tlds.find((x) => x.tld === tld)?.holder) as ConciergeRequest['holder'],
      acceptTerms: true,
      ...(legal.info ? { termsVersion: legal.info.terms.version } : {}),
      customerType: consent.customerType,
      ...(consent.customerType === 'consumer' ? { earlyStart: true } : {}),
      businessName: business.businessName.trim(),
      email: business.email.trim(),
      domain: choice.domain,
      tier,
      locale,
      paymentProvider: provider,
      autoRenew,
      ...(business.city.trim() ? { city: business.city.trim() } : {}),
      ...(choice.requestedDomain ? { requestedDomain: choice.requestedDomain } : {}),
      ...(invoiced ? { billing: invoiced } : {}),
    };
    if (content.choice === 'archive' && !content.file) {
      setContent({ ...content, error: t.siteContent.chooseFile, refused: false });
      return;
    }
    const serialized = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== serialized) attempt.current = { key: newIdempotencyKey(), body: serialized };
    setSubmitting('sending');
    setGeneral(null);
    try {
      // the same body and key again (after a refused archive) answers the order already made
      const created = await api.request(body, attempt.current.key);
      rememberOrder({ token: created.trackingToken, domain: created.domain });
      if (content.choice === 'archive' && content.file) {
        // the site before the payment: a refused archive is said here, with the server's reason, and nothing is paid yet
        setSubmitting('uploading');
        setContent((c) => ({ ...c, progress: 0, error: null, refused: false }));
        try {
          await uploadArchive(created.trackingToken, content.file, locale, (p) => setContent((c) => ({ ...c, progress: p })));
        } catch (err) {
          setSubmitting('idle');
          const refused = err instanceof ApiError;
          setContent((c) => ({ ...c, progress: null, error: refused ? err.message : t.siteContent.offline, refused }));
          return;
        }
      }
      saveDraft(null);
      // coming back with the browser's Back button lands on the live progress, not an empty form
      history.replaceState(null, '', `/?order=${encodeURIComponent(created.trackingToken)}`);
      setSubmitting('redirecting');
      window.location.assign(created.paymentUrl);
    } catch (err) {
      setSubmitting('idle');
      if (err instanceof NetworkError) {
        setGeneral(t.payment.offline);
        return;
      }
      if (!(err instanceof ApiError)) throw err;
      attempt.current = null; // the server answered: a corrected request is a new attempt
      if (err.status === 409) {
        // a refused name comes back with its alternatives (the contract's 409 for this route)
        const alternatives = (err.body as Partial<DomainRefused>).alternatives ?? [];
        setChoice(null);
        setDomainInput(choice.unicode);
        setCheck({ status: 'taken', input: normalizeDomain(choice.unicode), domain: choice.unicode, alternatives, message: err.message });
        setErrors({});
        go('domain');
        return;
      }
      if (err.fields.length) {
        const next: FieldErrors = {};
        for (const f of err.fields) next[f.field] ??= f.message;
        setErrors(next);
        const first = STEPS.find((s) => err.fields.some((f) => stepOfField(f.field) === s));
        if (first && first !== 'payment') go(first);
        else setGeneral(err.message);
        return;
      }
      if (/^requested_domain_/.test(err.code)) {
        // the name first asked for is free after all (or unusable): back to it, checked afresh
        setChoice(null);
        setDomainInput(choice.requestedDomain ?? choice.unicode);
        setCheck({ status: 'idle' });
        setErrors({ domain: err.message });
        go('domain');
        return;
      }
      if (/^(domain|tld|idn|label)_/.test(err.code)) {
        setErrors({ domain: err.message });
        setChoice(null);
        go('domain');
        return;
      }
      if (err.code === 'terms_version_outdated') {
        // the terms changed while the form was open: the new version is shown, to be read and accepted again
        legal.reload();
        setConsent({ ...consent, acceptTerms: false });
        setConsentError(err.message);
        return;
      }
      if (/^(terms_|early_start)/.test(err.code)) {
        setConsentError(err.message);
        return;
      }
      if (/^email/.test(err.code)) {
        setErrors({ email: err.message });
        go('business');
        return;
      }
      setGeneral(err.message);
    }
  };

  const formIndex = step === 'progress' ? -1 : STEPS.indexOf(step);
  const title = step === 'progress' ? t.progress.title : t.modal.title;
  const subtitle = step === 'progress' ? undefined : `${t.modal.stepOf(formIndex + 1, STEPS.length)} · ${t.modal.steps[step]}`;

  return (
    <Dialog title={title} subtitle={subtitle} onClose={onClose} closeLabel={t.modal.close} className="concierge">
      {step !== 'progress' && (
        <ol className="stepper" aria-label={t.modal.title}>
          {STEPS.map((s, i) => (
            <li key={s} className={i < formIndex ? 'done' : i === formIndex ? 'current' : ''} aria-current={i === formIndex ? 'step' : undefined}>
              <span className="stepper-dot" aria-hidden="true">
                {i + 1}
              </span>
              <span className="stepper-label">{t.modal.steps[s]}</span>
            </li>
          ))}
        </ol>
      )}
      {step === 'business' && (
        <BusinessStep
          value={business}
          errors={errors}
          onChange={(v, field) => {
            setBusiness(v);
            if (errors[field]) setErrors({ ...errors, [field]: undefined });
            // the alternatives are built from the business name and the city: check again with the new ones
            if ((field === 'businessName' || field === 'city') && check.status === 'taken') setCheck({ status: 'idle' });
          }}
          onErrors={setErrors}
          onNext={() => go('domain')}
        />
      )}
      {step === 'domain' && (
        <DomainStep
          business={business}
          input={domainInput}
          onInput={setDomainInput}
          check={check}
          onCheck={setCheck}
          choice={choice}
          onChoice={(c) => {
            setChoice(c);
            if (c && errors.domain) setErrors({ ...errors, domain: undefined });
          }}
          error={errors.domain ?? null}
          onError={(m) => setErrors({ ...errors, domain: m ?? undefined })}
          prices={prices}
          onBack={() => go('business')}
          onNext={() => go('holder')}
        />
      )}
      {step === 'holder' && choice && (
        <HolderStep
          value={holder}
          onChange={(v, field) => {
            setHolder(v);
            const key = field === 'type' ? undefined : `holder.${field}`;
            // the kind of holder or the country decides what is asked: the API's complaints about them are void
            if (field === 'type' || field === 'country') setErrors({});
            else if (key && errors[key]) setErrors({ ...errors, [key]: undefined });
          }}
          errors={errors}
          onErrors={setErrors}
          domain={choice}
          prices={prices}
          onOtherTld={(tld) => {
            const mine = choice.domain.slice(choice.domain.indexOf('.') + 1);
            const label = choice.unicode.slice(0, choice.unicode.length - mine.length - 1);
            setChoice(null);
            setDomainInput(`${label}.${tld}`);
            setCheck({ status: 'idle' });
            setErrors({});
            go('domain');
          }}
          onBack={() => go('domain')}
          onNext={() => go('delivery')}
        />
      )}
      {step === 'delivery' && choice && (
        <DeliveryStep prices={prices} domainPrice={choice.price} tier={tier} onTier={setTier} onBack={() => go('holder')} onNext={() => go('payment')} />
      )}
      {step === 'payment' && choice && (
        <PaymentStep
          prices={prices}
          domain={choice}
          tier={tier}
          provider={provider}
          onProvider={setProvider}
          autoRenew={autoRenew}
          onAutoRenew={setAutoRenew}
          submitting={submitting}
          error={general ?? errors.paymentProvider ?? null}
          content={content}
          onContent={setContent}
          billing={billing}
          onBilling={setBilling}
          onBack={() => go('delivery')}
          onPay={submit}
          consent={consent}
          onConsent={(c) => {
            setConsent(c);
            setConsentError(null);
          }}
          termsVersion={legal.info?.terms.version ?? null}
          consentProblem={consentError}
        />
      )}
      {step === 'progress' && token && <LiveProgress token={token} notice={notice} inModal />}
    </Dialog>
  );
}

export type { Money };
