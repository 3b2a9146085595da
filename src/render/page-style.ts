/**
 * The archive's stylesheet: a reading column that follows the reader's light or dark theme,
 * market tiles in a grid that folds from five across to two on a phone, the card full width.
 */
export const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#16181d;--bg:#f6f7f9;--card:#ffffff;--muted:#5d6472;--line:#e2e5ea;--link:#0b57d0;--up:#0f7b3f;--down:#b3261e;--accent:#b7791f;--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08)}
@media (prefers-color-scheme:dark){:root{--fg:#e9ecf1;--bg:#0f131a;--card:#171c25;--muted:#9aa4b5;--line:#262d3a;--link:#8ab4f8;--up:#5fd38d;--down:#ff8a8a;--accent:#f7b23b;--shadow:none}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
img{max-width:100%;height:auto;display:block}
a{color:var(--link);overflow-wrap:anywhere}
nav{font-size:.95rem;display:flex;gap:1rem;flex-wrap:wrap}
main{max-width:50rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .4rem;letter-spacing:-.015em;overflow-wrap:anywhere}
h2{font-size:.8rem;margin:2rem 0 .6rem;color:var(--muted);text-transform:uppercase;letter-spacing:.08em}
.meta,.closing,.writer,.empty{color:var(--muted);font-size:.9rem}
.card{margin:1rem 0 1.25rem;border-radius:14px;overflow:hidden;box-shadow:var(--shadow);border:1px solid var(--line);background:#0e1627}
.card img{width:100%}
.market{font-variant-numeric:tabular-nums;border-left:3px solid var(--line);padding-left:.75rem;overflow-wrap:anywhere}
.up .market{border-color:var(--up)}.down .market{border-color:var(--down)}
.paragraph{font-size:1.08rem;line-height:1.7;max-width:42rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem;margin:0;padding:0;list-style:none}
.tiles li.tile{margin:0}
.tile{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.65rem .8rem;box-shadow:var(--shadow);min-width:0}
.tile .k{font-size:.78rem;color:var(--muted);text-transform:uppercase;letter-spacing:.06em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tile .v{font-size:1.2rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.3;overflow-wrap:anywhere}
.tile .d{font-size:.88rem;font-variant-numeric:tabular-nums;color:var(--muted)}
.pos{color:var(--up)}.neg{color:var(--down)}.odds{color:var(--accent)}
ol,ul{padding-left:1.25rem}li{margin:.35rem 0}
.sources{list-style:none;padding:0;counter-reset:src}
.sources li{counter-increment:src;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.55rem .8rem .55rem 2.4rem;position:relative;margin:.45rem 0}
.sources li::before{content:counter(src);position:absolute;left:.8rem;top:.55rem;color:var(--muted);font-variant-numeric:tabular-nums;font-size:.9rem}
.sources a{text-decoration:none;font-weight:600}
.archive{list-style:none;padding:0;margin:1rem 0}
.archive li{display:flex;gap:1rem;align-items:flex-start;background:var(--card);border:1px solid var(--line);border-radius:14px;padding:.8rem;margin:0 0 .8rem;box-shadow:var(--shadow)}
.archive .thumb{flex:0 0 15rem;border-radius:9px;overflow:hidden;background:#0e1627}
.archive .text{min-width:0;flex:1}
.archive a.title{font-weight:650;text-decoration:none;font-size:1.05rem;line-height:1.35;display:block}
.archive .market{font-size:.9rem;border:0;padding:0;margin:.3rem 0 0}
.pager{margin-top:1.5rem;align-items:center}
@media (max-width:40rem){
  body{font-size:16px}
  h1{font-size:1.35rem}
  .archive li{flex-direction:column}
  .archive .thumb{flex-basis:auto;width:100%}
  .tiles{grid-template-columns:repeat(2,minmax(0,1fr))}
}
`.trim();
