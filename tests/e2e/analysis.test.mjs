// End-to-end: analysis in headless Chromium against the release build — the who-can matrix with
// its filters and each cell's trace, the console's access verdict as a badge on buckets and the
// findings list, the access diff after a saved change (each row opening its trace), and "what
// would flip this?" under a decision, whose "try it" fills the request builder without changing
// the world. Every view is checked at a laptop and a phone size (screenshots, axe-core).
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

const PUBLIC_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::examplebucket', 'arn:aws:s3:::examplebucket/*'],
  }],
}, null, 2);

/** Waits until the who-can panel has asked every principal (it draws the first page of
 *  principals first and asks the others in later tasks). */
async function whoCanComplete(page) {
  await page.waitForSelector('[data-testid="who-can"][data-complete="true"]');
}

/** Turns Block Public Access off for the open bucket and saves a public-read policy, as a
 *  learner does on the Permissions tab (each a request the console sends). */
async function makePublic(page) {
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Permissions' }).click();
  for (const flag of ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets']) {
    await page.locator(`input[data-flag="${flag}"]`).uncheck();
  }
  await page.getByTestId('bpa-card').getByRole('button', { name: 'Save changes' }).click();
  await page.waitForSelector('[data-testid="decision"][data-verdict="allowed"]');
  await page.locator('#policy-text').fill(PUBLIC_READ);
  await page.getByTestId('save-policy').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.innerText.includes('PutBucketPolicy → HTTP 20'));
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  test(`the analysis view at ${size} size: matrix, findings, no serious axe violations, no sideways scroll`, async () => {
    const { page, errors } = await openAt(browser, server.url, viewport);
    await navigate(page, 'Analysis');
    const matrix = page.getByTestId('who-can-matrix');
    await matrix.waitFor();
    await whoCanComplete(page);
    assert.match(await page.getByTestId('who-can-summary').innerText(), /principals can do at least one of the \d+ actions/);
    assert.match(await page.getByTestId('findings-summary').innerText(), /buckets/);
    assert.ok(await matrix.locator('tbody tr').count() > 3);
    assert.deepEqual(await axeViolations(page), [], `analysis at ${size}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `analysis at ${size} scrolls sideways by ${overflow}px`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, `analysis-${size}.png`) });
    // A cell opens its trace, which passes axe too.
    await matrix.locator('td.cell button').first().click();
    await page.getByTestId('analysis-trace').waitFor();
    assert.deepEqual(await axeViolations(page), [], `analysis trace at ${size}`);
    await page.screenshot({ path: join(SHOTS, `analysis-trace-${size}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('who can: filters narrow the matrix and each cell opens the trace of that principal', async () => {
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Analysis');
  const matrix = page.getByTestId('who-can-matrix');
  await matrix.waitFor();
  await whoCanComplete(page);
  const all = await matrix.locator('tbody tr').count();
  await page.getByTestId('filter-kind').selectOption('user');
  const kinds = await matrix.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
  assert.ok(kinds.length > 0 && kinds.length < all, `${kinds.length} of ${all}`);
  assert.ok(kinds.every((k) => k === 'user'), kinds.join(','));
  // One action: one column of answers.
  await page.getByTestId('filter-action').selectOption('s3:PutObject');
  assert.equal(await matrix.locator('thead th').count(), 2);
  // alice may upload (her identity policy), but the bucket policy refuses uploads without the
  // encryption header: the answer depends on the request.
  const cell = matrix.locator('tbody tr').filter({ hasText: 'alice' }).locator('td.cell button');
  assert.match(await cell.getAttribute('aria-label'), /x-amz-server-side-encryption/);
  await cell.press('Enter');
  const trace = page.getByTestId('analysis-trace');
  await trace.waitFor();
  assert.match(await trace.innerText(), /PutObject/);
  assert.match(await trace.getByTestId('trace').innerText(), /Bucket policy/);
  // The trace's heading has focus, so a keyboard user lands on it.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H3');
  await trace.getByRole('button', { name: 'Close trace' }).click();
  assert.equal(await page.getByTestId('analysis-trace').count(), 0);
  // An answer filter that matches nothing says so.
  await page.getByTestId('filter-kind').selectOption('anonymous');
  await page.getByTestId('filter-answer').selectOption('allowed');
  await page.getByTestId('who-can-empty').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('findings: the console verdict is a badge on the bucket list and page, and the public statement is a finding', async () => {
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  const badge = page.getByTestId('bucket-list').getByTestId('access-verdict').first();
  assert.doesNotMatch(await badge.innerText(), /^Public$/);
  await makePublic(page);
  assert.equal(await page.getByTestId('bucket-list').getByTestId('access-verdict').first().innerText(), 'Public');
  assert.equal(await page.locator('.bucket-title').getByTestId('access-verdict').innerText(), 'Public');
  await navigate(page, 'Analysis');
  const bucket = page.locator('.finding-bucket[data-bucket="examplebucket"]');
  const finding = bucket.getByTestId('finding').filter({ hasText: 'PublicRead' });
  assert.match(await finding.innerText(), /Public \(anyone\)/);
  assert.match(await finding.innerText(), /active/);
  assert.match(await page.getByTestId('findings-summary').innerText(), /examplebucket/);
  await page.screenshot({ path: join(SHOTS, 'analysis-findings-public.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the diff after a saved change says what it opened, and each row opens its trace', async () => {
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await makePublic(page);
  const diff = page.getByTestId('change-diff');
  await diff.waitFor();
  assert.match(await page.getByTestId('change-diff-summary').innerText(), /gained/);
  const row = diff.getByTestId('diff-row').filter({ hasText: 'anonymous callers' }).filter({ hasText: 's3:GetObject' }).first();
  assert.match(await row.innerText(), /this change lets anonymous callers/);
  assert.match(await row.innerText(), /examplebucket\/\*/);
  await row.getByRole('button', { name: /^Trace/ }).click();
  const trace = diff.getByTestId('analysis-trace');
  await trace.waitFor();
  assert.equal(await trace.getByTestId('decision').getAttribute('data-decision'), 'Allow');
  assert.match(await trace.innerText(), /PublicRead/);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(SHOTS, 'analysis-diff.png') });
  // A keystroke in the editor afterwards does not touch the diff (it is computed per Save).
  await page.locator('#policy-text').fill(PUBLIC_READ.replace('PublicRead', 'PublicReadX'));
  assert.equal(await diff.getByTestId('analysis-trace').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('what would flip this: ranked changes, and "try it" fills the builder without changing the world', async () => {
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-verdict="denied"]');
  const flip = page.getByTestId('flip');
  await flip.getByRole('button', { name: 'What would flip this?' }).click();
  await page.getByTestId('flip-summary').waitFor();
  assert.match(await page.getByTestId('flip-summary').innerText(), /would make S3 allow it; the smallest/);
  const sizes = await flip.getByTestId('proposal').evaluateAll((ps) => ps.map((p) => Number(p.dataset.size)));
  assert.ok(sizes.length > 0);
  assert.deepEqual(sizes, [...sizes].sort((a, b) => a - b), 'smallest first');
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(SHOTS, 'analysis-flip.png') });
  const header = flip.getByTestId('proposal').filter({ hasText: 'x-amz-server-side-encryption' }).first();
  await header.getByRole('button', { name: 'Try it in the request builder' }).click();
  await page.waitForSelector('#app[data-view="requests"]');
  // The decision shown is still the refusal: nothing was sent.
  assert.equal(await page.getByTestId('decision').getAttribute('data-verdict'), 'denied');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-verdict="allowed"]');
  assert.match(await page.getByTestId('status').innerText(), /PutObject → HTTP 200/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('what would flip this: removing the deny becomes an unsaved draft in the policy editor', async () => {
  const { page, errors } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-verdict="denied"]');
  const flip = page.getByTestId('flip');
  await flip.getByRole('button', { name: 'What would flip this?' }).click();
  const removal = flip.getByTestId('proposal').filter({ hasText: 'remove statement' }).first();
  await removal.getByRole('button', { name: 'Put it in the policy editor as a draft' }).click();
  await page.waitForSelector('#app[data-view="buckets"]');
  assert.match(await page.getByTestId('policy-status').innerText(), /Unsaved draft/);
  assert.doesNotMatch(await page.locator('#policy-text').inputValue(), /DenyUnEncryptedObjectUploads/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('who can: a world with many principals shows them a page at a time, by button or keyboard', async () => {
  // 20 IAM users of one account (with the root user, anonymous callers, the classes and the
  // services: 26 principals), shared as a link the way a learner opens one.
  const users = {};
  for (let u = 0; u < 20; u += 1) {
    users[`learner${String(u).padStart(2, '0')}`] = { policies: [{ name: 'read', document: {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }] };
  }
  const scenario = {
    name: 'A class of learners',
    source: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
    world: {
      accounts: { 111122223333: { users } },
      buckets: { 'class-bucket': { owner: '111122223333', objects: { 'notes.txt': { versions: [{ body: 'notes' }] } } } },
    },
  };
  const link = `#scenario=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`;
  const { page, errors } = await openAt(browser, server.url + link, VIEWPORTS.desktop);
  await navigate(page, 'Analysis');
  const matrix = page.getByTestId('who-can-matrix');
  await matrix.waitFor();
  // The first page of principals is drawn first; the pager and the summary once all are asked.
  await whoCanComplete(page);
  const pager = page.getByTestId('who-can-pager');
  assert.match(await pager.innerText(), /Principals 1–15 of 26/);
  assert.equal(await matrix.locator('tbody tr').count(), 15);
  assert.match(await page.getByTestId('who-can-summary').innerText(), /of 26 principals/);
  const firstPage = await matrix.locator('tbody th').allInnerTexts();
  // Next by keyboard: the second page holds the other principals.
  await pager.getByRole('button', { name: 'Next principals →' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="who-can-pager"]')?.innerText.includes('16–26'));
  const secondPage = await matrix.locator('tbody th').allInnerTexts();
  assert.equal(secondPage.length, 11);
  assert.ok(secondPage.every((p) => !firstPage.includes(p)), secondPage.join(', '));
  assert.ok(await pager.getByRole('button', { name: 'Next principals →' }).isDisabled());
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: join(SHOTS, 'analysis-matrix-page-2.png') });
  // A filter starts again at the first page.
  await page.getByTestId('filter-kind').selectOption('user');
  assert.match(await pager.innerText(), /Principals 1–15 of 20/);
  assert.ok(await pager.getByRole('button', { name: '← Previous principals' }).isDisabled());
  assert.deepEqual(errors, []);
  await page.close();
});
