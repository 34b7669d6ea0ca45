// Shared set-up for the end-to-end tests: serves the release build in dist/ on a free loopback
// port and launches Debian's Chromium headless through playwright-core (no browser download).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CONTENT_TYPES as TYPES } from '../../scripts/content-types.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'e2e-screenshots');

/**
 * Serves dist/ on 127.0.0.1 at a free port, under `prefix` (a course site's sub-path such as
 * `/courses/s3/`; anything outside it is a 404); resolves to { url, close }.
 */
export async function serveDist({ prefix = '/' } = {}) {
  const server = http.createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!full.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    const path = normalize(`/${full.slice(prefix.length)}`);
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches headless Chromium with the flags this closed network needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Opens the playground and waits until the app has rendered; collects page errors. */
export async function openPlayground(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 30000 });
  return { page, errors };
}

/** The two screen sizes every view is checked at: a laptop and a phone. */
export const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };

/** Opens the playground at a viewport size (fresh context: no saved work); `init`, if given, runs
 *  in the page before anything else (Playwright's `addInitScript`). */
export async function openAt(browser, url, viewport, { init } = {}) {
  const page = await browser.newPage({ viewport });
  if (init) await page.addInitScript(init);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 30000 });
  return { page, errors };
}

/** Shows a view by its sidebar button. */
export async function navigate(page, label) {
  await page.locator(`nav.sidebar button[data-view="${label.toLowerCase()}"]`).click();
  await page.waitForSelector(`#app[data-view="${label.toLowerCase()}"]`);
}

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Runs axe-core (bundled from npm, injected here: the page never loads it) and returns the
 *  critical and serious violations, each as `id: target …`. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}
