// The order's status, live: one GET for a quick first answer, then the server-sent events stream, reconnecting when it drops;
// the tracking page stops at a final state, the editor keeps following (publishing adds to a delivered order's timeline).
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, answerOf, api, mergeStatus, type OrderStatus } from '../api.ts';
import type { Locale } from '../i18n.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LiveStatus {
  status: OrderStatus | null;
  /** Date.now() when `status` arrived, to run the elapsed-time clock from the server's figure */
  receivedAt: number;
  connection: Connection;
  problem: 'not_found' | 'unavailable' | null;
  /** fetch the status again now (after an action) */
  refresh(): void;
}

const RETRY_MS = 3000;

export function useOrderStatus(token: string, locale: Locale, opts: { afterFinal?: boolean } = {}): LiveStatus {
  const { afterFinal = false } = opts;
  const [status, setStatus] = useState<OrderStatus | null>(null);
  const [receivedAt, setReceivedAt] = useState(0);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [problem, setProblem] = useState<LiveStatus['problem']>(null);
  const refreshRef = useRef<() => void>(() => {});

  useEffect(() => {
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastId = -1;

    let current: OrderStatus | null = null;
    const accept = (s: OrderStatus) => {
      if (stopped) return;
      // an older status arriving late is ignored
      if (typeof s.lastEventId === 'number' && s.lastEventId < lastId) return;
      // the stream sends only the events we lack; when it does not continue what we have, fetch the whole status
      const merged = mergeStatus(current, s);
      if (!merged) {
        api.status(token, locale).then(accept, () => {});
        return;
      }
      current = merged;
      lastId = typeof s.lastEventId === 'number' ? s.lastEventId : lastId;
      setStatus(merged);
      setReceivedAt(Date.now());
      setProblem(null);
      if (s.final && !afterFinal) {
        source?.close();
        source = null;
        setConnection('closed');
      }
    };

    const stream = () => {
      if (stopped || source) return;
      const es = new EventSource(api.statusEventsUrl(token, locale));
      source = es;
      es.addEventListener('status', (e) => {
        setConnection('live');
        try {
          accept(answerOf('GET /api/concierge/status/:token', (e as MessageEvent<string>).data));
        } catch {
          // a malformed frame: the next one will do
        }
      });
      es.onopen = () => !stopped && setConnection('live');
      es.onerror = () => {
        if (stopped) return;
        if (es.readyState === EventSource.CLOSED) {
          // the browser gave up (the server answered an error): start over ourselves, status first
          source = null;
          setConnection('reconnecting');
          timer = setTimeout(load, RETRY_MS);
        } else {
          setConnection('reconnecting'); // the browser reconnects on its own
        }
      };
    };

    const load = () => {
      if (stopped) return;
      api.status(token, locale).then(
        (s) => {
          accept(s);
          if (!s.final || afterFinal) stream();
        },
        (err) => {
          if (stopped) return;
          if (err instanceof ApiError && err.status === 404) {
            setProblem('not_found');
            setConnection('closed');
            return;
          }
          setProblem('unavailable');
          setConnection('reconnecting');
          timer = setTimeout(load, RETRY_MS);
        },
      );
    };

    refreshRef.current = () => {
      api.status(token, locale).then(accept, () => {});
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [token, locale, afterFinal]);

  // the same function on every render: an effect may depend on it
  const refresh = useCallback(() => refreshRef.current(), []);
  return { status, receivedAt, connection, problem, refresh };
}
