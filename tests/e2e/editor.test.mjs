// End-to-end: the policy editor, used as a learner would in headless Chromium — typing a policy,
// seeing a squiggle and its message, accepting a completion from the keyboard, formatting (and
// undoing it), inserting a template, and editing through the form builder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serveDist, launchBrowser, openPlayground, axeViolations, navigate, SHOTS } from './harness.mjs';

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

/** Puts the caret right after the first occurrence of `needle` in the editor. */
async function caretAfter(editor, needle) {
  await editor.evaluate((el, n) => {
    const at = el.value.indexOf(n) + n.length;
    el.focus();
    el.setSelectionRange(at, at);
  }, needle);
}

test('the editor highlights the policy with line numbers', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  const code = page.getByTestId('policy-editor');
  await code.locator('.cm-hl .t-a').first().waitFor();
  assert.equal(await code.locator('.cm-hl .t-a').first().innerText(), '"s3:PutObject"');
  assert.ok(await code.locator('.cm-hl .t-op').filter({ hasText: 'Null' }).count() > 0);
  assert.ok(await code.locator('.cm-hl .t-ck').filter({ hasText: 's3:x-amz-server-side-encryption' }).count() > 0);
  assert.ok(await code.locator('.cm-hl .t-arn').count() > 0);
  const text = await page.locator('#policy-text').inputValue();
  const lines = text.split('\n').length;
  assert.equal(await code.locator('.cm-hl .cm-line').count(), lines);
  const gutter = await code.locator('.cm-gutter').innerText();
  assert.equal(gutter.trim().split('\n').at(-1), String(lines));
  // The textarea stays the labelled, real input.
  assert.equal(await page.getByLabel('Bucket policy JSON').getAttribute('id'), 'policy-text');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a typo gets a squiggle whose message shows on hover and at the caret', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  const editor = page.locator('#policy-text');
  const text = (await editor.inputValue()).replace('"s3:PutObject"', '"s3:PutObjectz"');
  await editor.fill(text);
  const squiggle = page.locator('.cm-hl .sq-w, .cm-hl .sq-e').filter({ hasText: 's3:PutObjectz' }).first();
  await squiggle.waitFor();
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = page.getByTestId('hover-tip');
  await tip.waitFor();
  assert.match(await tip.innerText(), /s3:PutObjectz/);
  await page.screenshot({ path: join(SHOTS, 'editor-1-squiggle-hover.png') });
  // Keyboard: the same message in the caret's status line.
  await caretAfter(editor, '"s3:PutObj');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.getByTestId('caret-info').innerText(), /s3:PutObjectz/);
  // The list scrolls in its panel and choosing an entry selects the text it is about.
  const item = page.getByTestId('policy-editor').getByTestId('diagnostics').locator('li').filter({ hasText: 's3:PutObjectz' }).first();
  await item.locator('button').click();
  const selected = await editor.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  assert.match(selected, /s3:PutObjectz/);
  assert.equal(
    await page.getByTestId('policy-editor').getByTestId('diagnostics').evaluate((el) => getComputedStyle(el).overflowY),
    'auto',
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('typing in an action opens completions; arrows and Enter accept one; Escape closes', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  const editor = page.locator('#policy-text');
  const text = (await editor.inputValue()).replace('"s3:PutObject"', '"s3:Get"');
  await editor.fill(text);
  await caretAfter(editor, '"s3:Get');
  await page.keyboard.type('Obj');
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await list.waitFor();
  assert.equal(await editor.getAttribute('aria-controls'), await list.getAttribute('id'));
  const first = list.getByRole('option').first();
  assert.match(await first.innerText(), /s3:GetObject/);
  assert.equal(await editor.getAttribute('aria-activedescendant'), await first.getAttribute('id'));
  // The list is announced: a polite live region says how many suggestions there are.
  const announced = page.getByTestId('policy-editor').locator('.visually-hidden[aria-live="polite"]');
  assert.match(await announced.textContent(), /^\d+ suggestions; arrow keys to choose/);
  assert.equal(await first.getAttribute('aria-posinset'), '1');
  await page.screenshot({ path: join(SHOTS, 'editor-2-completions.png') });
  await page.keyboard.press('ArrowDown');
  const second = list.getByRole('option').nth(1);
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  const chosen = (await second.locator('.label').innerText()).trim();
  await page.keyboard.press('Enter');
  await list.waitFor({ state: 'detached' });
  assert.ok((await editor.inputValue()).includes(`"${chosen}"`), chosen);
  // Escape closes a list without changing the text.
  await caretAfter(editor, `"${chosen.slice(0, 6)}`);
  await page.keyboard.press('Control+Space');
  await list.waitFor();
  const before = await editor.inputValue();
  await page.keyboard.press('Escape');
  await list.waitFor({ state: 'detached' });
  assert.equal(await editor.inputValue(), before);
  assert.deepEqual(errors, []);
  await page.close();
});

/** `base` (a bucket policy) grown to about `bytes` with Allow statements before its last statement;
 *  their principal exists in the world, so S3 would accept the draft. */
