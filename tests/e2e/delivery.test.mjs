// End-to-end: how the playground is delivered and how it keeps the learner's work, clicked in
// headless Chromium against the release build in dist/.
//
// - a loading indicator until the app is ready (never a blank page);
// - offline: after the first visit the service worker answers a reload with no network; it is
//   registered once the app is on screen; a server without the wasm MIME type still works;
// - the learning views are a second WebAssembly module, fetched when first opened (offline too);
// - the scenario library is fetched once the page is on screen, the picker waits for it;
// - the main module is split (scripts/split-wasm.mjs): the second half arrives in idle time, and
//   a failed download says so and keeps the work;
// - a broken, truncated or altered share link says so in plain words and keeps the work;
// - replacing work (Start over, another scenario, a link in an open tab) asks first, and keeps a
//   copy under Saved versions;
// - named versions: save, list, restore, delete, kept across reloads;
// - corrupted storage is reported and kept aside, never erased;
// - dist/ works from a sub-path of any web server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launchBrowser, navigate, SHOTS } from './harness.mjs';

let server;
let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const READY = '#app[data-ready="true"]';

/** A fresh browser profile (its own storage and service workers) and a page in it. */
async function freshPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** The bucket policy editor (a textarea, whatever editor is drawn over it). */
const editor = (page) => page.locator('#policy-text');

/** Edits the bucket policy so the page holds work of the learner's. */
async function editPolicy(page, from, to) {
  const text = (await editor(page).inputValue()).replace(from, to);
  await editor(page).fill(text);
  await page.waitForFunction((t) => document.querySelector('#policy-text')?.value.includes(t), to);
}

/** Waits until the work on the page is in local storage (it is written a moment after a change). */
async function waitSaved(page, needle) {
  await page.waitForFunction((n) => (localStorage.getItem('s3pg.session.v1') ?? '').includes(n), needle);
}

test('a loading indicator shows until the app is ready', async () => {
  const { context, page, errors } = await freshPage();
  // Hold the IAM catalogue back for a moment, as a slow network would (the page needs it to
  // start; the scenario library it fetches once it is on screen).
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/catalogue-[0-9a-f]+\.txt$/, async (route) => { await held; await route.continue(); });
  await page.goto(server.url);
  const loading = page.locator('#loading');
  await loading.waitFor();
  assert.equal(await loading.getAttribute('role'), 'status');
  assert.match(await loading.innerText(), /Loading the S3 Security Playground/);
  assert.equal(await page.locator(READY).count(), 0);
  await page.screenshot({ path: join(SHOTS, 'delivery-1-loading.png') });
  release();
  await page.waitForSelector(READY);
  assert.equal(await loading.count(), 0, 'the indicator is gone once the app is ready');
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the data cannot be fetched the indicator says so in plain words', async () => {
  const { context, page } = await freshPage();
  await page.route(/catalogue-[0-9a-f]+\.txt$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(server.url);
  await page.waitForSelector('#loading.failed');
  assert.match(await page.locator('#loading').innerText(), /could not start: the catalogue file could not be downloaded \(HTTP 404\)/);
  await context.close();
});

