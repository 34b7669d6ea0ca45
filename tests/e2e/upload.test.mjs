// End-to-end: a multipart upload driven from the request builder. CreateMultipartUpload carries
// the encryption header the default bucket policy requires, its UploadId goes into UploadPart,
// and the part is stored (S3 UG, "Uploading and copying objects using multipart upload" and
// "Multipart upload API and permissions").
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

test('a multipart upload from the request builder: create with encryption, then a part', async () => {
  const { page, errors } = await openPlayground(browser, server.url);
  await navigate(page, 'Requests');
  await page.getByTestId('operation-a').selectOption('CreateMultipartUpload');
  // Without the header the bucket policy denies the create, where the header travels.
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  assert.match(await page.getByTestId('summary').innerText(), /DenyUnEncryptedObjectUploads/);

  await page.getByTestId('sse-a').selectOption('AES256');
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  assert.match(await page.getByTestId('status').innerText(), /200/);
  const body = JSON.parse(await page.getByTestId('body').textContent());
  assert.equal(body.Key, 'report.csv');
  assert.ok(body.UploadId.length > 10, body.UploadId);

  await page.getByTestId('operation-a').selectOption('UploadPart');
  await page.getByLabel('Upload ID (from CreateMultipartUpload)').fill(body.UploadId);
  await page.getByLabel('Part number (1–10000)').fill('1');
  assert.match(await page.getByTestId('http-a').innerText(), /PUT \/report\.csv\?partNumber=1&uploadId=/);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByText(/S3 stores part 1 of upload/).first().waitFor();
  assert.match(await page.getByTestId('status').innerText(), /200/);
  await page.screenshot({ path: join(SHOTS, 'upload-1-multipart-part.png'), fullPage: true });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
