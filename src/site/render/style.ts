// The sites' one style sheet, inline in each page, built from the template's layout and the palette.
import { rgba } from './palette.ts';
import type { SiteView } from './view.ts';

export const SANS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif';
export const SERIF = '"Iowan Old Style","Palatino Linotype",Palatino,"Book Antiqua",Georgia,Cambria,"Times New Roman",serif';

/** One style sheet, inline: the page makes no request but its favicon, and no font or CDN can slow it down. */
export function styleSheet(v: SiteView): string {
  const c = v.colors;
  const r = v.layout.radius;
  const onP = (a: number) => rgba(c.onPrimary, a);
  return `
:root{--primary:${c.primary};--on-primary:${c.onPrimary};--accent:${c.accent};--on-accent:${c.onAccent};--primary-ink:${c.primaryInk};--accent-ink:${c.accentInk};--primary-soft:${c.primarySoft};--bg:${c.bg};--surface:#ffffff;--ink:${c.ink};--ink-soft:${c.inkSoft};--muted:${c.muted};--line:${c.line};--line-strong:${c.lineStrong};--radius:${r}px;--radius-lg:${r + 6}px;--sans:${SANS};--display:${v.layout.font === 'serif' ? SERIF : SANS};--shadow:0 1px 2px rgba(16,24,40,.05),0 8px 24px -12px rgba(16,24,40,.12);--shadow-lg:0 24px 48px -16px rgba(16,24,40,.28);color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%;scroll-behavior:smooth;scroll-padding-top:84px}
body{margin:0;background:var(--bg);color:var(--ink);font:400 1rem/1.65 var(--sans);-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale;text-rendering:optimizeLegibility;overflow-wrap:break-word}
h1,h2,h3{font-family:var(--display);line-height:1.15;margin:0;color:var(--ink);text-wrap:balance}
p{margin:0 0 1em}
p:last-child{margin-bottom:0}
a{color:var(--primary-ink);text-underline-offset:.18em}
a[href^="tel:"]{white-space:nowrap}
ul{margin:0;padding:0;list-style:none}
:focus-visible{outline:3px solid var(--accent-ink);outline-offset:3px;border-radius:4px}
.hero :focus-visible,.band :focus-visible,.footer :focus-visible{outline-color:currentColor}
.hero .hero-card :focus-visible{outline-color:var(--accent-ink)}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.icon{width:1.15em;height:1.15em;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.wrap{width:100%;max-width:1140px;margin:0 auto;padding:0 clamp(20px,5vw,40px)}
.skip{position:absolute;left:12px;top:-60px;z-index:20;padding:10px 16px;border-radius:8px;background:var(--surface);color:var(--ink);font-weight:600;box-shadow:var(--shadow)}
.skip:focus{top:12px}
.topbar{position:sticky;top:0;z-index:10;background:rgba(255,255,255,.9);-webkit-backdrop-filter:saturate(180%) blur(14px);backdrop-filter:saturate(180%) blur(14px);border-bottom:1px solid var(--line)}
.topbar .wrap{display:flex;align-items:center;gap:16px;min-height:68px;padding-top:8px;padding-bottom:8px}
.brand{display:flex;align-items:center;gap:12px;min-width:0;margin-right:auto;color:var(--ink);text-decoration:none;font-family:var(--display);font-weight:700;font-size:1.125rem;letter-spacing:-.01em}
.brand-name{min-width:0;line-height:1.2;overflow-wrap:break-word;hyphens:auto}
.mark{display:inline-grid;place-items:center;flex:none;width:38px;height:38px;border-radius:calc(var(--radius) - 2px);background:var(--primary);color:var(--on-primary);font:800 .875rem/1 var(--sans);letter-spacing:.03em}
.nav-links{display:flex;gap:2px}
.nav-toggle{display:none}
.nav-toggle summary{display:flex;align-items:center;gap:8px;min-height:42px;padding:8px 14px;border:1px solid var(--line-strong);border-radius:var(--radius);color:var(--ink);font-weight:600;font-size:.9375rem;cursor:pointer;list-style:none}
.nav-toggle summary::-webkit-details-marker{display:none}
.nav-toggle[open] summary{background:var(--primary-soft)}
.nav a{padding:8px 14px;border-radius:999px;color:var(--ink-soft);font-size:.9375rem;font-weight:500;text-decoration:none;transition:background-color .15s,color .15s}
.nav a:hover{background:var(--primary-soft);color:var(--ink)}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:10px;min-height:50px;padding:12px 24px;border:2px solid transparent;border-radius:var(--radius);font:600 1rem/1.2 var(--sans);text-align:center;text-decoration:none;cursor:pointer;transition:transform .15s ease,box-shadow .15s ease,background-color .15s ease}
.btn:hover{transform:translateY(-1px)}
.btn-accent{background:var(--accent);color:var(--on-accent);box-shadow:0 10px 24px -10px rgba(0,0,0,.45)}
.btn-accent:hover{box-shadow:0 14px 28px -10px rgba(0,0,0,.5)}
.btn-primary{background:var(--primary);color:var(--on-primary)}
.btn-outline{border-color:currentColor;color:inherit;background:transparent}
.btn-sm{flex:none;min-height:42px;padding:8px 16px;font-size:.9375rem}
.hero{position:relative;overflow:hidden;padding:clamp(64px,11vw,128px) 0 clamp(64px,10vw,120px);color:var(--on-primary);background:radial-gradient(circle at 88% 12%,${rgba(c.accent, 0.3)},transparent 42%),radial-gradient(circle at 6% 100%,${rgba(c.accent, 0.16)},transparent 38%),linear-gradient(135deg,${c.primary} 0%,${c.heroEnd} 100%)}
.hero::after{content:"";position:absolute;inset:0;pointer-events:none;background-image:radial-gradient(${onP(0.09)} 1px,transparent 1px);background-size:22px 22px;-webkit-mask-image:linear-gradient(to bottom,#000,transparent 75%);mask-image:linear-gradient(to bottom,#000,transparent 75%)}
.hero-grid{position:relative;z-index:1;display:grid;gap:40px;align-items:center}
.hero h1{color:inherit;font-size:clamp(2.375rem,7vw,4.25rem);font-weight:800;letter-spacing:-.025em;line-height:1.05;hyphens:auto}
.hero h1.long{font-size:clamp(1.875rem,4.6vw,3rem);line-height:1.12}
.tagline{max-width:34em;margin:20px 0 0;font-size:clamp(1.125rem,2.4vw,1.375rem);line-height:1.5;color:${onP(0.9)}}
.chip{display:inline-flex;align-items:center;gap:8px;margin:0 0 22px;padding:7px 14px;border-radius:999px;background:${onP(0.12)};border:1px solid ${onP(0.24)};font-size:.875rem;font-weight:600;letter-spacing:.01em}
.actions{display:flex;flex-wrap:wrap;gap:12px;margin-top:36px}
.hero .btn-outline{border-color:${onP(0.55)};color:var(--on-primary)}
.hero .btn-outline:hover{background:${onP(0.1)}}
.hero-card{padding:clamp(24px,4vw,34px);border-radius:var(--radius-lg);background:var(--surface);color:var(--ink);box-shadow:var(--shadow-lg)}
.hero-card h2{display:flex;align-items:center;gap:10px;margin-bottom:18px;font-size:1.375rem}
.hero-card h2 .icon{color:var(--accent-ink)}
.hero-card .btn{width:100%;margin-top:22px}
.hero-card-label{margin:0 0 10px;color:var(--muted);font-size:.8125rem;font-weight:700;letter-spacing:.1em;text-transform:uppercase}
.hero-card-foot{display:flex;gap:10px;margin:18px 0 0;padding-top:18px;border-top:1px solid var(--line);color:var(--ink-soft);font-size:.9375rem}
.hero-card-foot .icon{margin-top:.2em;color:var(--accent-ink)}
.checks li{display:flex;gap:12px;align-items:flex-start;padding:9px 0;border-bottom:1px solid var(--line);font-weight:500}
.checks li:last-child{border-bottom:0}
.checks .icon{margin-top:.25em;color:var(--accent-ink)}
.section{padding:clamp(64px,9vw,112px) 0}
.section.alt{background:var(--surface)}
.section-head{max-width:680px;margin-bottom:clamp(32px,5vw,52px)}
.eyebrow{margin:0 0 12px;color:var(--accent-ink);font-size:.8125rem;font-weight:700;letter-spacing:.14em;text-transform:uppercase}
.section-head h2{font-size:clamp(1.875rem,4.2vw,2.75rem);letter-spacing:-.02em}
.section-head h2::after{content:"";display:block;width:56px;height:4px;margin-top:18px;border-radius:2px;background:var(--accent)}
.prose{max-width:68ch;color:var(--ink-soft);font-size:clamp(1.0625rem,1.6vw,1.1875rem);line-height:1.75}
.cards{display:grid;gap:clamp(16px,2.5vw,24px);grid-template-columns:repeat(auto-fill,minmax(min(100%,260px),1fr))}
.card{position:relative;display:flex;flex-direction:column;gap:10px;padding:clamp(22px,3vw,30px);border:1px solid var(--line);border-radius:var(--radius-lg);background:var(--surface);box-shadow:var(--shadow);transition:transform .2s ease,box-shadow .2s ease}
.alt .card{background:var(--bg)}
.card:hover{transform:translateY(-3px);box-shadow:var(--shadow-lg)}
.card h3{font-size:1.1875rem;letter-spacing:-.01em}
.card p{margin:0;color:var(--muted)}
.card .price{margin-top:auto;padding-top:10px;color:var(--accent-ink);font-size:1.0625rem;font-weight:700}
.num{color:var(--accent-ink);font:800 .875rem/1 var(--sans);letter-spacing:.12em}
.menu{display:grid;gap:28px 64px;max-width:720px}
.menu-2{max-width:1040px}
.menu-item h3{font-size:1.25rem;font-weight:600}
.menu-line{display:flex;align-items:baseline;gap:14px}
.menu-dots{flex:1 1 24px;min-width:24px;border-bottom:2px dotted var(--line-strong);transform:translateY(-.3em)}
.menu-price{flex:none;color:var(--accent-ink);font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}
.menu-desc{margin-top:6px;color:var(--muted);font-size:.975rem;max-width:56ch}
.contact{display:grid;grid-template-columns:minmax(0,1fr);gap:24px}
.contact-list{display:grid;gap:16px}
.contact-grid{grid-template-columns:repeat(auto-fit,minmax(min(100%,250px),1fr))}
.contact-1{max-width:440px}
.contact-2{max-width:780px}
.t-vitrine .contact-grid,.t-restaurant .contact-grid{margin-left:auto;margin-right:auto}
.contact-card{display:flex;gap:16px;align-items:flex-start;padding:22px;border:1px solid var(--line);border-radius:var(--radius-lg);background:var(--surface);box-shadow:var(--shadow)}
.alt .contact-card,.alt .hours-card{background:var(--bg)}
.contact-card>div{min-width:0}
.contact-icon{display:grid;place-items:center;flex:none;width:46px;height:46px;border-radius:var(--radius);background:var(--primary-soft);color:var(--primary-ink)}
.contact-card h3{margin-bottom:4px;color:var(--muted);font:700 .8125rem/1.4 var(--sans);letter-spacing:.1em;text-transform:uppercase}
.contact-card p{margin:0;font-size:1.0625rem}
.contact-card a{font-weight:600;overflow-wrap:anywhere}
.map-link{display:inline-flex;align-items:center;gap:6px;margin-top:8px}
.hours-card{padding:clamp(22px,3vw,30px);border:1px solid var(--line);border-radius:var(--radius-lg);background:var(--surface);box-shadow:var(--shadow)}
.hours-card h3{display:flex;align-items:center;gap:10px;margin-bottom:8px;font-size:1.25rem}
.hours-card h3 .icon{color:var(--accent-ink)}
.hours{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
.hours th,.hours td{padding:11px 0;border-bottom:1px solid var(--line);vertical-align:top}
.hours tr:last-child th,.hours tr:last-child td{border-bottom:0}
.hours th{padding-right:16px;text-align:left;font-weight:600}
.hours td{text-align:right;color:var(--ink-soft)}
.hours td span{display:inline-block;white-space:nowrap}
.hours .closed td{color:var(--muted)}
.band{margin-top:clamp(40px,6vw,64px);display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:28px;padding:clamp(28px,5vw,52px);border-radius:var(--radius-lg);color:var(--on-primary);background:radial-gradient(circle at 100% 0%,${rgba(c.accent, 0.28)},transparent 50%),linear-gradient(135deg,${c.primary},${c.heroEnd})}
.band h3{color:inherit;font-size:clamp(1.5rem,3.4vw,2.125rem);letter-spacing:-.02em}
.band p{margin:10px 0 0;max-width:40em;color:${onP(0.88)}}
.band>div:first-child{flex:1 1 320px}
.band .actions{flex:0 1 auto;margin-top:0}
.band .btn-outline{border-color:${onP(0.55)};color:var(--on-primary)}
.footer{padding:48px 0 36px;background:${c.footerBg};color:rgba(255,255,255,.74);font-size:.9375rem}
.footer-top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:24px;padding-bottom:28px;border-bottom:1px solid rgba(255,255,255,.14)}
.footer-brand{display:flex;align-items:center;gap:14px}
.footer-name{margin:0;color:#ffffff;font-family:var(--display);font-weight:700;font-size:1.125rem}
.footer-city{margin:0}
.footer-links{display:flex;flex-wrap:wrap;gap:10px 24px}
.footer a{display:inline-flex;align-items:center;gap:8px;color:#ffffff;text-decoration:none;overflow-wrap:anywhere}
.footer a:hover{text-decoration:underline}
.footer-legal{margin:24px 0 0;font-size:.8125rem}
.hero-center .hero-text{text-align:center;max-width:820px;margin:0 auto}
.hero-center .tagline{margin-left:auto;margin-right:auto}
.hero-center .actions{justify-content:center}
.t-vitrine .section-head{margin-left:auto;margin-right:auto;text-align:center}
.t-vitrine .section-head h2::after{margin-left:auto;margin-right:auto}
.t-vitrine .prose{margin:0 auto}
.t-restaurant .hero h1{font-weight:700;letter-spacing:-.01em}
.t-restaurant .eyebrow{font-family:var(--display);font-size:1.0625rem;font-style:italic;font-weight:400;letter-spacing:0;text-transform:none}
.t-restaurant .section-head{margin-left:auto;margin-right:auto;text-align:center}
.t-restaurant .section-head h2::after{width:72px;height:2px;margin-left:auto;margin-right:auto}
.t-restaurant .menu,.t-restaurant .prose{margin-left:auto;margin-right:auto}
.t-artisan .hero h1{letter-spacing:-.03em}
.t-artisan .hero-text{padding-left:clamp(18px,3vw,32px);border-left:6px solid var(--accent)}
.t-artisan .card{border-top:4px solid var(--accent)}
.t-artisan .section-head h2::after{width:40px;height:6px;border-radius:0}
@media (min-width:760px){
.menu-2{grid-template-columns:1fr 1fr}
.contact-split{grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);align-items:start}
}
@media (min-width:960px){
.hero-grid.has-aside{grid-template-columns:minmax(0,1.3fr) minmax(320px,1fr);gap:64px}
}
@media (max-width:879px){
.nav-toggle{display:block}
.nav-links{display:none;position:absolute;left:0;right:0;top:100%;flex-direction:column;gap:0;padding:8px clamp(20px,5vw,40px) 16px;background:var(--surface);border-bottom:1px solid var(--line);box-shadow:var(--shadow-lg)}
.nav-toggle[open]+.nav-links{display:flex}
.nav-links a{padding:14px 8px;border-radius:0;border-bottom:1px solid var(--line);font-size:1.0625rem}
.nav-links a:last-child{border-bottom:0}
}
@media (max-width:520px){
.actions .btn{flex:1 1 100%}
.band .actions{flex:1 1 100%}
.brand{font-size:1rem;gap:10px}
.topbar .wrap{gap:10px}
.topbar .btn-sm{padding:8px 11px}
.topbar .btn-sm span{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.nav-toggle summary{padding:8px 11px}
.mark{width:34px;height:34px}
.footer-top{flex-direction:column;align-items:flex-start}
}
@media (prefers-reduced-motion:reduce){html{scroll-behavior:auto}*,*::before,*::after{transition:none!important}}
@media print{.topbar,.skip,.actions,.band{display:none}.hero{color:#000;background:none}.hero-card,.card,.contact-card,.hours-card{box-shadow:none}}
`;
}

export const NOT_FOUND_CSS = `.page-404 main{min-height:calc(100vh - 69px);display:flex;align-items:center}
.not-found{max-width:560px;margin:0 auto;text-align:center}
.not-found-code{margin:0;color:var(--primary-ink);font:800 clamp(5rem,18vw,8rem)/1 var(--display);letter-spacing:-.04em}
.not-found h1{margin:8px 0 16px;font-size:clamp(1.75rem,4vw,2.375rem)}
.not-found p{color:var(--muted)}
.not-found .actions{justify-content:center}
`;
