// Trunk post-build hook (Trunk.toml `[[hooks]]`): turns the staged build into an installable,
// offline web app. Runs after Trunk has hashed and rewritten index.html, before the staging
// directory becomes dist/.
//
// 1. Writes the data the app fetches after it starts, as content-hashed files so a browser or a
//    CDN may cache them forever: the scenario library (tests/scenarios/*.json, whitespace outside
//    strings removed) and the IAM action/condition-key catalogue (crates/policy/data).
// 2. Names each in index.html (`<link data-asset=…>`), where the app finds their (hashed, relative)
//    names: the catalogue as `rel="preload"`, downloaded in parallel with the WebAssembly (a first
//    decision lints the policy with it); the library as `rel="alternate"`, fetched once the page
//    is on screen (a first decision runs the built-in default scenario; web/src/assets.rs); the
//    icon likewise, linked a second after the app is on screen.
// 3. Starts the WebAssembly's download and compilation from the top of <head>, before the
//    stylesheets (a script waits for the stylesheets above it; Trunk's own loader is a module
//    script, which waits for every stylesheet and the whole document): `window.s3pgWasm`, a
//    WebAssembly.Module promise that the loader is given instead of the file's URL. The styles are
//    one file, so the page makes five requests where an HTTP/1.1 browser opens six connections.
// 4. Splits the main WebAssembly module in two (scripts/split-wasm.mjs): the first half is what
//    the page starts with, the second arrives in idle time. The page, its styles and the
//    WebAssembly's glue lose their comments on the way (what a first visit waits for is code).
// 5. Writes sw.js, the service worker: it precaches every file of the build under a cache named
//    after a hash of all their bytes, so a reload works offline and a new build replaces the old.
//
// Every URL is relative to TRUNK_PUBLIC_URL ("./" for scripts/build), so dist/ can be served from
// any sub-path.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile, stat, rename, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { splitMain } from './split-wasm.mjs';

const root = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const staging = process.env.TRUNK_STAGING_DIR;
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? '/';
if (!staging) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run through trunk build)');
  process.exit(1);
}

const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** JSON text without the whitespace between tokens (strings are kept byte for byte). */
export function compactJson(text) {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (!/\s/.test(ch)) {
      out += ch;
      inString = ch === '"';
    }
  }
  return out;
}

async function library() {
  const dir = join(root, 'tests', 'scenarios');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const entries = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    let doc = {};
    try {
      doc = JSON.parse(text);
    } catch {
      // The app reports a scenario that does not load when it is opened.
    }
    const title = typeof doc.name === 'string' ? doc.name : 'untitled';
    const tag = Array.isArray(doc.tags) && typeof doc.tags[0] === 'string' ? doc.tags[0] : 'other';
    entries.push({ file, title, tag, text: compactJson(text) });
  }
  return JSON.stringify(entries);
}

/** The built-in course (course/{lessons,challenges,questions}/*.json) as one JSON array of
 *  [path, text] pairs; the learning views fetch it the first time one of them opens. */
async function course() {
  const entries = [];
  for (const dir of ['lessons', 'challenges', 'questions']) {
    const files = (await readdir(join(root, 'course', dir))).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      entries.push([`${dir}/${file}`, compactJson(await readFile(join(root, 'course', dir, file), 'utf8'))]);
    }
  }
  return JSON.stringify(entries);
}

async function emit(stem, ext, body) {
  const name = `${stem}-${hash(body)}.${ext}`;
  await writeFile(join(staging, name), body);
  return name;
}

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(relative(staging, path).split(sep).join('/'));
  }
  return out;
}

const assets = {
  library: await emit('library', 'json', await library()),
  catalogue: await emit('catalogue', 'txt', await readFile(join(root, 'crates', 'policy', 'data', 'catalogue.txt'))),
  // The learning views' styles arrive with their module (index.html's `s3pgLazy`).
  learnCss: await emit('learn', 'css', await readFile(join(root, 'web', 'learn.css'))),
};

// The second WebAssembly module (web/src/lazy.rs): Trunk names a `data-type="worker"` build
// after its bin, unhashed; it gets content-hashed names here, like every other file.
async function lazyModule() {
  const wasm = await readFile(join(staging, 's3pg-lazy_bg.wasm'));
  const stem = `lazy-${hash(wasm)}`;
  await rename(join(staging, 's3pg-lazy_bg.wasm'), join(staging, `${stem}_bg.wasm`));
  await rename(join(staging, 's3pg-lazy.js'), join(staging, `${stem}.js`));
  return { js: `${stem}.js`, wasm: `${stem}_bg.wasm` };
}
const lazy = await lazyModule();

/** `css` without its comments, each run of white space outside a string one space, and none
 *  beside `{`, `}`, `;`, `,` or `>`, or after `:`: the same rules, in fewer bytes. */
function minifyCss(css) {
  return css.replace(/\/\*[\s\S]*?\*\//g, '')
    .split(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/)
    .map((part, i) => (i % 2 ? part : part.replace(/\s+/g, ' ').replace(/ ?([{};,>]) ?/g, '$1').replace(/: /g, ':').replace(/;}/g, '}')))
    .join('')
    .trim();
}

/** The stylesheets Trunk linked (in their order, which the cascade depends on) as one file, linked
 *  where the first was, minified. */
