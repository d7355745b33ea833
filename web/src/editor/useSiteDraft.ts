// The working copy and its autosave: debounced PUTs carrying the version, a copy in localStorage until the server
// confirms it, errors put back on their fields, and a conflict (another tab saved) resolved without losing anything.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, NetworkError } from '../api.ts';
import type { Locale } from '../i18n.ts';
import { canonical, contentFromDraft, draftFromContent, errorKey, mergeDrafts, type Draft, type LocalProblem } from './draft.ts';
import { siteApi, type SiteState } from './siteApi.ts';

export type SaveState = 'saved' | 'pending' | 'saving' | 'invalid' | 'conflict' | 'offline' | 'failed' | 'readonly';
export type SaveOutcome = 'saved' | 'invalid' | 'conflict' | 'offline' | 'failed';

/** quiet time after the last keystroke before saving */
export const AUTOSAVE_MS = 900;
const RETRY_MS = 4000;

interface StoredDraft {
  /** the server version the draft was started from */
  baseVersion: number;
  /** the saved version the draft began from, to merge onto a newer one */
  base?: Draft;
  draft: Draft;
  at: number;
}

export interface Conflict {
  mine: Draft;
  base: Draft | null;
}

function read(key: string): StoredDraft | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const v = JSON.parse(raw) as StoredDraft;
    return v && typeof v.baseVersion === 'number' && v.draft && typeof v.draft === 'object' && Array.isArray(v.draft.services) ? v : null;
  } catch {
    return null;
  }
}
function write(key: string, value: StoredDraft | null): void {
  try {
    if (value) localStorage.setItem(key, JSON.stringify(value));
    else localStorage.removeItem(key);
  } catch {
    // storage full or disabled: the server copy is all there is
  }
}

export interface SiteDraft {
  draft: Draft;
  /** change the draft; `touched` are the error keys of the inputs changed (their errors go until the next save says otherwise) */
  update(fn: (d: Draft) => Draft, ...touched: string[]): void;
  state: SaveState;
  version: number;
  savedAt: string;
  /** error key → message from the API (already in the person's language) */
  serverErrors: Record<string, string>;
  localProblems: LocalProblem[];
  /** another tab saved since: what this one had, to bring back on request */
  conflict: Conflict | null;
  restoreMine(): void;
  keepTheirs(): void;
  /** a draft found in this browser at load, put back */
  restored: boolean;
  dismissRestored(): void;
  /** save now (before publishing): resolves once the draft as it is now is saved, or why not */
  saveNow(): Promise<SaveOutcome>;
  /** the latest saved site when a conflict reloaded it */
  reloaded: SiteState | null;
}