function largePolicy(base, bytes) {
  const policy = JSON.parse(base);
  const last = policy.Statement.pop();
  for (let i = 0; JSON.stringify(policy, null, 2).length < bytes - 600; i += 1) {
    policy.Statement.push({
      Sid: `ReadReports${i}`,
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `arn:aws:s3:::examplebucket/reports/${i}/*`,
      Condition: { IpAddress: { 'aws:SourceIp': [`10.${i % 250}.0.0/16`] }, Bool: { 'aws:SecureTransport': 'true' } },
    });
  }
  policy.Statement.push(last);
  return JSON.stringify(policy, null, 2);
}

test('typing into a 15 KB draft keeps the page alive and re-decides after each keystroke', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  page.on('crash', () => errors.push('the page crashed'));
  // A request to re-decide: the draft's "What if" re-runs the last one sent.
  await navigate(page, 'Requests');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByTestId('decision').waitFor();
  await navigate(page, 'Buckets');
  const editor = page.locator('#policy-text');
  const big = largePolicy(await editor.inputValue(), 15 * 1024);
  assert.ok(big.length > 15 * 1024 - 700, `${big.length} bytes`);
  await editor.fill(big);
  const pane = page.locator('#result');
  await pane.getByText('What if:').waitFor();
  // Real keystrokes at the end of the deciding statement's name: each one is a new decision.
  await caretAfter(editor, 'DenyUnEncryptedObjectUploads');
  for (const key of ['X', 'Y', 'Z']) {
    const sid = await editor.evaluate((el) => el.value.slice(el.value.indexOf('DenyUnEnc'), el.selectionStart));
    await page.keyboard.type(key);
    await pane.locator(`[data-statement="${sid}${key}"]`).first().waitFor();
  }
  await page.keyboard.press('Escape');
  // A script's plain `Event('input')` (no inputType) is an edit like any other.
  await editor.evaluate((el) => {
    el.value = el.value.replace('DenyUnEncryptedObjectUploadsXYZ', 'DenyPlainEvent');
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await pane.locator('[data-statement="DenyPlainEvent"]').first().waitFor();
  // The highlighted copy follows the whole text, to its last line.
  const lines = big.split('\n').length;
  assert.equal(await page.getByTestId('policy-editor').locator('.cm-hl .cm-line').count(), lines);
  assert.match(await pane.innerText(), /Denied — explicit deny/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Format pretty-prints keeping the meaning, and undo brings the text back', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  const editor = page.locator('#policy-text');
  const compact = JSON.stringify(JSON.parse(await editor.inputValue()));
  await editor.fill(compact);
  await page.getByRole('button', { name: 'Format' }).click();
  const formatted = await editor.inputValue();
  assert.notEqual(formatted, compact);
  assert.ok(formatted.split('\n').length > 10);
  assert.deepEqual(JSON.parse(formatted), JSON.parse(compact));
  await editor.focus();
  await page.keyboard.press('Control+z');
  assert.equal(await editor.inputValue(), compact);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a template is inserted into the policy with this bucket and stays valid', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  const editor = page.locator('#policy-text');
  await page.getByTestId('templates').selectOption({ label: 'HTTPS only (deny requests without TLS)' });
  const text = await editor.inputValue();
  assert.match(text, /RestrictToTLSRequestsOnly/);
  assert.match(text, /"aws:SecureTransport": "false"/);
  assert.match(text, /arn:aws:s3:::examplebucket\/\*/);
  assert.match(text, /DenyUnEncryptedObjectUploads/);
  assert.match(await page.getByTestId('policy-status').innerText(), /Unsaved draft/);
  assert.equal(await page.getByTestId('policy-editor').getByTestId('diagnostics').locator('li.error').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'editor-3-template.png') });
  // Into an empty policy, the template is the whole policy.
  await editor.fill('');
  await page.getByTestId('templates').selectOption({ label: 'Public website (anyone may read objects)' });
  assert.deepEqual(JSON.parse(await editor.inputValue()).Statement[0].Action, 's3:GetObject');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the form builder shows the statements and its edits show in the JSON', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await page.getByRole('button', { name: 'Form', exact: true }).click();
  const form = page.getByTestId('policy-form');
  await form.waitFor();
  assert.equal(await form.locator('fieldset.cm-statement').count(), 1);
  const sid = form.getByLabel('Sid');
  assert.equal(await sid.inputValue(), 'DenyUnEncryptedObjectUploads');
  await sid.fill('RequireSse');
  assert.equal(await form.getByLabel('Action (one per line)').inputValue(), 's3:PutObject');
  await page.screenshot({ path: join(SHOTS, 'editor-4-form.png') });
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  const text = await page.locator('#policy-text').inputValue();
  assert.match(text, /"Sid": "RequireSse"/);
  assert.match(text, /"Null": \{\s*"s3:x-amz-server-side-encryption": "true"/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('axe-core finds no critical or serious violation with the completion list open, nor in the form', async () => {
  const { page } = await openPlayground(browser, server.url);
  const editor = page.locator('#policy-text');
  await caretAfter(editor, '"s3:Put');
  await page.keyboard.press('Control+Space');
  await page.getByRole('listbox', { name: 'Suggestions' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.getByRole('button', { name: 'Form', exact: true }).click();
  await page.getByTestId('policy-form').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});
