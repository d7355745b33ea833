// HTML building blocks shared by every page: escaping, inline icons, buttons, paragraphs.
/** Every value that reaches HTML or XML goes through here, text and attributes alike. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export type Icon = 'phone' | 'mail' | 'pin' | 'clock' | 'external' | 'check' | 'arrow' | 'menu';

// Feather icons (MIT), inline so the page makes no request to draw them.
export const ICON_PATHS: Record<Icon, string> = {
  phone:
    '<path d="M22 16.92v3a2 2 0 0 1-2.18 2 19.79 19.79 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6 19.79 19.79 0 0 1-3.07-8.67A2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72c.13.96.36 1.9.7 2.81a2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45c.91.34 1.85.57 2.81.7A2 2 0 0 1 22 16.92z"/>',
  mail: '<path d="M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/><path d="m22 6-10 7L2 6"/>',
  pin: '<path d="M21 10c0 7-9 13-9 13S3 17 3 10a9 9 0 0 1 18 0z"/><circle cx="12" cy="10" r="3"/>',
  clock: '<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>',
  external: '<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6"/><path d="M15 3h6v6"/><path d="M10 14 21 3"/>',
  check: '<path d="M20 6 9 17l-5-5"/>',
  arrow: '<path d="M5 12h14"/><path d="m12 5 7 7-7 7"/>',
  menu: '<path d="M3 6h18"/><path d="M3 12h18"/><path d="M3 18h18"/>',
};

export function icon(name: Icon): string {
  return `<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${ICON_PATHS[name]}</svg>`;
}

export interface Action {
  label: string;
  href: string;
  style: 'accent' | 'outline' | 'primary';
  icon?: Icon;
  small?: boolean;
}

export function button(a: Action, t: (s: string) => string): string {
  // a call button's words stay on one line, like the number it dials
  const label = a.href.startsWith('tel:') ? t(a.label).replace(/ /g, '\u00a0') : t(a.label);
  return `<a class="btn btn-${a.style}${a.small ? ' btn-sm' : ''}" href="${escapeHtml(a.href)}">${a.icon ? icon(a.icon) : ''}<span>${label}</span></a>`;
}

export function renderParagraphs(paras: string[][], t: (s: string) => string): string {
  return paras.map((lines) => `<p>${lines.map(t).join('<br>')}</p>`).join('\n');
}
