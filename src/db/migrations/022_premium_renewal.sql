-- A premium name renews at its registry's premium price, not at its first-year price: per order, what the registrar
-- quoted for it (US cents, domains.check's PremiumRenewalPrice and PremiumRestorePrice), and the domain's renewal in
-- our currency as the customer was told it (the registrar's price converted with the margin; null before this
-- migration: the domain line of the first year, as before).
alter table orders
  add column premium_renewal_usd_cents integer check (premium_renewal_usd_cents >= 0),
  add column premium_restore_usd_cents integer check (premium_restore_usd_cents >= 0),
  add column renewal_domain_cents integer check (renewal_domain_cents >= 0);

-- What a renewal charges: its invoice's total including VAT (the VAT case of the order's buyer: reverse charge takes the
-- French VAT out of a VAT-inclusive list price), the figure the space and the reminders show. Null: the list price.
alter table renewals add column charge_cents integer check (charge_cents >= 0);
alter table renewal_attempts add column charge_cents integer check (charge_cents >= 0);

