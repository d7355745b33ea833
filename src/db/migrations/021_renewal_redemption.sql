-- A renewal paid after the registrar's own grace period restores the name from redemption, at the registrar's
-- reactivation price: the attempt is repriced once, before its link goes, and keeps that price (US cents) here.
alter table renewal_attempts add column redemption_usd_cents integer check (redemption_usd_cents >= 0);
