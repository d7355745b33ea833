// A delivered domain's DNS records in the customer's space: the list (the site's own records marked protected), a
// form to add one, the mail providers' presets and a verification TXT, and one-click email forwarding.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { Field } from '../ui/Field.tsx';
import { FormError } from '../ui/Form.tsx';
import { accountApi, type DnsRecordInput, type DnsRecords, type DnsRecordView, type EmailForwarding, type MailPresets } from './accountApi.ts';
import { problemOf } from './problem.ts';
import { accountTexts } from './texts.ts';

const TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const;
type RecordType = (typeof TYPES)[number];

export function DnsPanel({ domain, csrf, email }: { domain: string; csrf: string; email: string }) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const [zone, setZone] = useState<DnsRecords | null>(null);
  const [forwarding, setForwarding] = useState<EmailForwarding | null>(null);
  const [presets, setPresets] = useState<MailPresets['presets']>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<DnsRecordView | null>(null);
  const titleId = useId();

  useEffect(() => {
    accountApi.records(domain, locale).then(setZone, (err) => setProblem(problemOf(err, t)));
    accountApi.forwarding(domain, locale).then(setForwarding, () => undefined);
    accountApi.presets().then(
      (p) => setPresets(p.presets),
      () => undefined,
    );
  }, [domain, locale, t]);

  /** One change: its answer replaces the list, its outcome is said at once (role=status / alert). */
  const change = useCallback(
    async <T,>(run: () => Promise<T>, done: (answer: T) => string): Promise<T | undefined> => {
      setBusy(true);
      setNotice(null);
      setProblem(null);
      try {
        const answer = await run();
        setNotice(done(answer));
        return answer;
      } catch (err) {
        setProblem(err instanceof ApiError && err.fields[0] ? err.fields[0].message : problemOf(err, t));
        throw err;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  const changed = (answer: DnsRecords & { propagated: boolean }, message: (p: boolean) => string) => {
    setZone({ records: answer.records, mail: answer.mail });
    return message(answer.propagated);
  };
  /** Records added (one, a preset's, a verification TXT): the list as written, and whether DNS already serves them. */
  const adding = (run: () => Promise<DnsRecords & { propagated: boolean }>) => change(run, (a) => changed(a, t.dns.added));
  /** Forwarding turned on or off: its forwards, and the records again (the mail's routing changed with it). */
  const forwardingChange = (run: () => Promise<EmailForwarding>, message: string) =>
    change(run, (a) => {
      setForwarding(a);
      accountApi.records(domain, locale).then(setZone, () => undefined);
      return message;
    }).catch(() => undefined);

  return (
    <section className="account-dns" aria-labelledby={titleId}>
      <h4 id={titleId}>{t.dns.title(domain)}</h4>
      {!zone && !problem && <p role="status">{t.dns.loading}</p>}
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      <FormError error={problem} />
      {zone && (
        <>
          <p>{t.dns.mail[zone.mail]}</p>
          <ul className="dns-records">
            {zone.records.map((r) => {
              const what = `${r.type} ${r.host} ${r.value}`;
              return (
                <li key={r.id} className="dns-record">
                  <span className="dns-type">{r.type}</span> <span className="dns-host">{r.host}</span>{' '}
                  <span className="dns-value">{r.priority !== undefined ? `${r.priority} ${r.value}` : r.value}</span>{' '}
                  <span className="dns-ttl">TTL {r.ttl}</span>{' '}
                  {r.protected ? (
                    <span className="dns-protected">{t.dns.protected}</span>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        disabled={busy}
                        aria-label={t.dns.edit(what)}
                        onClick={() => setEditing(r)}
                      >
                        {t.dns.edit('').trim()}
                      </button>
                      <button
                        type="button"
                        className="button button-danger button-small"
                        disabled={busy}
                        aria-label={t.dns.remove(what)}
                        onClick={() => {
                          if (!window.confirm(t.dns.confirmRemove(what))) return;
                          change(
                            () => accountApi.removeRecord(domain, r.id, csrf, locale),
                            (a) => changed(a, t.dns.removed),
                          ).catch(() => undefined);
                        }}
                      >
                        {t.dns.remove('').trim()}
                      </button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          <AddRecord
            key={editing?.id ?? 'new'}
            busy={busy}
            editing={editing}
            onCancel={() => setEditing(null)}
            onAdd={(body) =>
              editing
                ? change(
                    () => accountApi.changeRecord(domain, editing.id, body, csrf, locale),
                    (a) => {
                      setEditing(null);
                      return changed(a, t.dns.changed);
                    },
                  )
                : adding(() => accountApi.addRecord(domain, body, csrf, locale))
            }
          />
          <h5>{t.dns.presets}</h5>
          <p>{t.dns.presetsLead}</p>
          <ul className="dns-presets">
            {presets.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  disabled={busy}
                  onClick={() => adding(() => accountApi.applyPreset(domain, p.id, csrf, locale)).catch(() => undefined)}
                >
                  {t.dns.applyPreset(p.name)}
                </button>{' '}
                (
                <a href={p.source} rel="noreferrer">
                  {t.dns.source}
                </a>
                )
              </li>
            ))}
          </ul>
          <Verification busy={busy} onAdd={(value) => adding(() => accountApi.addRecord(domain, { type: 'TXT', host: '@', value }, csrf, locale))} />
        </>
      )}
      <h5>{t.forwarding.title}</h5>
      <p>{t.forwarding.lead(domain, email)}</p>
      {forwarding?.forwards.length ? (
        <ul>
          {forwarding.forwards.map((f) => (
            <li key={f.mailbox}>
              {t.forwarding.forward(`${f.mailbox}@${domain}`, f.forwardTo)}{' '}
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={busy}
                onClick={() => forwardingChange(() => accountApi.disableForwarding(domain, f.mailbox, csrf, locale), t.forwarding.stopped)}
              >
                {t.forwarding.stop(`${f.mailbox}@${domain}`)}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <button
          type="button"
          className="button button-primary button-small"
          disabled={busy}
          onClick={() => forwardingChange(() => accountApi.enableForwarding(domain, csrf, locale), t.forwarding.enabled)}
        >
          {t.forwarding.enable(domain)}
        </button>
      )}
    </section>
  );
}

function AddRecord({
  busy,
  editing,
  onAdd,
  onCancel,
}: {
  busy: boolean;
  /** the record being changed (the form starts from it), or null to add one */
  editing: DnsRecordView | null;
  onAdd(body: DnsRecordInput): Promise<unknown>;
  onCancel(): void;
}) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const [type, setType] = useState<RecordType>((editing?.type as RecordType) ?? 'TXT');
  const [host, setHost] = useState(editing?.host ?? '@');
  const [value, setValue] = useState(editing?.value ?? '');
  const [ttl, setTtl] = useState(editing ? String(editing.ttl) : '');
  const [priority, setPriority] = useState(String(editing?.priority ?? 10));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const typeId = useId();
  const valueRef = useRef<HTMLInputElement>(null);
  // changing a record takes the person to its form, on the value
  useEffect(() => {
    if (editing) valueRef.current?.focus();
  }, [editing]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    const body: DnsRecordInput = { type, host, value, ...(ttl ? { ttl: Number(ttl) } : {}), ...(type === 'MX' ? { priority: Number(priority) } : {}) };
    try {
      await onAdd(body);
      setValue('');
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(err.fields.map((f) => [f.field, f.message])));
      valueRef.current?.focus();
    }
  };
  return (
    <form className="dns-add" onSubmit={submit} noValidate>
      <h5>{editing ? t.dns.editTitle : t.dns.add}</h5>
      <div className="field">
        <label htmlFor={typeId}>{t.dns.type}</label>
        <select id={typeId} value={type} onChange={(e) => setType(e.target.value as RecordType)}>
          {TYPES.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <Field label={t.dns.host} hint={t.dns.hostHint} name="host" value={host} onChange={(e) => setHost(e.target.value)} error={errors.host} />
      <Field
        ref={valueRef}
        label={t.dns.value}
        hint={t.dns.valueHint}
        name="value"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={errors.value}
      />
      {type === 'MX' && (
        <Field
          label={t.dns.priority}
          name="priority"
          inputMode="numeric"
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
          error={errors.priority}
        />
      )}
      <Field label={t.dns.ttl} name="ttl" inputMode="numeric" placeholder="1800" value={ttl} onChange={(e) => setTtl(e.target.value)} error={errors.ttl} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t.dns.adding : editing ? t.dns.save : t.dns.add}
      </button>{' '}
      {editing && (
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t.dns.cancel}
        </button>
      )}
    </form>
  );
}

function Verification({ busy, onAdd }: { busy: boolean; onAdd(value: string): Promise<unknown> }) {
  const { locale } = useLocale();
  const t = accountTexts[locale];
  const [value, setValue] = useState('');
  return (
    <form
      className="dns-add"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onAdd(value).then(
          () => setValue(''),
          () => undefined,
        );
      }}
    >
      <Field label={t.dns.verification} hint={t.dns.verificationHint} name="verification" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="button button-ghost" disabled={busy || !value.trim()}>
        {t.dns.addVerification}
      </button>
    </form>
  );
}
