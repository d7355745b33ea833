// The price list from the API, fetched once per page and shared by the landing page and the modal.
import { useEffect, useState } from 'react';
import { api, type PriceList } from './api.ts';

let pending: Promise<PriceList> | null = null;

function load(): Promise<PriceList> {
  pending ??= api.prices().catch((err) => {
    pending = null; // a later mount may try again
    throw err;
  });
  return pending;
}

export function usePrices(): { prices: PriceList | null; failed: boolean } {
  const [prices, setPrices] = useState<PriceList | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load().then(
      (p) => live && setPrices(p),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  return { prices, failed };
}

export function cheapestTld(p: PriceList): { tld: string; amountCents: number } | undefined {
  return [...p.tlds].sort((a, b) => a.amountCents - b.amountCents)[0];
}

export function tldList(p: PriceList | null): string {
  return p ? p.tlds.map((x) => `.${x.tld}`).join(', ') : '';
}
