-- Deadlines may be fractions of an hour (EXPRESS_HOURS=0.5): the chaos run gives its orders deadlines of minutes, so that
-- some cross 75 % of theirs (the deadline_at_risk alert) or miss it while it watches.
alter table orders alter column deadline_hours type double precision;
