-- The job catalogue as SQL sees it. src/workflow/jobs/catalogue.ts declares every task once; its rows are written
-- here at every start (src/db/migrate.ts), and the SQL that queues or finds jobs reads them, so a task is queued the
-- same way from TypeScript and from SQL.
create table job_catalogue (
  task           text primary key,
  -- the job key, '{field}' standing for the payload's field: 'email:{emailId}'
  key_template   text not null,
  -- graphile-worker's named queue, same form, or null
  queue_template text,
  max_attempts   integer not null check (max_attempts > 0),
  priority       integer not null
);

-- A template's '{field}'s filled from the payload (src/workflow/jobs/enqueue.ts, fillTemplate, does the same).
create function job_template(p_template text, p_payload jsonb) returns text
language plpgsql immutable as $$
declare
  v_out text := p_template;
  v_field text;
begin
  for v_field in select m[1] from regexp_matches(p_template, '\{(\w+)\}', 'g') as m loop
    if p_payload->>v_field is null then
      raise exception 'job template %: the payload has no %', p_template, v_field;
    end if;
    v_out := replace(v_out, '{' || v_field || '}', p_payload->>v_field);
  end loop;
  return v_out;
end $$;

-- The job key of a task's payload, as the catalogue shapes it.
create function job_key(p_task text, p_payload jsonb) returns text
language plpgsql stable as $$
declare
  v_template text;
begin
  select key_template into v_template from job_catalogue where task = p_task;
  if not found then
    raise exception 'task % is not in the job catalogue', p_task;
  end if;
  return job_template(v_template, p_payload);
end $$;

-- Queue a catalogued task from SQL: its key, queue, attempts and priority from the catalogue. p_mode as graphile-worker's
-- job_key_mode (preserve_run_at: a job already waiting under the key stays as it is). Returns the job's id.
create function enqueue_job(p_task text, p_payload jsonb, p_run_at timestamptz default null, p_mode text default 'preserve_run_at')
returns bigint
language plpgsql as $$
declare
  v_def job_catalogue;
begin
  select * into v_def from job_catalogue where task = p_task;
  if not found then
    raise exception 'task % is not in the job catalogue', p_task;
  end if;
  return (graphile_worker.add_job(
    identifier => p_task,
    payload => p_payload::json,
    queue_name => case when v_def.queue_template is not null then job_template(v_def.queue_template, p_payload) end,
    run_at => p_run_at,
    max_attempts => v_def.max_attempts,
    job_key => job_template(v_def.key_template, p_payload),
    priority => v_def.priority,
    job_key_mode => p_mode
  )).id;
end $$;

-- The failure a job's next try follows: written with the retry (src/workflow/jobs/run.ts), read by the sweeper and the
-- alerts instead of error text. graphile-worker's job ids are never reused, so a note outlives its job harmlessly
-- until the sweeper removes it.
create table job_failures (
  job_id     bigint primary key,
  task       text not null,
  code       text not null,
  provider   text,
  -- the provider's own failure (no answer, 5xx, 429, our open circuit): a retry may cure it; not a refusal
  retryable  boolean not null,
  message    text not null,
  failed_at  timestamptz not null default now()
);

-- A graphile-worker job from its spec as src/db/database.ts (jobSpec) writes it. A retry carries its job's count of
-- runs over (`attempts`), so graphile-worker's count is the job's across the copies a retry makes, and notes the
-- failure it follows (`failure`).
create or replace function add_job_from(p_job jsonb) returns void
language plpgsql as $$
declare
  v_id bigint;
begin
  -- in add_job's order: identifier, payload, queue_name, run_at, max_attempts, job_key, priority
  v_id := (graphile_worker.add_job(p_job->>'identifier', (p_job->'payload')::json, p_job->>'queue_name', (p_job->>'run_at')::timestamptz,
    (p_job->>'max_attempts')::int, p_job->>'job_key', (p_job->>'priority')::int, job_key_mode => p_job->>'job_key_mode')).id;
  if coalesce((p_job->>'attempts')::int, 0) > 0 and v_id is not null then
    perform graphile_worker.reschedule_jobs(array[v_id], attempts => (p_job->>'attempts')::int);
  end if;
  if jsonb_typeof(p_job->'failure') = 'object' and v_id is not null then
    insert into job_failures (job_id, task, code, provider, retryable, message)
    values (v_id, p_job->>'identifier', p_job->'failure'->>'code', p_job->'failure'->>'provider', (p_job->'failure'->>'retryable')::boolean,
            p_job->'failure'->>'message')
    on conflict (job_id) do update set code = excluded.code, provider = excluded.provider, retryable = excluded.retryable,
      message = excluded.message, failed_at = now();
  end if;
end $$;

-- One email in the outbox and its send job, unless an email with the same purpose (dedupe_key) is there already:
-- migration 010's function, its job now queued from the catalogue. Returns the new email's id, or null when it was a
-- duplicate. The row is src/emails/outbox.ts's emailRow.
create or replace function queue_email(p_email jsonb) returns uuid
language sql as $$
  with queued as (
    insert into outbox_emails (id, order_id, dedupe_key, kind, to_address, locale, subject, text_body, html_body, message_id)
    select r.id, r.order_id, r.dedupe_key, r.kind, r.to_address, r.locale, r.subject, r.text_body, r.html_body, r.message_id
      from jsonb_populate_record(null::outbox_emails, p_email) r
    on conflict (dedupe_key) do nothing
    returning id
  )
  select queued.id from queued cross join lateral enqueue_job('send_email', jsonb_build_object('emailId', queued.id)) as job;
$$;
