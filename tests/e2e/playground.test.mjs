// End-to-end: the learner's first flow, clicked in headless Chromium against the release build.
// PutObject without the encryption header is explicitly denied by the bucket policy's
// `DenyUnEncryptedObjectUploads` statement; with the header it is allowed.
// (S3 UG, "Protecting data with server-side encryption" and the IAM evaluation logic page.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launchBrowser, openPlayground, navigate, SHOTS } from './harness.mjs';

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

test('the page opens on examplebucket with the encryption policy and alice', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await assert.doesNotReject(page.getByRole('heading', { name: 'examplebucket' }).waitFor());
  const policy = await page.locator('#policy-text').inputValue();
  assert.match(policy, /DenyUnEncryptedObjectUploads/);
  await navigate(page, 'Requests');
  const caller = page.getByLabel('Who sends the request');
  assert.match(await caller.locator('option:checked').innerText(), /alice/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('upload without the header is explicitly denied; with it, allowed', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  const decision = page.getByTestId('decision');
  await decision.waitFor();
  assert.equal(await decision.getAttribute('data-decision'), 'ExplicitDeny');
  assert.match(await page.getByTestId('summary').innerText(), /DenyUnEncryptedObjectUploads/);
  assert.match(await page.getByTestId('status').innerText(), /403 AccessDenied/);
  const deny = page.locator('[data-statement="DenyUnEncryptedObjectUploads"]').first();
  assert.match(await deny.innerText(), /Null/);
  assert.match(await deny.innerText(), /s3:x-amz-server-side-encryption/);
  await page.screenshot({ path: join(SHOTS, '1-denied-without-header.png'), fullPage: true });

  await page.getByTestId('sse-a').selectOption('AES256');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  assert.match(await page.getByTestId('status').innerText(), /200/);
  await page.screenshot({ path: join(SHOTS, '2-allowed-with-header.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a policy that does not parse shows line:column and keeps the text', async () => {
  const { page } = await openPlayground(browser, server.url);
  const editor = page.locator('#policy-text');
  const broken = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Deny",, }\n  ]\n}';
  await editor.fill(broken);
  const first = page.getByTestId('diagnostics').locator('li.error').first();
  await first.waitFor();
  assert.match(await first.innerText(), /^4:\d+/);
  assert.equal(await editor.inputValue(), broken);
  assert.equal(await editor.getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: join(SHOTS, '3-parse-error.png'), fullPage: true });
  await page.close();
});

test('editing the policy re-decides the last request as a what-if, without saving it', async () => {
  const { page } = await openPlayground(browser, server.url);
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await navigate(page, 'Buckets');
  const editor = page.locator('#policy-text');
  const text = await editor.inputValue();
  // Turn the deny into a condition that no longer matches (the header would have to be present).
  await editor.fill(text.replace('"true"', '"false"'));
  await page.waitForSelector('[data-testid="decision"]:not([data-decision="ExplicitDeny"])');
  assert.match(await page.getByTestId('decision').innerText(), /What if/);
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await page.close();
});

test('Ctrl+Enter sends the request from the keyboard', async () => {
  const { page } = await openPlayground(browser, server.url);
  await navigate(page, 'Requests');
  await page.getByLabel('Who sends the request').focus();
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await page.close();
});

test('a library scenario opens and its steps run with their expectations checked', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await navigate(page, 'Scenario');
  const library = page.getByTestId('library');
  const options = await library.locator('button[data-file]').count();
  assert.ok(options >= 80, `only ${options} scenarios in the library`);
  await page.getByTestId('library-search').fill('versioning');
  assert.ok(await library.locator('button[data-file]').count() < options, 'search narrows the list');
  // Open the first versioning scenario and run its steps.
  await library.locator('details[data-topic="versioning"] button[data-file]').first().click();
  const pending = page.getByTestId('steps').locator('li').first();
  assert.match(await pending.innerText(), /not run yet/);
  assert.doesNotMatch(await pending.innerText(), /expects/);
  await page.getByRole('button', { name: 'Run all steps' }).click();
  const steps = page.getByTestId('steps').locator('li');
  await steps.first().locator('.mark').filter({ hasText: /✓|✗/ }).waitFor();
  const unmet = await page.getByTestId('steps').locator('li.unmet').count();
  assert.equal(unmet, 0, 'every step meets its expectation');
  await steps.last().getByRole('button').click();
  await page.getByTestId('decision').waitFor();
  await page.screenshot({ path: join(SHOTS, '4-library-steps.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('edits survive a reload, and a share link opens the same scenario elsewhere', async () => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('#app[data-ready="true"]');
  const editor = page.locator('#policy-text');
  const edited = (await editor.inputValue()).replace('DenyUnEncryptedObjectUploads', 'RequireEncryptionHeader');
  await editor.fill(edited);
  await page.getByTestId('policy-status').filter({ hasText: 'Unsaved draft' }).waitFor();
  await page.reload();
  await page.waitForSelector('#app[data-ready="true"]');
  assert.match(await page.locator('#policy-text').inputValue(), /RequireEncryptionHeader/);
  // A draft is not shared: Save sends it to S3, and the link carries what S3 holds.
  await page.getByTestId('save-policy').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.innerText.includes('PutBucketPolicy → HTTP 204'));

  await navigate(page, 'Scenario');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#v2=/);
  await context.close();

  // A fresh browser profile: no saved work, only the link.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await fresh.waitForSelector('#app[data-ready="true"]');
  assert.match(await fresh.locator('#policy-text').inputValue(), /RequireEncryptionHeader/);
  assert.doesNotMatch(fresh.url(), /#v2=/);
  await other.close();
});

test('a pasted scenario with an error says where and keeps the page as it was', async () => {
  const { page } = await openPlayground(browser, server.url);
  await navigate(page, 'Scenario');
  await page.getByRole('button', { name: 'Paste a scenario…' }).click();
  await page.getByLabel('Scenario JSON').fill('{\n  "name": "x",\n  "world": {"buckets": 3}\n}');
  await page.getByRole('button', { name: 'Load it' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /3:\d+/);
  await navigate(page, 'Buckets');
  await page.getByRole('heading', { name: 'examplebucket' }).waitFor();
  await page.close();
});

test('the aws console runs real CLI commands against the world and traces them', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await navigate(page, 'Console');
  const prompt = page.getByLabel('aws command');
  await prompt.fill('aws s3api put-object --bucket examplebucket --key notes.txt --body policy.json --profile alice');
  await prompt.press('Enter');
  const log = page.getByTestId('console-log');
  await log.getByText(/An error occurred \(AccessDenied\) when calling the PutObject operation/).waitFor();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await prompt.fill('aws s3api put-object --bucket examplebucket --key notes.txt --body policy.json --server-side-encryption AES256 --profile alice');
  await prompt.press('Enter');
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  assert.match(await log.innerText(), /"ServerSideEncryption": "AES256"/);
  // History: ArrowUp brings back the last command.
  await prompt.press('ArrowUp');
  assert.match(await prompt.inputValue(), /--server-side-encryption AES256/);
  await page.screenshot({ path: join(SHOTS, '5-console.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('client-side encryption runs in the page: S3 gets ciphertext, only the key holder can read', async () => {
  const { page } = await openPlayground(browser, server.url);
  await navigate(page, 'Keys');
  await page.getByRole('button', { name: 'Encrypt in the browser' }).click();
  const out = page.getByTestId('client-side');
  await out.waitFor();
  assert.match(await out.innerText(), /x-amz-key-v2/);
  assert.doesNotMatch(await out.locator('pre').innerText(), /Quarterly/);
  await page.getByRole('button', { name: 'Decrypt with another key' }).click();
  assert.match(await page.getByTestId('decrypted').innerText(), /Refused/);
  await page.getByRole('button', { name: 'Decrypt with my key' }).click();
  assert.match(await page.getByTestId('decrypted').innerText(), /Quarterly results/);
  await page.close();
});

test('the simulated clock moves only when the learner says so', async () => {
  const { page } = await openPlayground(browser, server.url);
  await navigate(page, 'Identities');
  const clock = page.getByTestId('clock');
  const before = await clock.innerText();
  await page.getByRole('button', { name: '+1 day' }).click();
  assert.notEqual(await clock.innerText(), before);
  await page.close();
});

test("editing alice's identity policy re-decides the last request", async () => {
  const { page } = await openPlayground(browser, server.url);
  await navigate(page, 'Requests');
  await page.getByTestId('sse-a').selectOption('AES256');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  await navigate(page, 'Identities');
  await page.locator('summary', { hasText: 'Identity policy AllowPutObject' }).click();
  const editor = page.getByRole('textbox', { name: 'Identity policy AllowPutObject' });
  await editor.fill((await editor.inputValue()).replace('s3:PutObject', 's3:GetObject'));
  await page.waitForSelector('[data-testid="decision"][data-decision="ImplicitDeny"]');
  await page.close();
});
