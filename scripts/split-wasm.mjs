// Splits the app's WebAssembly module in two (binaryen's wasm-split, profile-guided), so a first
// visit downloads only the code a learner's first steps run:
//
// 0. wasm-opt optimises the module as linked (Trunk leaves it as linked, for step 4).
// 1. `wasm-split --instrument` makes a copy of the module that records which functions run.
// 2. Headless Chromium opens the staged build with that copy and does what a learner does before
//    the rest can arrive (the page starts and Send at once; a return visit restoring saved work,
//    then Send), then asks the module for its profiles, which wasm-split merges.
// 3. `wasm-split --split` keeps the functions that ran in the primary module (the file index.html
//    loads) and moves every other function to a secondary module, leaving in their place a
//    placeholder that loads the secondary the first time one of them is called.
// 4. The static data only the secondary's functions name moves into it (scripts/split-data.mjs).
// 5. The wasm-bindgen glue is patched: it supplies the placeholders and instantiates the
//    secondary against the primary's memory, table and exports — fetched in idle time after a
//    first visit's start (so a placeholder almost never has to wait), and before the start on a
//    visit the service worker answers (so nothing waits on the network later, offline included).
//    If the secondary cannot be downloaded when it is needed, the page says so and offers a
//    reload; the work saved in local storage is restored.
//
// Used by scripts/post-build.mjs; the split is checked end to end by tests/e2e (every view runs
// on the split build) and its sizes are printed by scripts/sizes.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { CONTENT_TYPES as TYPES } from './content-types.mjs';
import { disassemble, linkerObjects, splitData } from './split-data.mjs';