export function useSiteDraft(token: string, site: SiteState, locale: Locale): SiteDraft {
  const storageKey = `conciergerie.editor.${token}`;
  const copyKey = `${storageKey}.mine`;

  const [init] = useState(() => {
    const fromServer = draftFromContent(site.document, locale);
    const serverCanon = canonical(site.document);
    const local = site.editable ? read(storageKey) : null;
    const copy = site.editable ? read(copyKey) : null;
    const kept: Conflict | null = copy ? { mine: copy.draft, base: copy.base ?? null } : null;
    if (!local || canonical(contentFromDraft(local.draft).document) === serverCanon) {
      write(storageKey, null);
      return { draft: fromServer, restored: false, conflict: kept };
    }
    // the same version as the server's: simply not saved yet (a reload, a crash, a closed tab)
    if (local.baseVersion === site.version) return { draft: local.draft, restored: true, conflict: kept };
    // saved from elsewhere since this draft began: show the newer one, keep this one to bring back
    write(copyKey, local);
    write(storageKey, null);
    return { draft: fromServer, restored: false, conflict: { mine: local.draft, base: local.base ?? null } };
  });

  const [draft, setDraft] = useState<Draft>(init.draft);
  const [state, setState] = useState<SaveState>(site.editable ? 'saved' : 'readonly');
  const [version, setVersion] = useState(site.version);
  const [savedAt, setSavedAt] = useState(site.updatedAt);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<Conflict | null>(init.conflict);
  const [restored, setRestored] = useState(init.restored);
  const [reloaded, setReloaded] = useState<SiteState | null>(null);

  const draftRef = useRef(draft);
  draftRef.current = draft;
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const versionRef = useRef(site.version);
  const savedCanon = useRef(canonical(site.document));
  /** the draft as last saved (or loaded): what "my changes" are measured from in a conflict */
  const base = useRef<Draft>(draftFromContent(site.document, locale));
  const running = useRef<Promise<SaveOutcome> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const editable = site.editable && state !== 'readonly';

  const converted = contentFromDraft(draft);
  const localProblems = converted.problems;

  const reloadAfterConflict = useCallback(
    async (mine: Draft): Promise<void> => {
      const mineBase = base.current;
      write(copyKey, { baseVersion: versionRef.current, base: mineBase, draft: mine, at: Date.now() });
      write(storageKey, null);
      for (let attempt = 0; ; attempt++) {
        try {
          const fresh = await siteApi.load(token, localeRef.current);
          versionRef.current = fresh.version;
          savedCanon.current = canonical(fresh.document);
          setVersion(fresh.version);
          setSavedAt(fresh.updatedAt);
          setServerErrors({});
          setReloaded(fresh);
          if (canonical(contentFromDraft(mine).document) === savedCanon.current) {
            // the other save was this very content (this tab's own last words on leaving, another tab restoring it)
            write(copyKey, null);
            base.current = mine;
            setState('saved');
            return;
          }
          setConflict({ mine, base: mineBase });
          const theirs = draftFromContent(fresh.document, localeRef.current);
          base.current = theirs;
          setDraft(theirs);
          setState('conflict');
          return;
        } catch {
          if (attempt >= 5) {
            setState('offline');
            return;
          }
          await new Promise((r) => setTimeout(r, RETRY_MS));
        }
      }
    },
    [token, storageKey, copyKey],
  );

  const run = useCallback(async (): Promise<SaveOutcome> => {
    for (;;) {
      const current = draftRef.current;
      const conv = contentFromDraft(current);
      if (conv.problems.length) {
        setState('invalid');
        return 'invalid';
      }
      const canon = canonical(conv.document);
      if (canon === savedCanon.current) {
        write(storageKey, null);
        setState((s) => (s === 'conflict' ? s : 'saved'));
        return 'saved';
      }
      setState('saving');
      try {
        const saved = await siteApi.save(token, versionRef.current, conv.document, localeRef.current);
        versionRef.current = saved.version;
        savedCanon.current = canon;
        base.current = current;
        setVersion(saved.version);
        setSavedAt(saved.updatedAt);
        setServerErrors({});
        if (canonical(contentFromDraft(draftRef.current).document) === canon) {
          write(storageKey, null);
          setState('saved');
          return 'saved';
        }
        // typed on while it was saving: go round again with the newer draft
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) {
          const errors: Record<string, string> = {};
          const fields = err.fields.length ? err.fields : [{ field: '(body)', code: err.code, message: err.message }];
          for (const f of fields) {
            const key = errorKey(f.field, conv.keys);
            errors[key] ??= f.message;
          }
          setServerErrors(errors);
          setState('invalid');
          return 'invalid';
        }
        if (err instanceof ApiError && err.code === 'site_version_conflict') {
          await reloadAfterConflict(current);
          return 'conflict';
        }
        if (err instanceof ApiError && (err.code === 'site_not_editable' || err.status === 404)) {
          setState('readonly');
          return 'failed';
        }
        const offline = err instanceof NetworkError;
        setState(offline ? 'offline' : 'failed');
        // the draft is safe in localStorage; try again in a moment
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void saveNowRef.current(), RETRY_MS);
        return offline ? 'offline' : 'failed';
      }
    }
  }, [token, storageKey, reloadAfterConflict]);

  const saveNow = useCallback((): Promise<SaveOutcome> => {
    clearTimeout(timer.current);
    if (!running.current) running.current = run().finally(() => (running.current = null));
    return running.current;
  }, [run]);
  const saveNowRef = useRef(saveNow);
  saveNowRef.current = saveNow;

  // every change: kept in this browser at once, saved after a quiet moment
  const canon = canonical(converted.document);
  const problemCount = localProblems.length;
  useEffect(() => {
    if (!editable) return;
    if (canon === savedCanon.current && problemCount === 0) {
      write(storageKey, null);
      clearTimeout(timer.current);
      if (!running.current) setState((s) => (s === 'pending' || s === 'invalid' || s === 'offline' || s === 'failed' ? 'saved' : s));
      return;
    }
    write(storageKey, { baseVersion: versionRef.current, base: base.current, draft: draftRef.current, at: Date.now() });
    if (problemCount > 0) {
      clearTimeout(timer.current);
      setState('invalid');
      return;
    }
    if (!running.current) setState((s) => (s === 'conflict' ? s : 'pending'));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNowRef.current(), AUTOSAVE_MS);
  }, [canon, problemCount, editable, storageKey, draft]);

  // the API's messages follow the language: ask again in the new one
  const hasServerErrors = Object.keys(serverErrors).length > 0;
  const previousLocale = useRef(locale);
  useEffect(() => {
    if (previousLocale.current === locale) return;
    previousLocale.current = locale;
    if (hasServerErrors) void saveNowRef.current();
  }, [locale, hasServerErrors]);

  // leaving the page with changes not saved yet: one last try (the copy in localStorage stays either way)
  useEffect(() => {
    const flush = () => {
      const conv = contentFromDraft(draftRef.current);
      if (!editable || conv.problems.length || canonical(conv.document) === savedCanon.current) return;
      // a request that outlives the page; too large for that, it fails, and the localStorage copy is there on return
      siteApi.save(token, versionRef.current, conv.document, localeRef.current, { keepalive: true }).catch(() => {});
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [token, editable]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const update = useCallback((fn: (d: Draft) => Draft, ...touched: string[]) => {
    setDraft((d) => fn(d));
    if (touched.length)
      setServerErrors((errors) => {
        if (!touched.some((k) => k in errors)) return errors;
        const next = { ...errors };
        for (const k of touched) delete next[k];
        return next;
      });
  }, []);

  return {
    draft,
    update,
    state,
    version,
    savedAt,
    serverErrors,
    localProblems,
    conflict,
    restoreMine: () => {
      if (!conflict) return;
      write(copyKey, null);
      setConflict(null);
      setState('pending');
      setDraft(mergeDrafts(conflict.base, conflict.mine, draftRef.current));
    },
    keepTheirs: () => {
      write(copyKey, null);
      setConflict(null);
      setState('saved');
    },
    restored,
    dismissRestored: () => setRestored(false),
    saveNow,
    reloaded,
  };
}
