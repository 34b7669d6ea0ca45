// End-to-end: the app shell in headless Chromium against the release build — every view at a
// laptop and a phone size (screenshots, axe-core), settings sent as the requests the S3 console
// sends, S3's Block Public Access refusing a public policy, the verdict read from the response,
// every trace step visible, the request builder and compare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  serveDist, launchBrowser, openAt, navigate, axeViolations, SHOTS, VIEWPORTS,
} from './harness.mjs';

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

const VIEWS = (process.env.VIEWS ?? 'Scenario,Buckets,Identities,Requests,Console,Logs,Keys,Vaults').split(',');
const PUBLIC_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::examplebucket/*',
  }],
}, null, 2);

/** Sends the default request (alice's PutObject without the header) from the Requests view. */
async function sendFromBuilder(page) {
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"]');
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  test(`every view at ${size} size: rendered, no serious axe violations, no horizontal scroll`, async () => {
    const { page, errors } = await openAt(browser, server.url, viewport);
    for (const view of VIEWS) {
      await navigate(page, view);
      if (view === 'Requests') {
        // With an answer in the pane, so the decision, the diagram and the trace are checked too.
        await page.getByRole('button', { name: 'Send request' }).click();
        await page.waitForSelector('[data-testid="decision"]');
      }
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${view} at ${size}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${view} at ${size} scrolls sideways by ${overflow}px`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `view-${view.toLowerCase()}-${size}.png`) });
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the verdict region is present before any request and announces politely', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  const region = page.getByTestId('verdict-region');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  assert.match(await region.innerText(), /Send a request/);
  await page.close();
});

test('the first screen sends the request the builder holds in one click, and keeps the policy in view', async () => {
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop);
  assert.equal(await page.locator('#app').getAttribute('data-view'), 'buckets');
  const first = page.getByTestId('first-request');
  // The pane names the request before it is sent: operation, target and caller.
  assert.match(await first.innerText(), /The request builder holds PutObject on examplebucket\/\S+ as \S+/);
  await first.getByRole('button', { name: 'Send it' }).click();
  const decision = page.getByTestId('decision');
  await decision.waitFor();
  // The same answer the Requests view's Send gives (the scenario's first step: an upload
  // without the encryption header, denied by the bucket policy).
  assert.equal(await decision.getAttribute('data-verdict'), 'denied');
  assert.match(await page.locator('#result').innerText(), /DenyUnEncryptedObjectUploads/);
  assert.equal(await page.locator('#app').getAttribute('data-view'), 'buckets');
  assert.ok(await page.locator('#policy-text').isVisible(), 'the policy stays on screen');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result');
  assert.equal(await page.getByTestId('send-first').count(), 0);
  // On the Requests view the form's own Send is the only one.
  await page.reload();
  await page.waitForSelector('#app[data-ready="true"]');
  await navigate(page, 'Requests');
  assert.equal(await page.getByTestId('send-first').count(), 0);
  assert.match(await page.getByTestId('verdict-region').innerText(), /Send a request/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the icon is linked once the app is on screen, not before', async () => {
  // What the page names as its icon while the app starts: an empty one, which also keeps the
  // browser from asking for /favicon.ico.
  const init = () => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector('#app[data-ready="true"]')) return;
      observer.disconnect();
      window.iconAtStart = document.querySelector('link[rel="icon"]')?.getAttribute('href');
    }).observe(document, { childList: true, subtree: true, attributes: true });
  };
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop, { init });
  assert.equal(await page.evaluate(() => window.iconAtStart), 'data:,');
  await page.waitForFunction(() => /favicon-[0-9a-f]+\.svg$/.test(document.querySelector('link[rel="icon"]')?.href ?? ''), null, { timeout: 10_000 });
  const status = await page.evaluate(async () => (await fetch(document.querySelector('link[rel="icon"]').href)).status);
  assert.equal(status, 200);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a public bucket policy is refused under BlockPublicPolicy and stays a draft', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await page.locator('#policy-text').fill(PUBLIC_READ);
  assert.match(await page.getByTestId('policy-status').innerText(), /Unsaved draft/);
  await page.getByTestId('save-policy').click();
  const decision = page.getByTestId('decision');
  await decision.waitFor();
  assert.notEqual(await decision.getAttribute('data-verdict'), 'allowed');
  assert.match(await page.getByTestId('status').innerText(), /PutBucketPolicy → HTTP 403 AccessDenied/);
  assert.match(await page.getByTestId('trace').innerText(), /Block Public Access/);
  assert.match(await page.getByTestId('policy-status').innerText(), /Unsaved draft/);
  await page.screenshot({ path: join(SHOTS, 'public-policy-refused.png') });
  await page.close();
});

test('settings are sent as requests: turning BlockPublicPolicy off lets the same policy be saved', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await page.locator('input[data-flag="BlockPublicPolicy"]').uncheck();
  await page.getByTestId('bpa-card').getByRole('button', { name: 'Save changes' }).click();
  await page.waitForSelector('[data-testid="decision"][data-verdict="allowed"]');
  assert.match(await page.getByTestId('status').innerText(), /PutPublicAccessBlock → HTTP 200/);
  await page.locator('#policy-text').fill(PUBLIC_READ);
  await page.getByTestId('save-policy').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.innerText.includes('PutBucketPolicy'));
  assert.match(await page.getByTestId('status').innerText(), /PutBucketPolicy → HTTP 20\d/);
  assert.match(await page.getByTestId('policy-status').innerText(), /Saved/);
  await page.close();
});

test('a 403 is never shown as allowed: MFA Delete without the MFA header', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Properties' }).click();
  await page.locator('#versioning-mfa-serial').selectOption('');
  await page.getByRole('button', { name: 'Send: enable MFA Delete' }).click();
  const decision = page.getByTestId('decision');
  await decision.waitFor();
  assert.match(await page.getByTestId('status').innerText(), /PutBucketVersioning → HTTP 4\d\d/);
  assert.notEqual(await decision.getAttribute('data-verdict'), 'allowed');
  assert.doesNotMatch(await decision.locator('.verdict').innerText(), /Allowed/);
  assert.equal(await page.getByTestId('mfa-delete-state').innerText(), 'Disabled');
  await page.close();
});

test('every trace step is visible, and each diagram node opens its card', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await sendFromBuilder(page);
  const steps = page.getByTestId('trace').locator('> li');
  const count = await steps.count();
  assert.ok(count >= 5, `only ${count} steps`);
  const pane = await page.locator('#result').boundingBox();
  for (let i = 0; i < count; i += 1) {
    const step = steps.nth(i);
    await step.scrollIntoViewIfNeeded();
    assert.ok(await step.isVisible(), `step ${i} hidden`);
    const box = await step.boundingBox();
    assert.ok(box.x >= pane.x - 1 && box.width > 100, `step ${i} is off the pane`);
  }
  assert.ok(await page.locator('ol.trace > li.na').count() > 0, 'a not-applicable step is shown');
  const nodes = page.getByTestId('trace-diagram').locator('a.node');
  assert.equal(await nodes.count(), count);
  await nodes.nth(count - 1).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `trace-step-${count - 1}`);
  await page.close();
});

test('after Send, focus moves to the answer, on a laptop and on a phone', async () => {
  for (const viewport of [{ width: 1366, height: 768 }, VIEWPORTS.phone]) {
    const { page } = await openAt(browser, server.url, viewport);
    await sendFromBuilder(page);
    await page.waitForFunction(() => document.activeElement?.id === 'result');
    const box = await page.locator('#result').boundingBox();
    assert.ok(box.y < viewport.height && box.y + 40 > 0, `the answer is off screen at ${viewport.width}px`);
    await page.close();
  }
});

test('the request builder sends any operation with the headers that matter, and shows the HTTP', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Requests');
  await page.getByTestId('operation-a').selectOption('CopyObject');
  await page.locator('#a-src-key').fill('missing.txt');
  await page.getByTestId('sse-a').selectOption('aws:kms');
  await page.locator('#a-sse-kms').fill('alias/reports');
  const http = page.getByTestId('http-a');
  assert.match(await http.innerText(), /^PUT \/report\.csv HTTP\/1\.1/);
  assert.match(await http.innerText(), /x-amz-copy-source: \/examplebucket\/missing\.txt/);
  assert.match(await http.innerText(), /x-amz-server-side-encryption-aws-kms-key-id: alias\/reports/);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"]');
  assert.match(await page.getByTestId('status').innerText(), /CopyObject/);

  // A pre-signed GET, signed by alice and sent by whoever holds the URL.
  await page.getByTestId('operation-a').selectOption('GetObject');
  await page.getByLabel('Send as a pre-signed URL').check();
  assert.match(await http.innerText(), /X-Amz-Credential=AKIA/);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="status"]')?.innerText.includes('CopyObject'));
  await page.screenshot({ path: join(SHOTS, 'request-builder.png'), fullPage: true });
  await page.close();
});

test('compare: two variants on the same world, their traces side by side', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Compare two variants' }).click();
  await page.getByTestId('sse-b').selectOption('AES256');
  await page.getByRole('button', { name: 'Send both' }).click();
  const results = page.getByTestId('compare-results');
  await results.waitFor();
  const a = results.getByTestId('variant-A');
  const b = results.getByTestId('variant-B');
  assert.match(await a.getByTestId('status').innerText(), /403 AccessDenied/);
  assert.match(await b.getByTestId('status').innerText(), /HTTP 200/);
  assert.equal(await a.getByTestId('decision').getAttribute('data-decision'), 'ExplicitDeny');
  assert.equal(await b.getByTestId('decision').getAttribute('data-decision'), 'Allow');
  const boxA = await a.boundingBox();
  const boxB = await b.boundingBox();
  assert.ok(boxB.x > boxA.x + 100, 'variants side by side');
  await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  await page.close();
});

test('objects show their versions and delete markers once versioning is on', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Properties' }).click();
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.innerText.includes('PutBucketVersioning → HTTP 200'));
  // Two uploads as alice with the header, then a delete: a delete marker on top.
  await navigate(page, 'Requests');
  await page.getByTestId('sse-a').selectOption('AES256');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-verdict="allowed"]');
  await page.getByRole('button', { name: 'Send request' }).click();
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Objects' }).click();
  await page.getByRole('button', { name: 'Delete report.csv' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.innerText.includes('DeleteObject'));
  await page.getByLabel('Show versions').check();
  const table = page.getByTestId('objects');
  assert.match(await table.innerText(), /Delete marker/);
  assert.equal(await table.locator('tbody tr').count(), 3);
  await page.screenshot({ path: join(SHOTS, 'objects-versions.png') });
  await page.close();
});

test('the bucket tabs and the sidebar work from the keyboard', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Permissions' }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByRole('tab', { name: 'Properties' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Properties');
  await page.locator('nav.sidebar button[data-view="logs"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#app[data-view="logs"]');
  await page.close();
});
