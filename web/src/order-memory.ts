// The order being followed, remembered across reloads and tabs (the token also stays in the URL).
export interface RememberedOrder {
  token: string;
  domain: string;
}

const KEY = 'conciergerie.order';

export function rememberOrder(order: RememberedOrder): void {
  const value = JSON.stringify(order);
  for (const store of stores()) {
    try {
      store.setItem(KEY, value);
    } catch {
      // storage disabled: the URL still carries the token
    }
  }
}

export function rememberedOrder(): RememberedOrder | null {
  for (const store of stores()) {
    try {
      const raw = store.getItem(KEY);
      if (!raw) continue;
      const v = JSON.parse(raw) as RememberedOrder;
      if (v && typeof v.token === 'string' && /^[A-Za-z0-9_-]{16,100}$/.test(v.token)) return v;
    } catch {
      // unreadable: ignore
    }
  }
  return null;
}

export function forgetOrder(): void {
  for (const store of stores()) {
    try {
      store.removeItem(KEY);
    } catch {
      // nothing to forget
    }
  }
}

function stores(): Storage[] {
  const list: Storage[] = [];
  try {
    list.push(sessionStorage, localStorage);
  } catch {
    // no storage at all
  }
  return list;
}
