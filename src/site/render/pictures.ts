// The editor's logo and pictures in the pages (a hook kept apart from the templates): files, <img> tags, the gallery.
import type { SiteLocale } from '../document.ts';
import { escapeHtml } from './html.ts';
import { oneLine, type SiteView } from './view.ts';
//
// The caller (src/site/store.ts) hands over pictures it has already checked, resized and
// recompressed, each with its bytes, its narrower copies and paths that carry its hash, so the
// files stay deterministic and a new picture is a new name. The browser picks the copy its layout
// and screen need (srcset, sizes). Without images every file is byte for byte what it was before
// this hook.

export interface SiteImage {
  /** where the file goes in the site: "/assets/<kind>-<hash>.<ext>" */
  path: string;
  /** the bytes to deploy; may be left out when only the page is rendered (the editor's preview) */
  content?: Buffer;
  width: number;
  height: number;
  /** what the picture shows, for people who cannot see it; the logo needs none (the name follows it) */
  alt?: string;
  /** where the page loads it from, when not from `path` (the editor's preview, which shows `src` alone) */
  src?: string;
  /** narrower copies of the same picture, for srcset: "/assets/<kind>-<hash>-<width>.<ext>" */
  variants?: SiteImageVariant[];
}

export interface SiteImageVariant {
  path: string;
  width: number;
  /** the bytes to deploy; left out like SiteImage.content */
  content?: Buffer;
}

export interface SiteImages {
  logo?: SiteImage;
  /** shown as a gallery, in this order */
  pictures?: SiteImage[];
}

export const IMAGE_PATH = /^\/assets\/[a-z0-9][a-z0-9-]{0,80}\.(png|jpg|webp|gif)$/;
export const IMAGE_SRC = /^(\/[A-Za-z0-9._~/-]*|https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._~/-]*)$/;

/** Only well-formed pictures get in; a path that could land outside /assets/ is a programming error. */
export function siteImages(images: SiteImages | undefined): SiteImages | undefined {
  const valid = (i: SiteImage | undefined): SiteImage | undefined => {
    if (!i) return undefined;
    if (!IMAGE_PATH.test(i.path) || (i.src !== undefined && !IMAGE_SRC.test(i.src))) throw new RangeError(`not an image path: ${JSON.stringify(i.path)}`);
    if (!(Number.isInteger(i.width) && i.width > 0 && Number.isInteger(i.height) && i.height > 0)) throw new RangeError(`bad image size: ${i.path}`);
    for (const v of i.variants ?? []) {
      if (!IMAGE_PATH.test(v.path)) throw new RangeError(`not an image path: ${JSON.stringify(v.path)}`);
      // a copy is narrower than its picture: srcset then never offers the same width twice
      if (!(Number.isInteger(v.width) && v.width > 0 && v.width < i.width)) throw new RangeError(`bad image variant width: ${v.path}`);
    }
    return i;
  };
  const logo = valid(images?.logo);
  const pictures = (images?.pictures ?? []).map(valid).filter((i): i is SiteImage => !!i);
  if (!logo && pictures.length === 0) return undefined;
  return { ...(logo ? { logo } : {}), ...(pictures.length ? { pictures } : {}) };
}

/** Every file the pictures add, each picture followed by its narrower copies. */
export function imageFiles(images: SiteImages | undefined): { path: string; content: Buffer }[] {
  if (!images) return [];
  return [images.logo, ...(images.pictures ?? [])]
    .filter((i): i is SiteImage => !!i)
    .flatMap((i): { path: string; content?: Buffer }[] => [i, ...(i.variants ?? [])])
    .flatMap((f) => (f.content ? [{ path: f.path, content: f.content }] : []));
}

/**
 * How wide a gallery picture shows (IMAGES_CSS): one column on a phone, two on a small tablet,
 * then three at most in the 1140 px wrap, about 340 px each.
 */
export const GALLERY_SIZES = '(max-width: 600px) 100vw, (max-width: 900px) 50vw, 340px';

export function imageTag(i: SiteImage, cls: string, alt: string, opts: { lazy: boolean; sizes?: string }): string {
  // the preview loads the one picture from the editor's API, where the copies are not served
  const srcset =
    !i.src && i.variants?.length && opts.sizes
      ? ` srcset="${[...i.variants, { path: i.path, width: i.width }].map((v) => `${escapeHtml(v.path)} ${v.width}w`).join(', ')}" sizes="${opts.sizes}"`
      : '';
  return `<img class="${cls}" src="${escapeHtml(i.src ?? i.path)}"${srcset} alt="${alt}" width="${i.width}" height="${i.height}"${opts.lazy ? ' loading="lazy"' : ''} decoding="async">`;
}

/** The home page shows the logo and the gallery, the 404 page only the logo: the CSS goes where it is used. */
export function showsImages(v: SiteView, home: boolean): boolean {
  return home ? !!v.images : !!v.images?.logo;
}

/** The logo when there is one, else the initials. */
export function brandMark(v: SiteView): string {
  return v.images?.logo ? imageTag(v.images.logo, 'logo', '', { lazy: false }) : `<span class="mark" aria-hidden="true">${escapeHtml(v.initials)}</span>`;
}

/** The gallery goes just before the contact details (or last). */
export function withGallery<T extends string>(v: SiteView, sections: T[]): (T | 'gallery')[] {
  if (!v.images?.pictures?.length) return sections;
  const at = sections.indexOf('contact' as T);
  const out: (T | 'gallery')[] = [...sections];
  out.splice(at < 0 ? out.length : at, 0, 'gallery');
  return out;
}

export const GALLERY_COPY: Record<SiteLocale, { eyebrow: string; title: string }> = {
  fr: { eyebrow: 'Galerie', title: 'En images' },
  en: { eyebrow: 'Gallery', title: 'In pictures' },
};

export function galleryHtml(v: SiteView, t: (s: string) => string, alt: boolean): string {
  const c = GALLERY_COPY[v.locale];
  const items = (v.images?.pictures ?? []).map((p) => `<li>${imageTag(p, 'photo', t(oneLine(p.alt)), { lazy: true, sizes: GALLERY_SIZES })}</li>`).join('\n');
  return `<section class="section${alt ? ' alt' : ''}" id="gallery" aria-labelledby="gallery-title">
<div class="wrap">
<div class="section-head">
<p class="eyebrow">${t(c.eyebrow)}</p>
<h2 id="gallery-title">${t(c.title)}</h2>
</div>
<ul class="gallery">
${items}
</ul>
</div>
</section>`;
}

/** Link previews show the first picture, else the logo. */
export function ogImageMeta(v: SiteView): string[] {
  const image = v.images?.pictures?.[0] ?? v.images?.logo;
  if (!image) return [];
  return [
    `<meta property="og:image" content="${escapeHtml(`${v.url}${image.path.slice(1)}`)}">`,
    `<meta property="og:image:width" content="${image.width}">`,
    `<meta property="og:image:height" content="${image.height}">`,
  ];
}

export const IMAGES_CSS = `.logo{display:block;flex:none;width:auto;height:40px;max-width:180px;object-fit:contain}
@media (max-width:520px){.logo{height:32px;max-width:96px}}
.gallery{display:grid;gap:clamp(12px,2vw,20px);grid-template-columns:repeat(auto-fill,minmax(min(100%,260px),1fr))}
.gallery img{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;border-radius:var(--radius-lg);box-shadow:var(--shadow);background:var(--line)}
`;
