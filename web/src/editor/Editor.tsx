// The site editor (/editor/{token}, the link in the delivery email): the form beside a live preview (a tab on phones),
// drafts that save on their own, errors on their fields, and publishing followed live until the new version is online.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useLocale, type Locale } from '../i18n.ts';
import { dateTime, shortTime } from '../format.ts';
import { Header } from '../ui/Header.tsx';
import { linkHandler } from '../router.ts';
import { canonical, contentFromDraft, inputId } from './draft.ts';
import { errorLabel } from './errorLabels.ts';
import { FormContext, type EditorForm } from './fields.tsx';
import { ImagesSection } from './ImagesSection.tsx';
import { Preview } from './Preview.tsx';
import { BasicsSection, ColorsSection, ContactSection, HoursSection, LegalSection, ServicesSection, TemplateSection } from './sections.tsx';
import { removeArchive } from '../concierge/siteArchive.ts';
import { siteApi, type Asset, type SiteState } from './siteApi.ts';
import { editorTexts, type EditorTexts } from './texts.ts';
import { useMediaQuery } from './useMediaQuery.ts';
import { useOrderStatus } from '../progress/useOrderStatus.ts';
import { usePreview } from './usePreview.ts';
import { useSiteDraft, type SaveState } from './useSiteDraft.ts';
import './editor.css';