async function mergeStyles(html) {
  const tags = [...html.matchAll(/<link rel="stylesheet" href="([^"]+\.css)"[^>]*>/g)];
  if (tags.length < 2) return html;
  const parts = [];
  for (const [, href] of tags) parts.push(await readFile(join(staging, href.split('/').pop()), 'utf8'));
  const body = minifyCss(parts.join('\n'));
  const name = await emit('styles', 'css', body);
  const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
  for (const [, href] of tags) await rm(join(staging, href.split('/').pop()));
  let out = html.replace(tags[0][0], `<link rel="stylesheet" href="${publicUrl}${name}" integrity="${integrity}"/>`);
  for (const [tag] of tags.slice(1)) out = out.replace(new RegExp(`\\n[ \\t]*${tag.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), '');
  return out;
}

/** The icon Trunk linked, named for later (`data-asset="icon"`; index.html links it once the first
 *  answer is on screen): an SVG icon is parsed as a document on the page's main thread, which on a
 *  first visit falls between the first view and the first decision. Until then the page names an
 *  empty icon, so the browser does not ask for /favicon.ico either. */
function iconLater(html) {
  const tag = html.match(/<link rel="icon" href="([^"]+)"[^>]*>/);
  if (!tag) return html;
  return html.replace(tag[0], `<link rel="icon" href="data:,"><link rel="alternate" type="image/svg+xml" href="${tag[1]}" data-asset="icon">`);
}

/** Moves the fetch and compilation of the main WebAssembly to the top of <head> (point 3 above).
 *  A server that does not send `application/wasm` makes the compilation fail: the loader then
 *  gets the response instead and takes its slower path, as it would have. Changes nothing when
 *  Trunk's loader does not look as expected. */
function compileEarly(html) {
  const loader = html.match(/await init\(\{ module_or_path: '([^']+_bg\.wasm)' \}\)/);
  const preload = html.match(/<link rel="preload" href="([^"]+_bg\.wasm)"[^>]*>/);
  const modulePreload = html.match(/<link rel="modulepreload" href="[^"]+"[^>]*>/);
  const head = html.match(/<meta charset="utf-8" \/>/);
  if (!loader || !head) {
    console.warn('post-build: the WebAssembly loader was not found; it starts as Trunk wrote it');
    return html;
  }
  const url = JSON.stringify(loader[1]);
  const early = '<script>if (window.WebAssembly && WebAssembly.compileStreaming) window.s3pgWasm = '
    + `WebAssembly.compileStreaming(fetch(${url})).catch(function () { return fetch(${url}); });</script>`;
  let out = html.replace(loader[0], `await init({ module_or_path: window.s3pgWasm || ${url} })`);
  if (preload) out = out.replace(preload[0], '');
  // The loader's JavaScript is fetched from the top too, ahead of the styles.
  if (modulePreload) out = out.replace(modulePreload[0], '');
  return out.replace(head[0], `${head[0]}${modulePreload ? modulePreload[0] : ''}${early}`);
}

/** The page without its comments (HTML ones, and the inline scripts' whole-line `//` ones) and
 *  its indentation: index.html has no <pre> or <textarea>, where white space would show. */
function minifyHtml(html) {
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/^[ \t]*\/\/ .*\n/gm, '').replace(/\n[ \t]+/g, '\n');
}

const indexPath = join(staging, 'index.html');
let index = await readFile(indexPath, 'utf8');
// The course is not needed for a first decision: it is named (not preloaded) and fetched when a
// learning view first opens; the service worker still keeps it for offline use.
const courseFile = await emit('course', 'json', await course());
const links = `<link rel="preload" as="fetch" crossorigin href="${publicUrl}${assets.catalogue}" data-asset="catalogue">`
  + `<link rel="alternate" type="application/json" href="${publicUrl}${assets.library}" data-asset="library">`
  + `<link rel="alternate" type="application/json" href="${publicUrl}${courseFile}" data-asset="course">`
  + `<link rel="alternate" type="text/javascript" href="${publicUrl}${lazy.js}" data-asset="lazy-js">`
  + `<link rel="alternate" type="application/wasm" href="${publicUrl}${lazy.wasm}" data-asset="lazy-wasm">`
  + `<link rel="alternate" type="text/css" href="${publicUrl}${assets.learnCss}" data-asset="learn-css">`;
index = index.replace('</head>', `${links}</head>`);
index = await mergeStyles(index);
index = minifyHtml(compileEarly(iconLater(index)));
await writeFile(indexPath, index);

// The main module, split in two (scripts/split-wasm.mjs): the primary keeps the code a first
// decision runs, the secondary (fetched in idle time after the start) the rest.
const split = await splitMain({ staging, hash, tool: process.env.S3PG_WASM_SPLIT ?? 'wasm-split' });

// The service worker: every file of the build (sw.js itself excepted), and the directory URL,
// which is how a course site links to the app.
const files = (await filesUnder(staging)).filter((f) => f !== 'sw.js').sort();
const digest = createHash('sha256');
for (const f of files) digest.update(f).update(await readFile(join(staging, f)));
const version = digest.digest('hex').slice(0, 16);
const template = await readFile(join(root, 'web', 'sw.js'), 'utf8');
const sw = template
  .replace('__S3PG_VERSION__', version)
  .replace('[/*__S3PG_FILES__*/]', JSON.stringify(['./', ...files.map((f) => `./${f}`)]));
await writeFile(join(staging, 'sw.js'), sw);
console.log(`post-build: ${assets.library}, ${assets.catalogue}, ${courseFile}, ${lazy.js}, ${lazy.wasm}, ${split}, sw.js (cache s3pg-${version}, ${files.length + 1} URLs)`);
