// The live preview: the document as typed, rendered by the real renderer (POST …/preview) a moment after the last change.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.ts';
import type { Locale } from '../i18n.ts';
import { siteApi, type SiteContent } from './siteApi.ts';

export type PreviewState = 'loading' | 'updating' | 'ready' | 'invalid' | 'offline';

export const PREVIEW_MS = 350;

/** `canon` is the document's canonical text: the same content is not rendered twice. */
export function usePreview(
  token: string,
  document: SiteContent,
  canon: string,
  blocked: boolean,
  locale: Locale,
): { html: string | null; state: PreviewState } {
  const [html, setHtml] = useState<string | null>(null);
  const [state, setState] = useState<PreviewState>('loading');
  const docRef = useRef(document);
  docRef.current = document;
  const first = useRef(true);

  useEffect(() => {
    if (blocked) {
      setState('invalid');
      return;
    }
    const ctrl = new AbortController();
    setState((s) => (s === 'loading' ? s : 'updating'));
    const timer = setTimeout(
      () => {
        siteApi.preview(token, docRef.current, locale, ctrl.signal).then(
          (h) => {
            first.current = false;
            setHtml(h);
            setState('ready');
          },
          (err) => {
            if ((err as Error).name === 'AbortError') return;
            setState(err instanceof ApiError && err.status === 422 ? 'invalid' : 'offline');
          },
        );
      },
      first.current ? 0 : PREVIEW_MS,
    );
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [token, canon, blocked, locale]);

  return { html, state };
}
