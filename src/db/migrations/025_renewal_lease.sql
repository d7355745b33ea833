-- The registrar's renewal of a paid attempt is sent by one run at a time: a run holds this lease while it reads the
-- expiry and renews (domains.renew has no idempotency key). A worker frozen past its heartbeat, whose job another
-- worker was given, cannot renew a second time before the first run's call has ended or been abandoned.
alter table renewal_attempts add column registering_until timestamptz;
