// End-to-end: Object Lock from the bucket's Properties tab in headless Chromium — the card sends
// PutObjectLockConfiguration as the S3 console would (refused with 409 while versioning is off,
// accepted once it is on), shows the default retention, and passes axe-core.
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

const status = (page, text) =>
  page.waitForFunction((t) => document.querySelector('[data-testid="status"]')?.innerText.includes(t), text);

test('Object Lock is turned on from the Properties tab with a default retention', async () => {
  const { page } = await openAt(browser, server.url, VIEWPORTS.desktop);
  await navigate(page, 'Buckets');
  await page.getByRole('tab', { name: 'Properties' }).click();
  assert.equal(await page.getByTestId('object-lock-state').innerText(), 'Disabled');
  // Without versioning S3 refuses: Object Lock works on versions.
  await page.getByTestId('object-lock-save').click();
  await status(page, 'PutObjectLockConfiguration → HTTP 409');
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await status(page, 'PutBucketVersioning → HTTP 200');
  await page.locator('#lock-default-mode').selectOption('COMPLIANCE');
  await page.locator('#lock-default-days').fill('30');
  await page.getByTestId('object-lock-save').click();
  await status(page, 'PutObjectLockConfiguration → HTTP 200');
  await page.waitForFunction(() => document.querySelector('[data-testid="object-lock-state"]')?.innerText.includes('COMPLIANCE for 30'));
  // Versioning can no longer be suspended.
  await page.getByRole('button', { name: 'Suspend', exact: true }).click();
  await status(page, 'PutBucketVersioning → HTTP 409');
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  await page.screenshot({ path: join(SHOTS, 'object-lock.png'), fullPage: true });
  await page.close();
});