export default function Editor({ token, onOrderLocale }: { token: string; onOrderLocale?(locale: Locale): void }) {
  const { locale } = useLocale();
  const e = editorTexts[locale];
  const [site, setSite] = useState<SiteState | null>(null);
  const [problem, setProblem] = useState<'not_found' | 'failed' | null>(null);
  const [attempt, setAttempt] = useState(0);
  const localeRef = useRef(locale);
  localeRef.current = locale;

  useEffect(() => {
    document.title = `${e.title} · Conciergerie`;
  }, [e]);
  useEffect(() => {
    document.body.classList.add('editor-page');
    return () => document.body.classList.remove('editor-page');
  }, []);

  useEffect(() => {
    let live = true;
    setProblem(null);
    siteApi.load(token, localeRef.current).then(
      (s) => live && setSite(s),
      (err) => live && setProblem(err instanceof ApiError && err.status === 404 ? 'not_found' : 'failed'),
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  const trackingPath = `/${locale === 'fr' ? 'suivi' : 'track'}/${token}`;
  return (
    <>
      <Header>
        <a className="header-link" href={trackingPath} onClick={linkHandler(trackingPath)}>
          {e.tracking}
        </a>
      </Header>
      {site ? (
        <Workspace token={token} initial={site} onOrderLocale={onOrderLocale} />
      ) : (
        <main id="main" className="container narrow page-message">
          <h1>{e.title}</h1>
          {problem === 'not_found' ? (
            <p className="notice notice-error">{e.notFound}</p>
          ) : problem === 'failed' ? (
            <p className="notice notice-error">
              {e.loadFailed}{' '}
              <button type="button" className="button button-ghost button-small" onClick={() => setAttempt((n) => n + 1)}>
                {e.retry}
              </button>
            </p>
          ) : (
            <p className="progress-loading" role="status">
              <span className="spinner" aria-hidden="true" /> {e.loading}
            </p>
          )}
        </main>
      )}
    </>
  );
}

type PublishPhase = 'idle' | 'saving' | 'requesting' | 'queued' | 'waiting' | 'checking' | 'published' | 'failed';

/** Which "not delivered yet" note fits the order's state. */
function notDeliveredNote(state: string | undefined): 'unpaid' | 'domain' | 'preparing' | 'deploying' {
  if (state === 'awaiting_payment' || state === 'payment_expired') return 'unpaid';
  if (state === 'domain_unavailable') return 'domain';
  if (state === 'paid' || state === 'registering_domain' || state === 'creating_site') return 'preparing';
  return 'deploying';
}

function Workspace({ token, initial, onOrderLocale }: { token: string; initial: SiteState; onOrderLocale?(locale: Locale): void }) {
  const { locale } = useLocale();
  const e = editorTexts[locale];
  const [assets, setAssets] = useState<Asset[]>(initial.assets);
  const [announcement, setAnnouncement] = useState('');
  const announce = useCallback((message: string) => {
    // emptied first, so the same words said twice are heard twice
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  const site = useSiteDraft(token, initial, locale);
  const { draft } = site;
  useEffect(() => {
    if (site.reloaded) setAssets(site.reloaded.assets);
  }, [site.reloaded]);

  // ---- errors: the API's, and the prices that are not prices ----
  const errors = useMemo(() => {
    const all: Record<string, string> = { ...site.serverErrors };
    for (const p of site.localProblems) all[p.key] = e.errors.priceInvalid;
    return all;
  }, [site.serverErrors, site.localProblems, e]);
  const errorKeys = Object.keys(errors);

  // ---- what screen readers hear about saving: leaving "saved", and coming back to it ----
  const heard = useRef<string>('saved');
  useEffect(() => {
    const kind: Partial<Record<SaveState, string>> = {
      saved: e.save.announceSaved,
      invalid: e.save.invalid(errorKeys.length),
      offline: e.save.offline,
      failed: e.save.failed,
      conflict: e.conflict.title,
    };
    const message = kind[site.state];
    if (!message) return;
    const id = site.state === 'invalid' ? `invalid:${errorKeys.length}` : site.state;
    if (heard.current === id) return;
    heard.current = id;
    announce(message);
  }, [site.state, errorKeys.length, e, announce]);

  // ---- the order, live: the language it was placed in, delivery, publishing ----
  // a delivered order's stream stays open: publishing adds to its timeline
  const { status: live, refresh: refreshLive } = useOrderStatus(token, locale, { afterFinal: true });
  const orderLocaleSeen = useRef(false);
  useEffect(() => {
    if (live && !orderLocaleSeen.current) {
      orderLocaleSeen.current = true;
      onOrderLocale?.(live.locale);
    }
  }, [live, onOrderLocale]);
  const canPublish = initial.editable && (initial.canPublish || live?.state === 'delivered');
  const siteUrl = initial.siteUrl ?? live?.siteUrl ?? null;
  // the archive as the order's live status tells it (an upload or removal on the tracking page shows here too)
  const [removed, setRemoved] = useState(false);
  const archive = removed ? null : live?.site ? live.site.archive : initial.archive;
  const archiveAllowed = live?.site ? live.site.archiveAllowed : initial.archiveAllowed;
  const [archiveError, setArchiveError] = useState<string | null>(null);
  const dropArchive = async () => {
    setArchiveError(null);
    try {
      await removeArchive(token, locale);
      setRemoved(true);
      announce(e.publish.archiveRemoved);
      refreshLive();
    } catch (err) {
      setArchiveError(err instanceof ApiError ? err.message : e.publish.offline);
    }
  };
  const uploadedAt = live?.site?.archive?.uploadedAt;
  useEffect(() => {
    // a new upload elsewhere brings the archive back
    if (uploadedAt) setRemoved(false);
  }, [uploadedAt]);

  const [action, setAction] = useState<'saving' | 'requesting' | null>(null);
  const [asked, setAsked] = useState<{ since: number; version: number } | null>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [publishedVersion, setPublishedVersion] = useState(initial.publishedVersion);
  const timeline = live?.timeline ?? [];
  const lastRequest = Math.max(0, ...timeline.filter((t) => t.type === 'site_publish_requested').map((t) => t.id ?? 0));
  const outcome = lastRequest
    ? timeline.find((t) => (t.id ?? 0) > lastRequest && (t.type === 'site_published' || t.type === 'site_publish_failed'))
    : undefined;
  // after the request: a wait the host imposes (with when it ends), then the check that the new version is live
  const step =
    lastRequest && !outcome
      ? timeline.filter((t) => (t.id ?? 0) > lastRequest && (t.type === 'site_publish_waiting' || t.type === 'site_publish_deployed')).at(-1)
      : undefined;
  let phase: PublishPhase = 'idle';
  if (action) phase = action;
  else if (asked && !(lastRequest > asked.since)) phase = 'requesting';
  else if (lastRequest && !outcome) phase = step?.type === 'site_publish_waiting' ? 'waiting' : step?.type === 'site_publish_deployed' ? 'checking' : 'queued';
  else if (asked && outcome) phase = outcome.type === 'site_published' ? 'published' : 'failed';
  const publishing = phase === 'saving' || phase === 'requesting' || phase === 'queued' || phase === 'waiting' || phase === 'checking';
  const waitUntil = phase === 'waiting' ? step?.until : undefined;

  useEffect(() => {
    if (phase === 'published' && asked) setPublishedVersion((v) => Math.max(v ?? 0, asked.version));
  }, [phase, asked]);
  // what screen readers hear about publishing
  useEffect(() => {
    const said: Partial<Record<PublishPhase, string>> = {
      queued: e.publish.queued,
      waiting: e.publish.waitingSoon,
      checking: e.publish.checking,
      published: e.publish.published,
      failed: e.publish.failed,
    };
    const message = said[phase];
    if (message) announce(message);
  }, [phase, e, announce]);
  useEffect(() => {
    if (publishError) announce(publishError);
  }, [publishError, announce]);
  // the stream brings the outcome; a look now and then in case it cannot get through
  useEffect(() => {
    if (phase !== 'requesting' && phase !== 'queued' && phase !== 'waiting' && phase !== 'checking') return;
    const timer = setInterval(refreshLive, 4000);
    return () => clearInterval(timer);
  }, [phase, refreshLive]);

  const summary = useRef<HTMLDivElement>(null);
  const wide = useMediaQuery('(min-width: 1024px)');
  const [tab, setTab] = useState<'edit' | 'preview'>('edit');

  const publish = async () => {
    setPublishError(null);
    setAction('saving');
    const saved = await site.saveNow();
    if (saved !== 'saved') {
      setAction(null);
      setPublishError(saved === 'invalid' ? e.publish.fixFirst : saved === 'conflict' ? e.conflict.text : e.publish.offline);
      if (saved === 'invalid') {
        if (!wide) setTab('edit');
        requestAnimationFrame(() => summary.current?.focus());
      }
      return;
    }
    setAction('requesting');
    try {
      const since = live?.lastEventId ?? (await api.status(token, locale)).lastEventId;
      const r = await siteApi.publish(token, locale);
      setAsked({ since, version: r.version });
    } catch (err) {
      setPublishError(err instanceof ApiError ? err.message : e.publish.offline);
    } finally {
      setAction(null);
    }
  };

  // ---- the preview follows the draft ----
  const converted = contentFromDraft(draft);
  const canon = canonical(converted.document);
  const preview = usePreview(token, converted.document, canon, converted.problems.length > 0, locale);

  const conflictBox = useRef<HTMLDivElement>(null);
  const hadConflict = useRef(!!site.conflict);
  useEffect(() => {
    if (site.conflict && !hadConflict.current) conflictBox.current?.focus();
    hadConflict.current = !!site.conflict;
  }, [site.conflict]);

  const form: EditorForm = {
    e,
    locale,
    draft,
    update: site.update,
    error: (key) => errors[key],
    disabled: !initial.editable || site.state === 'readonly',
    announce,
  };

  const goTo = (key: string) => {
    if (!wide) setTab('edit');
    requestAnimationFrame(() => {
      const el = document.getElementById(inputId(key)) as HTMLElement | null;
      if (!el) return;
      el.scrollIntoView({ block: 'center' });
      el.focus();
    });
  };

  const templateColors = initial.templates.find((t) => t.id === draft.template)?.colors;
  const editPanel = (
    <div className="ed-form">
      <form noValidate onSubmit={(ev) => ev.preventDefault()} aria-label={e.title}>
        <TemplateSection templates={initial.templates} />
        <BasicsSection />
        <ServicesSection />
        <HoursSection />
        <ContactSection />
        <ColorsSection templateColors={templateColors} />
        <ImagesSection
          token={token}
          assets={assets}
          limits={initial.limits}
          onAsset={(a) => setAssets((list) => (list.some((x) => x.id === a.id) ? list : [...list, a]))}
          onDeleted={(id) => setAssets((list) => list.filter((x) => x.id !== id))}
          saveNow={site.saveNow}
        />
        <LegalSection />
      </form>
    </div>
  );
  const previewPanel = <Preview html={preview.html} state={preview.state} e={e} visible={wide || tab === 'preview'} phone={!wide} />;

  return (
    <FormContext.Provider value={form}>
      <main id="main" className="editor">
        <div className="ed-bar">
          <div className="ed-bar-row">
            <div className="ed-bar-title">
              <h1>{e.title}</h1>
              <span className="ed-domain">{initial.domain}</span>
            </div>
            {/* on phones this part sits at the bottom of the screen, always in reach */}
            <div className="ed-bar-tools">
              <PublishLive phase={phase} waitUntil={waitUntil} error={publishError} outcomeMessage={outcome?.message} siteUrl={siteUrl} e={e} />
              <SaveBadge state={site.state} savedAt={site.savedAt} errorCount={errorKeys.length} e={e} />
              <div className="ed-bar-actions">
                {siteUrl && (
                  <a className="button button-ghost button-small ed-live-link" href={siteUrl} target="_blank" rel="noopener noreferrer">
                    {e.publish.viewLive}
                  </a>
                )}
                <button
                  type="button"
                  className="button button-primary"
                  disabled={!canPublish || publishing}
                  aria-describedby={!canPublish ? 'ed-publish-why' : undefined}
                  onClick={() => void publish()}
                >
                  {publishing && <span className="spinner" aria-hidden="true" />}
                  {publishing ? e.publish.busy : e.publish.button}
                </button>
              </div>
            </div>
          </div>
        </div>

        <div className="ed-notices">
          <div className="visually-hidden" aria-live="polite" data-testid="editor-announcer">
            {announcement}
          </div>
          <PublishNotes
            canPublish={canPublish}
            phase={phase}
            upToDate={publishedVersion === site.version && site.state === 'saved'}
            publishedAt={initial.publishedAt}
            note={notDeliveredNote(live?.state ?? initial.orderState)}
            archive={!!archive}
            onRemoveArchive={archive && archiveAllowed && !canPublish ? () => void dropArchive() : undefined}
            archiveError={archiveError}
            e={e}
          />
          {siteUrl && (
            <p className="ed-live-link-narrow">
              <a href={siteUrl} target="_blank" rel="noopener noreferrer">
                {e.publish.viewLive}
              </a>
            </p>
          )}
          {!initial.editable && <p className="notice notice-warning">{e.notEditable}</p>}
          {site.conflict && (
            <div className="notice notice-warning ed-conflict" role="alert" tabIndex={-1} ref={conflictBox}>
              <strong>{e.conflict.title}</strong>
              <p>{e.conflict.text}</p>
              <p className="panel-actions">
                <button type="button" className="button button-primary button-small" onClick={site.restoreMine}>
                  {e.conflict.restore}
                </button>
                <button type="button" className="button button-ghost button-small" onClick={site.keepTheirs}>
                  {e.conflict.keep}
                </button>
              </p>
            </div>
          )}
          {site.restored && (
            <div className="notice notice-success ed-restored" role="status">
              <span>{e.restored}</span>
              <button type="button" className="button button-ghost button-small" onClick={site.dismissRestored}>
                {e.close}
              </button>
            </div>
          )}
          {errorKeys.length > 0 && (
            <section className="notice notice-error ed-summary" tabIndex={-1} ref={summary} aria-labelledby="ed-summary-title">
              <strong id="ed-summary-title">{e.errors.title(errorKeys.length)}</strong>
              <p className="small">{e.errors.intro}</p>
              <ul>
                {errorKeys.map((key) => (
                  <li key={key}>
                    <a
                      href={`#${inputId(key)}`}
                      onClick={(ev) => {
                        ev.preventDefault();
                        goTo(key);
                      }}
                    >
                      {errorLabel(key, draft, e)}
                    </a>{' '}
                    : {errors[key]}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>

        {wide ? (
          <div className="ed-grid">
            {editPanel}
            <section className="ed-preview-col" aria-label={e.preview.heading}>
              {previewPanel}
            </section>
          </div>
        ) : (
          <Tabs tab={tab} setTab={setTab} e={e} edit={editPanel} preview={previewPanel} />
        )}
      </main>
    </FormContext.Provider>
  );
}

function SaveBadge({ state, savedAt, errorCount, e }: { state: SaveState; savedAt: string; errorCount: number; e: EditorTexts }) {
  const { locale } = useLocale();
  const text =
    state === 'saved'
      ? e.save.savedAt(shortTime(savedAt, locale))
      : state === 'pending'
        ? e.save.pending
        : state === 'saving'
          ? e.save.saving
          : state === 'invalid'
            ? e.save.invalid(errorCount)
            : state === 'conflict'
              ? e.save.conflict
              : state === 'offline'
                ? e.save.offline
                : state === 'failed'
                  ? e.save.failed
                  : e.save.readonly;
  return (
    <p className={`ed-save ed-save-${state}`} data-save-state={state} title={e.save.label}>
      <span className="ed-save-dot" aria-hidden="true">
        {state === 'saving' ? <span className="spinner" /> : null}
      </span>
      <span>{text}</span>
    </p>
  );
}

/** Publishing as it goes, in the bar that stays on screen (screen readers hear it through the editor's announcer). */
function PublishLive({
  phase,
  waitUntil,
  error,
  outcomeMessage,
  siteUrl,
  e,
}: {
  phase: PublishPhase;
  waitUntil?: string;
  error: string | null;
  outcomeMessage?: string;
  siteUrl: string | null;
  e: EditorTexts;
}) {
  const busy = phase === 'saving' || phase === 'requesting' || phase === 'queued' || phase === 'waiting' || phase === 'checking';
  // a countdown while the host makes us wait: the seconds left, said again every second
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!waitUntil) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);
  const secondsLeft = waitUntil ? Math.ceil((new Date(waitUntil).getTime() - now) / 1000) : 0;
  const text =
    phase === 'saving'
      ? e.publish.saving
      : phase === 'requesting'
        ? e.publish.requesting
        : phase === 'waiting'
          ? secondsLeft > 1
            ? e.publish.waiting(secondsLeft)
            : e.publish.waitingSoon
          : phase === 'checking'
            ? e.publish.checking
            : e.publish.queuedEta;
  return (
    <div className="ed-publish-live" data-publish-phase={phase}>
      {busy && (
        <p className="notice ed-publish ed-publish-busy" data-testid="publish-progress">
          <span className="spinner" aria-hidden="true" />
          {text}
        </p>
      )}
      {phase === 'published' && (
        <div className="notice notice-success ed-publish" data-testid="published">
          <strong>{e.publish.published}</strong>
          {outcomeMessage && <span className="small">{outcomeMessage}</span>}
          {siteUrl && (
            <a className="button button-primary button-small" href={siteUrl} target="_blank" rel="noopener noreferrer">
              {e.publish.viewLive}
            </a>
          )}
        </div>
      )}
      {phase === 'failed' && <p className="notice notice-error ed-publish">{outcomeMessage ?? e.publish.failed}</p>}
      {error && <p className="notice notice-error ed-publish">{error}</p>}
    </div>
  );
}

/** Where the live site stands: not delivered yet (said from the order's state), up to date, or behind the saved version; an uploaded archive. */
function PublishNotes({
  canPublish,
  phase,
  upToDate,
  publishedAt,
  note,
  archive,
  onRemoveArchive,
  archiveError,
  e,
}: {
  canPublish: boolean;
  phase: PublishPhase;
  upToDate: boolean;
  publishedAt: string | null;
  note: keyof EditorTexts['publish']['notDelivered'];
  archive: boolean;
  onRemoveArchive?: () => void;
  archiveError: string | null;
  e: EditorTexts;
}) {
  const { locale } = useLocale();
  return (
    <>
      {!canPublish ? (
        <p id="ed-publish-why" className="muted small ed-publish-note" data-note={note}>
          {e.publish.notDelivered[note]}
        </p>
      ) : (
        phase === 'idle' && (
          <p className="muted small ed-publish-note">
            {upToDate ? e.publish.upToDate : e.publish.unpublished}
            {publishedAt ? ` ${e.publish.publishedAt(dateTime(publishedAt, locale))}` : ''}
          </p>
        )
      )}
      {archive && (
        <div className="notice notice-warning small ed-archive" data-testid="editor-archive">
          <span>{canPublish ? e.publish.archive : e.publish.archiveBefore}</span>
          {onRemoveArchive && (
            <button type="button" className="button button-ghost button-small" onClick={onRemoveArchive}>
              {e.publish.removeArchive}
            </button>
          )}
        </div>
      )}
      {archiveError && <p className="notice notice-error small">{archiveError}</p>}
    </>
  );
}

function Tabs({
  tab,
  setTab,
  e,
  edit,
  preview,
}: {
  tab: 'edit' | 'preview';
  setTab(t: 'edit' | 'preview'): void;
  e: EditorTexts;
  edit: React.ReactNode;
  preview: React.ReactNode;
}) {
  const tabs = ['edit', 'preview'] as const;
  const onKey = (ev: React.KeyboardEvent) => {
    if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight' && ev.key !== 'Home' && ev.key !== 'End') return;
    ev.preventDefault();
    const next = ev.key === 'Home' ? 'edit' : ev.key === 'End' ? 'preview' : tab === 'edit' ? 'preview' : 'edit';
    setTab(next);
    requestAnimationFrame(() => document.getElementById(`ed-tab-${next}`)?.focus());
  };
  return (
    <>
      <div role="tablist" aria-label={e.tabs.label} className="ed-tabs" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`ed-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`ed-panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
          >
            {e.tabs[t]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="ed-panel-edit" aria-labelledby="ed-tab-edit" hidden={tab !== 'edit'} className="ed-panel">
        {edit}
      </div>
      <div role="tabpanel" id="ed-panel-preview" aria-labelledby="ed-tab-preview" hidden={tab !== 'preview'} className="ed-panel ed-panel-preview">
        {preview}
      </div>
    </>
  );
}
