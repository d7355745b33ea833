-- The domain's holder, the registrar's API budget shared by every process, coalesced name checks, the expiry sweep.

-- The registrant the customer gave: personal data, kept apart from the order row (selected only where it is needed:
-- the purchase, the admin's order page) and gone with the order.
create table order_holders (
  order_id   uuid primary key references orders (id) on delete cascade,
  holder     jsonb not null,
  created_at timestamptz not null default now()
);

-- Every registrar call, when and for whom, so that the calls of the last minute, hour and day can be counted by
-- every process alike (src/providers/registrar/budget.ts). Rows older than a day are of no use and are pruned.
create table registrar_calls (
  bucket   text not null,
  at       timestamptz not null default clock_timestamp(),
  priority smallint not null
);
create index registrar_calls_window on registrar_calls (bucket, at);

-- One row a budget: the lock that makes taking a call atomic, the registrar's own "slow down" (HTTP 405) and how many
-- came in a row, and until when each priority has callers waiting (a lower priority gives way to them).
create table registrar_budget (
  bucket          text primary key,
  throttled_until timestamptz,
  throttles       integer not null default 0,
  -- one entry a priority (src/providers/registrar/index.ts, CALL_PRIORITIES)
  wanted_until    timestamptz[] not null default array[null, null, null, null]::timestamptz[]
);

-- Take one call of `p_bucket` for priority `p_priority` (0 most urgent) within the limits that priority may use:
-- 0 when taken, otherwise how many milliseconds until one could be.
create function registrar_take(p_bucket text, p_priority integer, p_per_minute integer, p_per_hour integer, p_per_day integer)
returns double precision language plpgsql as $$
declare
  v_now timestamptz := clock_timestamp();
  v_row registrar_budget;
  v_min integer;
  v_hour integer;
  v_day integer;
  v_wait double precision := 0;
  v_at timestamptz;
  v_wanted timestamptz[];
  i integer;
begin
  insert into registrar_budget (bucket) values (p_bucket) on conflict (bucket) do nothing;
  select * into v_row from registrar_budget where bucket = p_bucket for update;
  if v_row.throttled_until > v_now then
    return greatest(1, extract(epoch from v_row.throttled_until - v_now) * 1000);
  end if;
  -- a more urgent caller is waiting for the budget: it goes first
  v_wanted := v_row.wanted_until;
  for i in 1 .. p_priority loop
    if v_wanted[i] > v_now then
      return greatest(50, extract(epoch from v_wanted[i] - v_now) * 1000 / 4);
    end if;
  end loop;
  select count(*) filter (where at > v_now - interval '1 minute'),
         count(*) filter (where at > v_now - interval '1 hour'),
         count(*)
    into v_min, v_hour, v_day
    from registrar_calls where bucket = p_bucket and at > v_now - interval '1 day';
  if v_min < p_per_minute and v_hour < p_per_hour and v_day < p_per_day then
    insert into registrar_calls (bucket, at, priority) values (p_bucket, v_now, p_priority);
    delete from registrar_calls where ctid in (
      select ctid from registrar_calls where bucket = p_bucket and at < v_now - interval '1 day' limit 100);
    return 0;
  end if;
  -- the window that binds frees a call when its oldest calls past the limit leave it
  if v_min >= p_per_minute then
    select at into v_at from registrar_calls where bucket = p_bucket and at > v_now - interval '1 minute' order by at offset (v_min - p_per_minute) limit 1;
    v_wait := greatest(v_wait, extract(epoch from v_at + interval '1 minute' - v_now) * 1000);
  end if;
  if v_hour >= p_per_hour then
    select at into v_at from registrar_calls where bucket = p_bucket and at > v_now - interval '1 hour' order by at offset (v_hour - p_per_hour) limit 1;
    v_wait := greatest(v_wait, extract(epoch from v_at + interval '1 hour' - v_now) * 1000);
  end if;
  if v_day >= p_per_day then
    select at into v_at from registrar_calls where bucket = p_bucket and at > v_now - interval '1 day' order by at offset (v_day - p_per_day) limit 1;
    v_wait := greatest(v_wait, extract(epoch from v_at + interval '1 day' - v_now) * 1000);
  end if;
  v_wait := greatest(v_wait, 1);
  -- say that this priority waits, until a little after it could take: lower priorities leave that call to it
  v_wanted[p_priority + 1] := greatest(coalesce(v_wanted[p_priority + 1], v_now), v_now + make_interval(secs => v_wait / 1000 + 3));
  update registrar_budget set wanted_until = v_wanted where bucket = p_bucket;
  return v_wait;
end $$;

-- The registrar answered "slow down" (HTTP 405): nobody calls for 1, 5, 15, 30, then 50 s as throttles follow each
-- other (the official SDK's delays); a throttle two minutes after the last starts again at 1 s. Returns the wait (ms).
create function registrar_throttled(p_bucket text) returns integer language plpgsql as $$
declare
  v_delays integer[] := array[1, 5, 15, 30, 50];
  v_row registrar_budget;
  v_n integer;
begin
  insert into registrar_budget (bucket) values (p_bucket) on conflict (bucket) do nothing;
  select * into v_row from registrar_budget where bucket = p_bucket for update;
  v_n := case when v_row.throttled_until > clock_timestamp() - interval '2 minutes' then v_row.throttles + 1 else 1 end;
  update registrar_budget
     set throttles = v_n,
         throttled_until = greatest(coalesce(throttled_until, clock_timestamp()), clock_timestamp() + make_interval(secs => v_delays[least(v_n, 5)]))
   where bucket = p_bucket;
  return v_delays[least(v_n, 5)] * 1000;
end $$;

-- Names waiting for the registrar's domains.check, from every process, and its answers for a while after
-- (src/providers/registrar/coalescer.ts): a name is pending while `answer` is null, claimed by the process calling for it.
create table registrar_checks (
  domain        text primary key,
  priority      smallint not null,
  asked_at      timestamptz not null default clock_timestamp(),
  claimed_until timestamptz,
  answer        jsonb,
  answered_at   timestamptz
);
create index registrar_checks_pending on registrar_checks (priority, asked_at) where answer is null;

-- Which process gathers the pending names into the next call: one at a time, for a few seconds at most.
create table registrar_check_flusher (
  id     integer primary key check (id = 1),
  holder text,
  until  timestamptz
);
insert into registrar_check_flusher (id) values (1);

-- The walk through the account's domain list (domains.getList, 100 names a call) that refreshes every watched
-- domain's expiry date: where it stands, so that it resumes across runs and workers.
create table domain_expiry_sweep (
  id          integer primary key check (id = 1),
  started_at  timestamptz,
  next_page   integer not null default 1,
  finished_at timestamptz,
  pages       integer not null default 0
);
insert into domain_expiry_sweep (id) values (1);

-- the walk matches the registrar's names with the orders that bought them
create index orders_registered_domain on orders (domain) where registrar_domain_id is not null;
