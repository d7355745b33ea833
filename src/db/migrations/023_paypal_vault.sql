-- A PayPal renewal method: the vault's payment token and PayPal customer sit in payment_method_ref and customer_ref
-- (card_brand 'paypal', no last digits); the payer's email is kept masked, for display only.
alter table renewals add column payer_email_masked text;
