// The order form's consent, ticked as a customer does: the terms accepted and, for a consumer, the early-start request.
import type { Locator } from 'playwright-core';

export const CONSENT_LABELS = {
  fr: { terms: /J’ai lu et j’accepte les conditions générales de vente/, earlyStart: /Je demande que le service commence dès mon paiement/ },
  en: { terms: /I have read and accept the terms of sale/, earlyStart: /I ask for the service to start as soon as I pay/ },
} as const;

export async function tickConsent(dialog: Locator, locale: 'fr' | 'en'): Promise<void> {
  await dialog.getByRole('checkbox', { name: CONSENT_LABELS[locale].terms }).check();
  await dialog.getByRole('checkbox', { name: CONSENT_LABELS[locale].earlyStart }).check();
}
