-- What a pipeline step, a payment link and an email write, each in one call instead of a transaction of many
-- statements (each statement is a round trip from Node, and on a small machine the round trips cost more than the
-- work). The JavaScript still decides everything (state rules, rendering, job keys) and hands the results over;
-- these functions only write them, together, so they commit or vanish together.

-- A timeline event; live views (SSE) listen on the channel. Several events of one transaction notify once
-- (PostgreSQL folds identical notifications of a transaction into one).
create function add_order_event(p_order_id uuid, p_type text, p_data jsonb default '{}') returns void
language sql as $$
  insert into order_events (order_id, type, data) values (p_order_id, p_type, coalesce(p_data, '{}'));
  select pg_notify('order_events', p_order_id::text);
$$;

-- A graphile-worker job from its spec as src/db/database.ts (jobSpec) writes it. (plpgsql: its body is checked when
-- first run, since graphile-worker's schema is made after these migrations.)
create function add_job_from(p_job jsonb) returns void
language plpgsql as $$
begin
  perform graphile_worker.add_job(
    identifier => p_job->>'identifier',
    payload => (p_job->'payload')::json,
    queue_name => p_job->>'queue_name',
    run_at => (p_job->>'run_at')::timestamptz,
    max_attempts => (p_job->>'max_attempts')::int,
    job_key => p_job->>'job_key',
    priority => (p_job->>'priority')::int,
    job_key_mode => p_job->>'job_key_mode'
  );
end $$;

-- One email in the outbox and its send job, unless an email with the same purpose (dedupe_key) is there already.
-- Returns the new email's id, or null when it was a duplicate. The row is src/emails/outbox.ts's emailRow.
create function queue_email(p_email jsonb) returns uuid
language plpgsql as $$
declare
  v_id uuid;
begin
  insert into outbox_emails (id, order_id, dedupe_key, kind, to_address, locale, subject, text_body, html_body, message_id)
  select e.id, e.order_id, e.dedupe_key, e.kind, e.to_address, e.locale, e.subject, e.text_body, e.html_body, e.message_id
    from jsonb_populate_record(null::outbox_emails, p_email) e
  on conflict (dedupe_key) do nothing
  returning id into v_id;
  if v_id is not null then
    perform graphile_worker.add_job('send_email', json_build_object('emailId', v_id), max_attempts => 12,
      job_key => 'email:' || v_id, job_key_mode => 'preserve_run_at');
  end if;
  return v_id;
end $$;

-- Provider calls kept while a step (or a payment link) ran, written with its outcome.
create function record_provider_calls(p_calls jsonb) returns void
language sql as $$
  insert into provider_calls (order_id, provider, operation, outcome, error_code, duration_ms, at)
  select c.order_id, c.provider, c.operation, c.outcome, c.error_code, c.duration_ms, coalesce(c.at, now())
    from jsonb_populate_recordset(null::provider_calls, coalesce(p_calls, '[]')) c;
$$;

-- A pipeline step is done: its result, the order's next step and that step's job, in one transaction
-- (src/workflow/step-runner.ts). Returns 'done', 'left' when the order had left this step meanwhile (its result
-- is kept, the order is not moved), or 'missing'.
create function complete_step(
  p_order_id uuid,
  p_step text,
  -- null after the last step
  p_next_step text,
  -- the step was done already (a duplicate job): only move the order on
  p_replay boolean,
  -- the order's columns the step records (src/workflow/step.ts, OrderColumns)
  p_record jsonb,
  p_output jsonb,
  p_compensation jsonb,
  -- timeline events [{type, data}], in order
  p_events jsonb,
  -- queue_email's row (the progress email), or null
  p_email jsonb,
  -- add_job_from's spec for the next step, or null after the last one
  p_next_job jsonb,
  -- after the last step: the states the order may be delivered from (src/domain/order-state.ts)
  p_delivered_from text[],
  -- provider calls the step made
  p_calls jsonb
) returns text
language plpgsql as $$
declare
  v_order orders;
  v_event jsonb;
begin
  perform record_provider_calls(p_calls);
  -- one writer per order at a time
  select * into v_order from orders where id = p_order_id for update;
  if not found then
    return 'missing';
  end if;

  if v_order.current_step is distinct from p_step then
    -- The order left this step while it ran (an operator's refund): what the step did in the world still happened.
    -- Keep it on record (the domain bought, the site made, and the compensation data), or a registration the
    -- business paid for would belong to no order.
    if not p_replay then
      update order_steps set state = 'done', finished_at = now(), output = p_output, compensation = p_compensation
       where order_id = p_order_id and step = p_step and state <> 'compensated';
      update orders set
        registrar_domain_id = coalesce(p_record->>'registrar_domain_id', registrar_domain_id),
        site_id = coalesce(p_record->>'site_id', site_id),
        site_name = coalesce(p_record->>'site_name', site_name),
        site_domain = coalesce(p_record->>'site_domain', site_domain)
       where id = p_order_id;
    end if;
    return 'left';
  end if;

  if p_replay then
    update orders set current_step = p_next_step where id = p_order_id;
  else
    update order_steps set state = 'done', finished_at = now(), output = p_output, compensation = p_compensation, last_error = null
     where order_id = p_order_id and step = p_step;
    -- the columns named in p_record take its values, the others keep theirs
    update orders o set
      (registrar_domain_id, site_id, site_name, site_domain, delivered_at, payment_ref, report) =
        (select r.registrar_domain_id, r.site_id, r.site_name, r.site_domain, r.delivered_at, r.payment_ref, r.report
           from jsonb_populate_record(o, coalesce(p_record, '{}')) r),
      current_step = p_next_step,
      updated_at = now()
     where o.id = p_order_id;
  end if;

  for v_event in select * from jsonb_array_elements(coalesce(p_events, '[]')) loop
    perform add_order_event(p_order_id, v_event->>'type', v_event->'data');
  end loop;
  if p_email is not null then
    perform queue_email(p_email);
  end if;
  if p_next_job is not null then
    perform add_job_from(p_next_job);
  else
    update orders set state = 'delivered', updated_at = now() where id = p_order_id and state = any(p_delivered_from);
  end if;
  return 'done';
end $$;

-- Payment link number n has its provider's answer: the link opens, the timeline says so, the confirmation (or
-- renewal) email is queued and the link's expiry check is scheduled, in one transaction
-- (src/workflow/payment-link.ts). When another process opened it first, nothing is written twice: the link as it
-- is comes back.
create function open_payment_link(
  p_link_id uuid,
  p_provider_ref text,
  p_url text,
  p_expires_at timestamptz,
  p_event_type text,
  p_event_data jsonb,
  -- queue_email's row
  p_email jsonb,
  -- add_job_from's spec for check_payment_link
  p_check_job jsonb,
  -- the payment provider's call
  p_calls jsonb
) returns setof payment_links
language plpgsql as $$
declare
  v_link payment_links;
begin
  perform record_provider_calls(p_calls);
  -- one writer per order at a time (a payment or an expiry may be landing)
  perform 1 from orders where id = (select order_id from payment_links where id = p_link_id) for update;
  update payment_links set provider_ref = p_provider_ref, url = p_url, expires_at = p_expires_at, state = 'open'
   where id = p_link_id and state = 'creating'
  returning * into v_link;
  if not found then
    -- another process finished this link first; it also queued the email
    return query select * from payment_links where id = p_link_id;
    return;
  end if;
  if v_link.seq > 1 then
    update payment_links set state = 'superseded'
     where order_id = v_link.order_id and seq < v_link.seq and state in ('open', 'creating');
  end if;
  -- a fresh link after the last one expired: the order waits for payment again
  update orders set state = 'awaiting_payment', updated_at = now() where id = v_link.order_id and state = 'payment_expired';
  perform add_order_event(v_link.order_id, p_event_type, p_event_data);
  perform queue_email(p_email);
  perform add_job_from(p_check_job);
  return next v_link;
end $$;
