// The order's status kept live through its server-sent events for as long as the editor is open (a delivered order's
// stream stays open: publishing adds to its timeline), with a plain GET when the stream cannot be had.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, mergeStatus, type OrderStatus } from '../api.ts';
import type { Locale } from '../i18n.ts';

const RETRY_MS = 3000;

export function useOrderLive(token: string, locale: Locale): { status: OrderStatus | null; refresh(): void } {
  const [status, setStatus] = useState<OrderStatus | null>(null);
  const acceptRef = useRef<(s: OrderStatus) => void>(() => {});
  useEffect(() => {
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastId = -1;
    let current: OrderStatus | null = null;
    const accept = (s: OrderStatus) => {
      if (stopped || (typeof s.lastEventId === 'number' && s.lastEventId < lastId)) return;
      // the stream sends only the events we lack (see mergeStatus)
      const merged = mergeStatus(current, s);
      if (!merged) return void api.status(token, locale).then(accept, () => {});
      current = merged;
      lastId = s.lastEventId;
      setStatus(merged);
    };
    const open = () => {
      if (stopped) return;
      const es = new EventSource(api.statusEventsUrl(token, locale));
      source = es;
      es.addEventListener('status', (e) => {
        try {
          accept(JSON.parse((e as MessageEvent<string>).data) as OrderStatus);
        } catch {
          // a malformed frame: the next one will do
        }
      });
      es.onerror = () => {
        if (stopped || es.readyState !== EventSource.CLOSED) return; // the browser reconnects on its own
        source = null;
        timer = setTimeout(() => {
          api.status(token, locale).then(accept, () => {});
          open();
        }, RETRY_MS);
      };
    };
    acceptRef.current = accept;
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [token, locale]);
  const refresh = useCallback(() => {
    api.status(token, locale).then(
      (s) => acceptRef.current(s),
      () => {},
    );
  }, [token, locale]);
  return { status, refresh };
}
