-- A payment link paid by a delayed method (SEPA Debit) is `processing` until the money arrives (then `paid`), or
-- `failed` when the bank refuses it (the order then waits for a payment on a fresh link).
alter table payment_links drop constraint if exists payment_links_state_check;
alter table payment_links add constraint payment_links_state_check
  check (state in ('creating', 'open', 'processing', 'paid', 'failed', 'expired', 'superseded'));
