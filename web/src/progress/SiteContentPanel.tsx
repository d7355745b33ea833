// On the tracking page until delivery: what will go live (the editor's site or the customer's own ZIP), the editor's link, and the archive's upload or removal while it is still allowed.
import { useRef, useState } from 'react';
import { ApiError, type OrderStatus } from '../api.ts';
import { useLocale } from '../i18n.ts';
import { linkHandler } from '../router.ts';
import { megabytes, removeArchive, uploadArchive } from '../concierge/siteArchive.ts';

export function SiteContentPanel({ status, token, refresh }: { status: OrderStatus; token: string; refresh(): void }) {
  const { t, locale } = useLocale();
  const s = t.siteContent;
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<{ text: string; refused: boolean } | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const { archive, archiveAllowed, archiveMaxMb } = status.site;
  const editorPath = new URL(status.editorUrl, window.location.origin).pathname;

  const send = async () => {
    if (!file) {
      setError({ text: s.chooseFile, refused: false });
      return;
    }
    setBusy(true);
    setError(null);
    setSaid(null);
    setProgress(0);
    try {
      const accepted = await uploadArchive(token, file, locale, setProgress);
      setSaid(s.accepted(accepted.files));
      setFile(null);
      if (input.current) input.current.value = '';
      refresh();
    } catch (err) {
      setError(err instanceof ApiError ? { text: err.message, refused: true } : { text: s.offline, refused: false });
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await removeArchive(token, locale);
      setSaid(s.removed);
      refresh();
    } catch (err) {
      setError({ text: err instanceof ApiError ? err.message : s.offline, refused: false });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel site-content" aria-labelledby="site-content-title" data-testid="site-content">
      <h3 id="site-content-title">{s.title}</h3>
      {archive ? (
        <p className="notice notice-warning small" data-testid="archive-kept">
          {s.hasArchive(archive.files, megabytes(archive.size, locale))}
        </p>
      ) : (
        <p>{archiveAllowed ? s.editorLead : s.editorLeadLate}</p>
      )}
      <p className="panel-actions">
        <a className="button button-ghost" href={editorPath} onClick={linkHandler(editorPath)}>
          {s.openEditor}
        </a>
        {archive && archiveAllowed && (
          <button type="button" className="button button-ghost" disabled={busy} onClick={() => void remove()}>
            {s.remove}
          </button>
        )}
      </p>
      {archiveAllowed && (
        <form
          className="archive-upload"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void send();
          }}
        >
          <p className="small muted">{s.orArchive(archiveMaxMb)}</p>
          <div className="field">
            <label htmlFor="tracking-archive">{archive ? s.replace : s.file}</label>
            <input
              ref={input}
              id="tracking-archive"
              type="file"
              accept=".zip,application/zip,application/x-zip-compressed"
              disabled={busy}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'tracking-archive-error' : undefined}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setError(null);
              }}
            />
          </div>
          {progress !== null && <progress className="archive-progress" max={1} value={progress} aria-label={s.uploadLabel} />}
          {error && (
            <p className="form-error" id="tracking-archive-error" role="alert" data-testid="archive-error">
              {error.refused && <strong>{s.refused} </strong>}
              {error.text}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy && progress !== null ? s.uploading(Math.round(progress * 100)) : s.send}
          </button>
        </form>
      )}
      {said && (
        <p className="notice notice-success small" role="status">
          {said}
        </p>
      )}
    </section>
  );
}