test('after the first visit a reload works offline', async () => {
  const { context, page, errors } = await freshPage();
  await page.goto(server.url);
  await page.waitForSelector(READY);
  // The service worker has installed (every file cached) and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector(READY);
  // The whole app works: the library is there and a request is decided.
  await navigate(page, 'Scenario');
  assert.ok((await page.getByTestId('library').locator('button[data-file]').count()) >= 80);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await page.screenshot({ path: join(SHOTS, 'delivery-2-offline.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the service worker is registered once the app is on screen, never while it starts', async () => {
  const { context, page, errors } = await freshPage();
  // Asked at the moment the app appears, in the page (no round trip to the test in between).
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('#app[data-ready="true"]')) {
        observer.disconnect();
        window.__swAtReady = navigator.serviceWorker.getRegistration().then((r) => r !== undefined);
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  assert.equal(await page.evaluate(() => window.__swAtReady), false, 'no worker yet when the app appears');
  // It comes afterwards, and keeps the build.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, server.url);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a server that sends the WebAssembly without its MIME type still starts the app', async () => {
  // Course sites are not always configured for application/wasm: the early compilation fails and
  // the loader's slower path takes over.
  const { context, page, errors } = await freshPage({ serviceWorkers: 'block' });
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.route(/s3pg-web-[0-9a-f]+_bg\.wasm$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  assert.ok(warnings.some((w) => /application\/wasm/.test(w)), `the slower path was taken: ${warnings}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the learning views are a second module: not on a first visit, fetched when opened, offline too', async () => {
  const { context, page, errors } = await freshPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(server.url);
  await page.waitForSelector(READY);
  assert.ok(!fetched.some((p) => /\/(lazy|course)-[0-9a-f]+/.test(p)), `a first decision needs neither: ${fetched}`);
  await navigate(page, 'Lessons');
  await page.locator('ol.lesson-list').waitFor({ timeout: 60000 });
  assert.equal(await page.getByTestId('lazy-loading').count(), 0, 'the loading note is gone');
  // Offline, after the service worker has kept the build: the reload and the lessons still work.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector(READY);
  await navigate(page, 'Challenges');
  await page.locator('table.challenge-table').waitFor({ timeout: 60000 });
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a first visit starts without the scenario library; the picker waits for it and fills in', async () => {
  const { context, page, errors } = await freshPage();
  // Hold the library back, as a slow network would: the page starts and decides without it.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/library-[0-9a-f]+\.json$/, async (route) => { await held; await route.continue(); });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await navigate(page, 'Scenario');
  await page.getByText('Loading the scenario library…').waitFor();
  release();
  const library = page.getByTestId('library');
  await library.locator('button[data-file]').first().waitFor({ state: 'attached' });
  assert.ok(await library.locator('button[data-file]').count() >= 80, 'every scenario is listed once it has arrived');
  assert.equal(await page.getByText('Loading the scenario library…').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the main module is split: a first decision runs on its first half, the second arrives in idle time, every view works', async () => {
  const { context, page, errors } = await freshPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  // The second half is fetched by the page itself, once it has started (not by a view).
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/split-[0-9a-f]+_bg\.wasm$/.test(e.name)),
    null, { timeout: 30000 });
  assert.equal(fetched.filter((p) => /\/s3pg-web-[0-9a-f]+_bg\.wasm$/.test(p)).length, 1, `one primary module: ${fetched}`);
  // Every view of the playground runs code of either half.
  for (const view of ['Buckets', 'Identities', 'Console', 'Logs', 'Keys', 'Vaults', 'Analysis', 'Scenario', 'Requests']) {
    await navigate(page, view);
  }
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the second half cannot be downloaded the page says so, offers a reload and keeps the work', async () => {
  const { context, page } = await freshPage({ serviceWorkers: 'block' });
  // Work saved on an earlier visit.
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await navigate(page, 'Buckets');
  await editor(page).evaluate((el) => {
    const sid = el.value.indexOf('"Sid"');
    const at = el.value.indexOf('"', sid + 5) + 1;
    el.focus();
    el.setSelectionRange(at, at);
  });
  await page.keyboard.type('KeptAcrossReloads', { delay: 20 });
  await waitSaved(page, 'KeptAcrossReloadsDenyUnEncryptedObjectUploads');
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  const decided = page.locator('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await decided.waitFor();
  const whole = await decided.innerText();
  // Now the second half cannot be downloaded. What a learner does before it can have arrived
  // (the steps scripts/split-wasm.mjs profiles) never needs it: the page starts, restores the
  // saved work and decides a request — with every word of the decision there (the data the
  // first half reads stays in the first half: scripts/split-data.mjs).
  await page.route(/split-[0-9a-f]+_bg\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.reload();
  await page.waitForSelector(READY);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await decided.waitFor();
  assert.equal(await page.locator('#split-failed').count(), 0);
  assert.equal(await decided.innerText(), whole, 'the same decision, word for word, as with both halves');
  assert.match(whole, /KeptAcrossReloadsDenyUnEncryptedObjectUploads/, 'the restored policy decides');
  assert.ok(!(await page.locator('body').innerText()).includes('\u0000'), 'no text on the page is missing');
  // Views whose code is in the second half: the first one opened finds it missing.
  for (const view of ['Buckets', 'Console', 'Logs', 'Keys', 'Vaults', 'Analysis', 'Identities']) {
    await page.locator(`nav.sidebar button[data-view="${view.toLowerCase()}"]`).click();
    await page.waitForFunction((v) => document.querySelector('#split-failed') || document.querySelector(`#app[data-view="${v}"]`),
      view.toLowerCase());
    if (await page.locator('#split-failed').count()) break;
  }
  const alert = page.locator('#split-failed[role="alert"]');
  await alert.waitFor({ timeout: 30000 });
  assert.match(await alert.innerText(), /could not be downloaded/);
  assert.match(await alert.innerText(), /the work saved in this browser is restored/);
  assert.match(await page.evaluate(() => localStorage.getItem('s3pg.session.v1') ?? ''), /KeptAcrossReloadsDenyUnEncryptedObjectUploads/);
  await page.unroute(/split-[0-9a-f]+_bg\.wasm$/);
  await alert.getByRole('button', { name: 'Reload' }).click();
  await page.waitForSelector(READY);
  await navigate(page, 'Buckets');
  assert.match(await editor(page).inputValue(), /KeptAcrossReloadsDenyUnEncryptedObjectUploads/);
  await context.close();
});

test('a learning view whose code cannot be downloaded says so and the playground keeps working', async () => {
  // No service worker: it would answer from its cache, past the route below.
  const { context, page } = await freshPage({ serviceWorkers: 'block' });
  await page.route(/lazy-[0-9a-f]+_bg\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await navigate(page, 'Exam');
  const alert = page.locator('#view-exam [role="alert"]');
  await alert.waitFor({ timeout: 60000 });
  assert.match(await alert.innerText(), /This view could not be loaded/);
  assert.match(await alert.innerText(), /check the connection and open it again/);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await context.close();
});

test('a broken, truncated or altered share link keeps the saved work and says why', async () => {
  const { context, page } = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await navigate(page, 'Scenario');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#v2=/);
  assert.ok(link.length < 2000, `a ${link.length}-character link`);
  await navigate(page, 'Buckets');
  await editPolicy(page, 'DenyUnEncryptedObjectUploads', 'MyOwnWork');
  await waitSaved(page, 'MyOwnWork');

  const [base, data] = link.split('#v2=');
  const altered = `${data.slice(0, 30)}${data[30] === 'A' ? 'B' : 'A'}${data.slice(31)}`;
  for (const broken of [`#v2=${data.slice(0, data.length - 7)}`, `#v2=${altered}`, '#scenario=%%%']) {
    await page.goto('about:blank');
    await page.goto(`${base}${broken}`);
    await page.waitForSelector(READY);
    const notice = page.getByTestId('work-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /incomplete or was changed after it was made/);
    assert.match(await notice.innerText(), /Your work on this page is unchanged/);
    await navigate(page, 'Buckets');
    assert.match(await editor(page).inputValue(), /MyOwnWork/, broken);
    assert.doesNotMatch(page.url(), /#/);
  }
  await page.screenshot({ path: join(SHOTS, 'delivery-3-broken-link.png') });
  await context.close();
});

test('a link opened in a tab that already has the app asks before replacing the work', async () => {
  const { context, page } = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await editPolicy(page, 'DenyUnEncryptedObjectUploads', 'SharedVersion');
  // A saved policy is part of the scenario a link carries (a draft is not).
  await page.getByTestId('save-policy').click();
  await navigate(page, 'Scenario');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  await navigate(page, 'Buckets');
  await editPolicy(page, 'SharedVersion', 'LaterWork');
  // Pasting the link into this tab's address bar only changes the fragment.
  await page.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
  const dialog = page.getByTestId('replace-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /To open the shared scenario/);
  await page.getByRole('button', { name: 'Keep my work' }).click();
  assert.match(await editor(page).inputValue(), /LaterWork/);

  await page.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
  await dialog.waitFor();
  await page.getByRole('button', { name: 'Replace it' }).click();
  await page.waitForFunction(() => document.querySelector('#policy-text').value.includes('SharedVersion'));
  assert.doesNotMatch(await editor(page).inputValue(), /LaterWork/);
  await navigate(page, 'Scenario');
  const versions = page.getByTestId('version');
  assert.match(await versions.first().innerText(), /Before I chose to open the shared scenario/);
  await context.close();
});

test('Start over and choosing another scenario ask first, and offer a download', async () => {
  const { context, page } = await freshPage({ acceptDownloads: true });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  // Nothing to lose: no question.
  await page.getByRole('button', { name: 'Start over' }).click();
  assert.equal(await page.getByTestId('replace-dialog').count(), 0);

  await editPolicy(page, 'DenyUnEncryptedObjectUploads', 'KeepMe');
  await page.getByRole('button', { name: 'Start over' }).click();
  const dialog = page.getByTestId('replace-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Replace your work\?/);
  assert.match(await dialog.innerText(), /To start over/);
  // The first button has the focus, and downloading keeps the dialog open.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Download my work');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download my work' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'my-s3-playground-work.json');
  await page.screenshot({ path: join(SHOTS, 'delivery-4-replace-dialog.png') });
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0);
  assert.match(await editor(page).inputValue(), /KeepMe/);

  // Another scenario from the library: asks too.
  await navigate(page, 'Scenario');
  // The library groups scenarios by topic in closed <details>: open the topic, then pick one.
  const topic = page.getByTestId('library').locator('details[data-topic="versioning"]');
  await topic.locator('summary').click();
  await topic.locator('button[data-file]').first().click();
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /To open “/);
  await page.getByRole('button', { name: 'Keep my work' }).click();
  await navigate(page, 'Buckets');
  assert.match(await editor(page).inputValue(), /KeepMe/);

  await page.getByRole('button', { name: 'Start over' }).click();
  await page.getByRole('button', { name: 'Replace it' }).click();
  await page.waitForFunction(() => document.querySelector('#policy-text')?.value.includes('DenyUnEncryptedObjectUploads'));
  await navigate(page, 'Scenario');
  assert.match(await page.getByTestId('version').first().innerText(), /Before I chose to start over/);
  await context.close();
});

test('named versions are saved, listed, restored and deleted, and survive a reload', async () => {
  const { context, page, errors } = await freshPage();
  await page.goto(server.url);
  await page.waitForSelector(READY);
  await editPolicy(page, 'DenyUnEncryptedObjectUploads', 'FirstDraft');
  await navigate(page, 'Scenario');
  const name = page.getByRole('textbox', { name: 'Name' });
  await name.fill('first draft');
  await page.getByRole('button', { name: 'Save this version' }).click();
  assert.match(await page.getByTestId('versions-status').innerText(), /Saved as “first draft”/);
  await name.fill('first draft');
  await page.getByRole('button', { name: 'Save this version' }).click();
  assert.match(await page.getByTestId('versions-status').innerText(), /Saved as “first draft \(2\)”/);
  assert.equal(await page.getByTestId('version').count(), 2);

  await navigate(page, 'Buckets');
  await editPolicy(page, 'FirstDraft', 'SecondDraft');
  await navigate(page, 'Scenario');
  await page.getByRole('button', { name: 'Restore first draft (2)' }).click();
  // The page holds newer work: restoring asks like any replacement.
  await page.getByTestId('replace-dialog').waitFor();
  await page.getByRole('button', { name: 'Replace it' }).click();
  await navigate(page, 'Buckets');
  await page.waitForFunction(() => document.querySelector('#policy-text').value.includes('FirstDraft'));
  await navigate(page, 'Scenario');
  // The replaced work was kept as a version of its own.
  assert.equal(await page.getByTestId('version').count(), 3);

  await page.getByRole('button', { name: 'Delete first draft (2)' }).click();
  assert.equal(await page.getByTestId('version').count(), 2);
  await page.reload();
  await page.waitForSelector(READY);
  await navigate(page, 'Scenario');
  const names = await page.locator('[data-testid="version"] .version-name').allInnerTexts();
  assert.deepEqual(names, ['Before I chose to restore the version “first draft (2)”', 'first draft']);
  await page.screenshot({ path: join(SHOTS, 'delivery-5-versions.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('corrupted storage is reported, kept aside for download, and the page still opens', async () => {
  const { context, page } = await freshPage({ acceptDownloads: true });
  // Damage the storage before the app starts (a page that is running writes its work back to
  // storage when it closes, so damaging it under a running page and reloading would not stick).
  await context.addInitScript(() => {
    if (sessionStorage.getItem('damaged')) return;
    sessionStorage.setItem('damaged', '1');
    localStorage.setItem('s3pg.session.v1', '{"file": null, "policy_text": "cut sh');
    localStorage.setItem('s3pg.versions.v1', 'not a list');
  });
  await page.goto(server.url);
  await page.waitForSelector(READY);
  const notices = page.getByTestId('work-notice');
  await notices.first().waitFor();
  const text = (await notices.allInnerTexts()).join('\n');
  assert.match(text, /The work saved in this browser could not be restored/);
  assert.match(text, /Your saved versions could not be read/);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('s3pg.unreadable.')));
  assert.equal(kept.length, 2, kept.join(', '));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download what was kept' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'unreadable-saved-work.json');
  assert.match(await editor(page).inputValue(), /DenyUnEncryptedObjectUploads/);
  await context.close();
});

test('dist/ works from a sub-path of a web server, offline included', async () => {
  const sub = await serveDist({ prefix: '/courses/s3-security/' });
  try {
    const { context, page, errors } = await freshPage();
    await page.goto(sub.url);
    await page.waitForSelector(READY);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, sub.url);
    await navigate(page, 'Requests');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await sub.close();
  }
});
