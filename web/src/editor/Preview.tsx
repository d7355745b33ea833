// The preview: the renderer's HTML in a frame where nothing runs (sandboxed, our own origin so its pictures load),
// drawn at a desktop or phone width and scaled to the space it has; scrolling is kept across updates.
import { useEffect, useRef, useState } from 'react';
import type { EditorTexts } from './texts.ts';
import type { PreviewState } from './usePreview.ts';

const WIDTHS = { desktop: 1200, mobile: 390 } as const;

export function Preview({ html, state, e, visible, phone }: { html: string | null; state: PreviewState; e: EditorTexts; visible: boolean; phone: boolean }) {
  // on a phone, the site as a phone shows it first
  const [device, setDevice] = useState<keyof typeof WIDTHS>(phone ? 'mobile' : 'desktop');
  const box = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const scrollY = useRef(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [visible]);

  const onLoad = () => {
    const win = frame.current?.contentWindow;
    const doc = frame.current?.contentDocument;
    if (!win || !doc) return;
    doc.documentElement.style.scrollBehavior = 'auto';
    win.scrollTo(0, scrollY.current);
    win.addEventListener('scroll', () => (scrollY.current = win.scrollY), { passive: true });
    // the page's own links would take the frame away from the preview: in-page ones scroll, others open a tab
    doc.addEventListener('click', (ev) => {
      const a = (ev.target as Element | null)?.closest?.('a');
      if (!a) return;
      ev.preventDefault();
      const href = a.getAttribute('href') ?? '';
      if (href.startsWith('#')) doc.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
      else if (/^https?:\/\//i.test(href)) window.open(href, '_blank', 'noopener,noreferrer');
    });
  };

  const width = WIDTHS[device];
  const scale = size.width ? Math.min(1, size.width / width) : 1;
  const status =
    state === 'loading'
      ? e.preview.loading
      : state === 'updating'
        ? e.preview.updating
        : state === 'invalid'
          ? e.preview.invalid
          : state === 'offline'
            ? e.preview.offline
            : e.preview.upToDate;

  return (
    <div className="ed-preview">
      <div className="ed-preview-bar">
        {/* biome-ignore lint/a11y/useSemanticElements: a button group; a fieldset would need a legend and restyling */}
        <div className="segmented" role="group" aria-label={e.preview.width}>
          {(['desktop', 'mobile'] as const).map((d) => (
            <button key={d} type="button" aria-pressed={device === d} onClick={() => setDevice(d)}>
              {e.preview[d]}
            </button>
          ))}
        </div>
        <span className={`ed-preview-state ed-preview-${state}`} data-state={state}>
          {(state === 'updating' || state === 'loading') && <span className="spinner" aria-hidden="true" />}
          {status}
        </span>
      </div>
      <div className="ed-preview-box" ref={box}>
        {html !== null && (
          <iframe
            ref={frame}
            title={e.preview.frameTitle}
            // no scripts, no forms, no navigation of this page; same origin so the pictures (same-origin only) load
            sandbox="allow-same-origin"
            srcDoc={html}
            onLoad={onLoad}
            style={{
              width: `${width}px`,
              height: `${size.height / scale}px`,
              transform: `scale(${scale})`,
              marginLeft: `${Math.max(0, (size.width - width * scale) / 2)}px`,
            }}
          />
        )}
      </div>
    </div>
  );
}
