// The PayPal vault's wire format and display, without a network: the vault attributes the first order sends (as
// checkout_orders_v2.json types them), and how a saved PayPal is shown (never its token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vaultAttributes } from '../../src/providers/payments/paypal/vault.ts';
import { maskEmail, methodLabel, shownMethodOf } from '../../src/domain/payment-method.ts';

test('the first order asks to vault on success, for the merchant, one token per order, with a short description', () => {
  for (const locale of ['fr', 'en'] as const) {
    const { vault } = vaultAttributes({ locale });
    assert.equal(vault.store_in_vault, 'ON_SUCCESS');
    assert.equal(vault.usage_type, 'MERCHANT');
    assert.equal(vault.customer_type, 'CONSUMER');
    assert.equal(vault.usage_pattern, 'RECURRING_PREPAID');
    assert.equal(vault.permit_multiple_payment_tokens, true);
    // vault_paypal_wallet_base.description: 1 to 128 characters; the v3 schema's pattern allows no accents
    assert.ok(vault.description.length >= 1 && vault.description.length <= 128);
    assert.match(vault.description, /^[a-zA-Z0-9_'\-., :;!?"]*$/);
  }
  assert.notEqual(vaultAttributes({ locale: 'fr' }).vault.description, vaultAttributes({ locale: 'en' }).vault.description);
});

test('a payer’s email is masked: first and last letters of the name, the domain kept', () => {
  assert.equal(maskEmail('buyer@sandbox.paypal.example'), 'b•••r@sandbox.paypal.example');
  assert.equal(maskEmail('camille.dupont@example.org'), 'c•••t@example.org');
  assert.equal(maskEmail('ab@example.org'), 'a•••@example.org');
  assert.equal(maskEmail('not-an-email'), '•••');
});

test('a saved method is shown by brand and digits, or as PayPal and the masked email; never a reference', () => {
  const paypal = { card_brand: 'paypal', card_last4: null, payer_email_masked: 'b•••r@sandbox.paypal.example', payment_method_ref: '8kk8451t' };
  const shown = shownMethodOf(paypal);
  assert.deepEqual(shown, { brand: 'paypal', payerEmail: 'b•••r@sandbox.paypal.example' });
  assert.equal(methodLabel(shown!), 'PayPal (b•••r@sandbox.paypal.example)');
  assert.ok(!JSON.stringify(shown).includes('8kk8451t'));
  assert.deepEqual(shownMethodOf({ card_brand: 'visa', card_last4: '4242' }), { brand: 'visa', last4: '4242' });
  assert.equal(methodLabel({ brand: 'visa', last4: '4242' }), 'visa •••• 4242');
  assert.equal(shownMethodOf({ card_brand: null, card_last4: null }), null);
});
