/** The page's style sheet: system fonts, light and dark from prefers-color-scheme, one column down to 360 px. */
export const PAGE_CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;--chip:#eaeef2;--accent:#0a58ca;--ok:#116329;--bad:#b42318;--warn:#7d4e00;--focus:#1f6feb}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--card:#161b22;--chip:#222a35;--accent:#79b8ff;--ok:#56d364;--bad:#ff7b72;--warn:#e3b341;--focus:#58a6ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;overflow-wrap:anywhere}
.wrap{max-width:62rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.6rem;margin:1rem 0 .25rem}
h2{font-size:1.2rem;margin:1.25rem 0 .75rem}
h3{font-size:1.05rem;margin:0}
h4{font-size:1rem;margin:1rem 0 .4rem}
a{color:var(--accent)}
code,textarea,input[type=text]{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.9em}
.lede{margin:0 0 .75rem;color:var(--muted)}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem}
.skip:focus{left:.5rem}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.tabs{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0;border-bottom:1px solid var(--line)}
.tabs a{display:block;padding:.5rem .8rem;text-decoration:none;color:var(--fg);border:1px solid transparent;border-bottom:0;border-radius:6px 6px 0 0}
.tabs a:hover{background:var(--card)}
.tabs a[aria-current]{border-color:var(--line);background:var(--card);font-weight:600;margin-bottom:-1px}
.row{display:flex;flex-wrap:wrap;gap:.75rem}
.field{margin:0 0 .5rem;min-width:0}
.grow{flex:1 1 18rem}
label{display:block;font-weight:600;margin-bottom:.2rem}
input[type=text],input[type=number],select,textarea{width:100%;padding:.5rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font-size:1rem}
input[type=number]{width:8rem}
textarea{resize:vertical}
.hint,.example,.meta,.catalog{color:var(--muted);font-size:.9rem;margin:.2rem 0 .6rem}
button{font:inherit;padding:.45rem 1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--bg);cursor:pointer;font-weight:600}
button.copy,button.more{background:transparent;color:var(--accent);padding:.2rem .7rem;font-weight:500}
.result{margin-top:1.25rem}
.status{margin:.5rem 0;font-weight:600}
.status:empty{margin:0}
.status.err{color:var(--bad)}
.result-head{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .75rem;border-top:1px solid var(--line);padding-top:.75rem}
.copied{color:var(--muted);font-size:.9rem}
.copied input{width:16rem;max-width:100%}
.card{border:1px solid var(--line);background:var(--card);border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}
.card h4{margin-top:0}
.m{display:inline-block;font:600 .8rem/1.6 ui-monospace,monospace;padding:0 .4rem;border-radius:4px;background:var(--chip)}
.set code,.hints code,.notes code,.warn code,.status code{background:var(--chip);padding:.05rem .3rem;border-radius:4px}
.tag{display:inline-block;color:var(--muted);font-size:.85rem;border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin-left:.25rem}
.badge{display:inline-block;font-size:.8rem;font-weight:700;padding:0 .45rem;border-radius:4px;border:1px solid currentColor}
.b-ok{color:var(--ok)}.b-missing,.b-error{color:var(--bad)}.b-unknown{color:var(--warn)}
.warn{color:var(--warn)}
.url-notes{list-style:none;padding:0}.url-notes .url{word-break:break-all}.removal{border-left:3px solid var(--bad);padding-left:.6rem}p.ok{color:var(--ok)}
ol,ul{padding-left:1.25rem}
.plain{list-style:none;padding:0}
.plain>li{margin:.5rem 0}
.checks>li{border-left:3px solid var(--line);padding-left:.75rem}
.checks>li.ok{border-color:var(--ok)}.checks>li.missing,.checks>li.error{border-color:var(--bad)}
.notes,.hints{color:var(--muted);font-size:.92rem}
footer{margin:2rem auto 1rem;color:var(--muted);font-size:.9rem}
[hidden]{display:none!important}
`;
