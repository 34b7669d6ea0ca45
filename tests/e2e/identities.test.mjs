// End-to-end: the identities view sends IAM requests, as the IAM console does. Deactivating
// alice's access key sends UpdateAccessKey (IAM API reference, "UpdateAccessKey"; a deactivated
// key's requests fail with InvalidAccessKeyId, "Managing access keys for IAM users"); the view
// shows IAM's answer, and the page stays free of critical or serious axe-core violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launchBrowser, openPlayground, navigate, axeViolations, SHOTS } from './harness.mjs';

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

test('the access-key button sends UpdateAccessKey and shows what IAM answered', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await navigate(page, 'Identities');
  const button = page.getByRole('button', { name: /access key AKIAIOSFODNN7EXAMPLE/ });
  await button.click();
  const banner = page.getByTestId('iam-outcome');
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /^UpdateAccessKey → (200 OK|403 AccessDenied)/);
  if (text.includes('200 OK')) {
    // IAM changed the key: the button now offers to activate it again.
    await page.getByRole('button', { name: 'Activate access key AKIAIOSFODNN7EXAMPLE' }).waitFor();
  }
  await page.screenshot({ path: join(SHOTS, 'identities-update-access-key.png') });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