// What rustc and wasm-bindgen emit for this target; binaryen refuses a module using anything else.
const FEATURES = ['--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-multivalue'];

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** Serves `dir`, with `overrides` (file name → bytes) in place of files of the same name. */
async function serve(dir, overrides) {
  const server = http.createServer(async (req, res) => {
    // The build's files sit side by side, whatever public URL the page names them under.
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const name = path.endsWith('/') ? 'index.html' : path.slice(path.lastIndexOf('/') + 1);
    try {
      const body = overrides[name] ?? (await readFile(join(dir, name)));
      res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

// Runs in the page before the app: keeps the instrumented instance as soon as it exists (the app
// starts inside its instantiation), and, for the eager flow, clicks the way a learner's first
// click does: the decision pane's "Send it" the moment the app is ready, before anything else
// settles.
const INIT = (eager) => {
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = async (...args) => {
      const result = await original(...args);
      // An Instance when given a Module, else { module, instance }.
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      if (instance?.exports.__write_profile) window.__splitWasm = instance.exports;
      return result;
    };
  }
  if (!eager) return;
  new MutationObserver((_, observer) => {
    const send = document.querySelector('#app[data-ready="true"] [data-testid="send-first"]');
    if (send) {
      observer.disconnect();
      send.click();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
};

/** The profile the instrumented module has gathered in this page so far. */
async function written(page) {
  return Buffer.from(await page.evaluate(() => {
    const wasm = window.__splitWasm;
    const size = wasm.__write_profile(0, 0);
    const base = wasm.memory.grow(Math.ceil(size / 65536) + 1) * 65536;
    wasm.__write_profile(base, size);
    return Array.from(new Uint8Array(wasm.memory.buffer, base, size));
  }));
}

/**
 * Runs a learner's first steps on the instrumented build and returns the profiles of what runs
 * before the second half can have arrived (what must never wait for it):
 * - eager: the decision pane's "Send it" the moment the page is ready (the landing view's
 *   request, one click from its answer);
 * - return: a visit that restores saved work (prepared by a settled visit that sends, types into
 *   the bucket policy and waits for the save), then Requests and Send.
 * What runs later (typing, the analysis) runs after the second half has arrived, in idle time:
 * calls between the halves cost no measurable time there (who can and the access diff measured
 * with the analysis in either half are within noise of each other).
 */
async function profiles(staging, index, wasmName, instrumented) {
  const { chromium } = await import('playwright-core');
  // The instrumented module differs from the one index.html names: no integrity check, and no
  // service worker (it would cache this build).
  const page0 = index.replace(/ integrity="[^"]*"/g, '');
  const site = await serve(staging, { 'index.html': page0, [wasmName]: instrumented, 'sw.js': '' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const open = async (eager) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(INIT, eager);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const step = async (what, action) => {
      try {
        await action();
      } catch (e) {
        throw new Error(`split: profiling a learner's first steps failed at "${what}" (did the page's markup change?): ${e.message}`);
      }
      if (errors.length) throw new Error(`split: the instrumented page failed at "${what}": ${errors.join('; ')}`);
    };
    return { context, page, step };
  };
  const send = async (page) => {
    await page.click('nav.sidebar button[data-view="requests"]');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForSelector('[data-testid="decision"]', { timeout: 60_000 });
  };
  // What a decision sets off a moment later (the work saved a quarter of a second after a change,
  // the scenario library arriving in idle time) runs before the second half may have arrived too.
  const settle = (page) => page.waitForTimeout(1500);
  const out = [];
  try {
    {
      const { context, page, step } = await open(true);
      await step('eager: the app starts, Send it', async () => {
        await page.goto(site.url);
        await page.waitForSelector('[data-testid="decision"]', { timeout: 60_000 });
        await settle(page);
      });
      out.push(await written(page));
      await context.close();
    }
    const { context, page, step } = await open(false);
    await step('the app starts', async () => {
      await page.goto(site.url);
      await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
    });
    await step('Send request', () => send(page));
    await step('an edit of the bucket policy, saved', async () => {
      await page.click('nav.sidebar button[data-view="buckets"]');
      const editor = page.locator('#policy-text');
      await editor.waitFor({ timeout: 60_000 });
      // Typing inside the first statement's Sid: the draft stays a valid policy and re-decides.
      await editor.evaluate((el) => {
        const sid = el.value.indexOf('"Sid"');
        const at = sid < 0 ? el.value.length : el.value.indexOf('"', sid + 5) + 1;
        el.focus();
        el.setSelectionRange(at, at);
      });
      await page.keyboard.type('KeptAcrossReloads', { delay: 20 });
      // The work is written a quarter of a second after the last change.
      await page.waitForFunction(() => (localStorage.getItem('s3pg.session.v1') ?? '').includes('KeptAcrossReloads'),
        null, { timeout: 60_000 });
    });
    // The settled visit's own steps (typing, the save) come after the start, when the second half
    // has arrived: only the return visit it prepares is kept.
    await step('return: the saved work restored, Send', async () => {
      await page.reload();
      await page.waitForSelector('#app[data-ready="true"]', { timeout: 60_000 });
      await send(page);
      await settle(page);
    });
    out.push(await written(page));
    await context.close();
    return out;
  } finally {
    await browser.close();
    await site.close();
  }
}

/**
 * The module with each `i32.const 1; table.fill $t` (how wasm-bindgen clears one externref slot)
 * rewritten as the equivalent `table.set $t` and three `nop`s, byte for byte the same length: the
 * wasm-split we build (binaryen 116) predates `table.fill`. It reports where it stops reading;
 * anything else there is an error.
 */
function withoutTableFill(bytes, tool, work) {
  const out = Buffer.from(bytes);
  const probe = join(work, 'probe.wasm');
  for (let round = 0; round < 64; round += 1) {
    writeFileSync(probe, out);
    const result = spawnSync(tool, ['--instrument', probe, '-o', join(work, 'probe-out.wasm'), ...FEATURES], { encoding: 'utf8' });
    const text = `${result.stdout}${result.stderr}`;
    const at = text.match(/invalid code after misc prefix: 17 \(at 0:(\d+)\)/);
    if (!at) return out;
    const pos = Number(at[1]);
    const i = out.lastIndexOf(Buffer.from([0x41, 0x01, 0xfc, 0x11]), pos);
    if (i < 0 || pos - i > 8) throw new Error(`split: a table.fill at byte ${pos} is not the one-slot clear this rewrite knows`);
    out.set([0x26, out[i + 4], 0x01, 0x01, 0x01], i);
  }
  throw new Error('split: too many table.fill instructions');
}

/** `js` without its documentation blocks and whole-line comments (the glue has no multi-line
 *  strings they could be part of): a first visit downloads the code, not its notes. */
function withoutComments(js) {
  return js.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, '').replace(/^[ \t]*\/\/.*\n/gm, '');
}

/** The loader appended to the wasm-bindgen glue (an ES module). */
function loader(secondaryUrl, table) {
  return `
// --- module splitting (scripts/split-wasm.mjs) ---
// Functions a learner's first steps do not run live in a second module: fetched in idle time after
// a first visit's start, before the start on a visit the service worker answers. A call to one
// before it is there lands on a placeholder, which loads it (synchronously, once) and calls
// through.
let __splitImports, __splitInstance, __splitPending;
const __splitUrl = new URL(${JSON.stringify(secondaryUrl)}, import.meta.url).href;
const __splitTable = ${JSON.stringify(table)};
function __splitInstantiate(module) {
  if (!__splitInstance) {
    __splitInstance = new WebAssembly.Instance(module, { ...__splitImports, primary: wasm });
  }
}
function __splitLoadNow() {
  if (__splitInstance) return;
  const xhr = new XMLHttpRequest();
  xhr.open('GET', __splitUrl, false);
  xhr.overrideMimeType('text/plain; charset=x-user-defined');
  try {
    xhr.send();
    if (xhr.status !== 200) throw new Error(\`HTTP \${xhr.status}\`);
  } catch (e) {
    __splitFailed(e);
    throw e;
  }
  const text = xhr.responseText;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i) & 0xff;
  __splitInstantiate(new WebAssembly.Module(bytes));
}
/** The code could not be downloaded: the page cannot go on, but the work is in local storage. */
function __splitFailed(error) {
  if (document.getElementById('split-failed')) return;
  const note = document.createElement('div');
  note.id = 'split-failed';
  note.setAttribute('role', 'alert');
  note.className = 'split-failed';
  note.textContent = \`Part of the playground could not be downloaded (\${error.message || error}). Check the connection, then reload the page: the work saved in this browser is restored. \`;
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => location.reload());
  note.append(reload);
  document.body.prepend(note);
}
function __splitWithPlaceholders(imports) {
  __splitImports = imports;
  return { ...imports, placeholder: __splitPlaceholders() };
}
function __splitPlaceholders() {
  return new Proxy({}, {
    get(_, name) {
      const index = Number(name);
      return (...args) => {
        __splitLoadNow();
        return wasm[__splitTable].get(index)(...args);
      };
    },
  });
}
/** Fetches and compiles the second module (resolves to it, or to nothing if that failed). */
function __splitCompile() {
  __splitPending ??= WebAssembly.compileStreaming(fetch(__splitUrl))
    .then((module) => { __splitCompiled = module; return module; })
    .catch(() => { __splitPending = undefined; });
  return __splitPending;
}
let __splitCompiled;
/** On a visit the service worker answers (the build is cached), both halves load before the app
 *  starts: nothing waits on the network later, offline included. A first visit starts on the
 *  first half alone. */
function __splitEarly() {
  return navigator.serviceWorker?.controller ? __splitCompile() : Promise.resolve();
}
function __splitStartEarly() {
  if (__splitCompiled) __splitInstantiate(__splitCompiled);
}
/** After a first visit's start: the second half, fetched in idle time. */
function __splitAfterStart() {
  if (__splitInstance) return;
  (self.requestIdleCallback ?? ((f) => setTimeout(f, 50)))(() => __splitCompile()
    .then((module) => { if (module) __splitInstantiate(module); }), { timeout: 500 });
}
`;
}

/**
 * Splits the staged main module in place: the primary keeps its file name, the secondary is
 * written beside it; the glue and index.html are patched (integrity included). Returns the
 * secondary's file name.
 */
export async function splitMain({ staging, tool, hash }) {
  const indexPath = join(staging, 'index.html');
  let index = await readFile(indexPath, 'utf8');
  // Trunk's loader names the module (`init({ module_or_path: './x_bg.wasm' })`), possibly behind
  // post-build's early compilation (`window.s3pgWasm || "./x_bg.wasm"`).
  const wasmName = index.match(/module_or_path: [^)]*?([\w.-]+_bg\.wasm)/)?.[1];
  const jsName = index.match(/import init, \* as bindings from '[^']*?([^'/]+\.js)'/)?.[1];
  if (!wasmName || !jsName) throw new Error('split: index.html names no module (Trunk output changed?)');
  const version = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(`split: \`${tool}\` does not run (${version.error?.message ?? version.stderr}); scripts/setup.sh builds binaryen's wasm-split`);
  }
  const work = await mkdtemp(join(tmpdir(), 's3pg-split-'));
  // Trunk stages the main module as linked (index.html: `data-wasm-opt="0"`): its data segments,
  // one per object, tell the data split (scripts/split-data.mjs) where each object ends; wasm-opt
  // (binaryen, as Trunk would run it) then packs them.
  const linked = join(staging, wasmName);
  const objects = linkerObjects(await readFile(linked));
  const optimized = join(work, 'optimized.wasm');
  // A large function with one caller stays out of line (binaryen would inline it whatever its
  // size): the browser compiles each function the first time it runs, so a large function inlined
  // into its caller is compiled whole even when only one branch of it runs. Kept apart, what a
  // first visit never runs is not compiled on its way to the first decision, and the split below
  // moves it to the second half (issue 13: a third less code compiled before the first decision).
  execFileSync(process.env.S3PG_WASM_OPT ?? 'wasm-opt', ['-Oz', '--one-caller-inline-max-function-size=100', ...FEATURES, linked, '-o', optimized], { stdio: 'inherit' });
  const input = join(work, 'input.wasm');
  await writeFile(input, withoutTableFill(await readFile(optimized), tool, work));
  const instrumented = join(work, 'instrumented.wasm');
  execFileSync(tool, ['--instrument', input, '-o', instrumented, ...FEATURES], { stdio: 'inherit' });
  const visits = await profiles(staging, index, wasmName, await readFile(instrumented));
  const names = [];
  for (const [i, bytes] of visits.entries()) {
    names.push(join(work, `visit-${i}.profile`));
    await writeFile(names.at(-1), bytes);
  }
  execFileSync(tool, ['--merge-profiles', ...names, '-o', join(work, 'profile')], { stdio: 'inherit' });
  const primary = join(work, 'primary.wasm');
  const secondary = join(work, 'secondary.wasm');
  execFileSync(tool, ['--split', input, `--profile=${join(work, 'profile')}`, '-o1', primary, '-o2', secondary,
    '--import-namespace=primary', '--placeholder-namespace=placeholder', '--export-prefix=%', ...FEATURES],
  { stdio: 'inherit' });
  // The data only the second half names moves there too.
  const data = splitData({
    primary: await readFile(primary),
    secondary: await readFile(secondary),
    objects,
    dis: disassemble(primary, process.env.S3PG_WASM_DIS ?? 'wasm-dis', FEATURES),
  });
  console.log(`split: ${data.kept} bytes of data stay in the first half, ${data.moved} move to the second`);
  const primaryBytes = data.primary;
  const secondaryBytes = data.secondary;
  const secondaryName = `split-${hash(secondaryBytes)}_bg.wasm`;
  await writeFile(join(staging, wasmName), primaryBytes);
  await writeFile(join(staging, secondaryName), secondaryBytes);
  await rm(work, { recursive: true, force: true });

  let glue = await readFile(join(staging, jsName), 'utf8');
  const before = glue;
  glue = glue.replaceAll('    const imports = __wbg_get_imports();\n',
    '    const imports = __splitWithPlaceholders(__wbg_get_imports());\n');
  glue = glue.replace('    const { instance, module } = await __wbg_load(await module_or_path, imports);\n',
    '    const [{ instance, module }] = await Promise.all([__wbg_load(await module_or_path, imports), __splitEarly()]);\n');
  glue = glue.replace('    wasm.__wbindgen_start();\n',
    '    __splitStartEarly();\n    wasm.__wbindgen_start();\n    __splitAfterStart();\n');
  if (glue === before || !glue.includes('__splitWithPlaceholders(') || !glue.includes('__splitEarly()') || !glue.includes('__splitAfterStart()')) throw new Error('split: the wasm-bindgen glue changed shape');
  // The function table the placeholders sit in: the one table the secondary imports that is not
  // wasm-bindgen's externref table.
  const tables = WebAssembly.Module.imports(new WebAssembly.Module(secondaryBytes))
    .filter((i) => i.module === 'primary' && i.kind === 'table' && i.name !== '__wbindgen_externrefs');
  if (tables.length !== 1) throw new Error(`split: expected one function table, found ${tables.map((t) => t.name).join(', ')}`);
  glue = withoutComments(glue + loader(`./${secondaryName}`, tables[0].name));
  await writeFile(join(staging, jsName), glue);

  const fix = (name, bytes) => {
    index = index.replace(new RegExp(`(href="[^"]*${name.replace(/[.]/g, '\\.')}"[^>]*integrity=")[^"]*"`), `$1${sri(bytes)}"`);
  };
  fix(wasmName, primaryBytes);
  fix(jsName, Buffer.from(glue));
  await writeFile(indexPath, index);
  return secondaryName;
}
