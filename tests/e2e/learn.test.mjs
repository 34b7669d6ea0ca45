// End-to-end: the learning views in headless Chromium, used as learners, candidates and
// instructors would — a lesson completed try by try (one failed first, and the page says why),
// a challenge failed then solved, a timed exam set answered and a mistake reviewed, an
// instructor's link opening a custom challenge, and embed mode rendering alone. Every view is
// checked with axe-core and photographed at a laptop and a phone size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as harness from './harness.mjs';

const { serveDist, launchBrowser, SHOTS } = harness;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COURSE = join(ROOT, 'course');
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };

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

/** axe-core's critical and serious violations (the harness's check when it has one). */
async function axe(page) {
  if (harness.axeViolations) return harness.axeViolations(page);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
  }
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** A fresh browser context (no saved progress) on a learning address. */
async function open(path, viewport = SIZES.desktop) {
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(server.url + path);
  await page.waitForSelector('[data-learn-ready="true"]', { timeout: 60000 });
  return { page, errors, context };
}

/** Checks axe and takes the screenshot of a view at both sizes. */
async function checkView(page, name) {
  assert.deepEqual(await axe(page), [], `axe on ${name}`);
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width + 1, `${name} at ${size}: no sideways scroll (${width}px)`);
    await page.screenshot({ path: join(SHOTS, `learn-${name}-${size}.png`), fullPage: size === 'phone' ? false : true });
  }
  await page.setViewportSize(SIZES.desktop);
}

const json = async (path) => JSON.parse(await readFile(join(COURSE, path), 'utf8'));

async function questions() {
  const byId = new Map();
  for (const f of await readdir(join(COURSE, 'questions'))) {
    const bank = await json(join('questions', f));
    for (const q of bank.questions ?? []) byId.set(q.id, q);
  }
  return byId;
}

test('a learner completes a lesson, failing one try first and reading why', async () => {
  const lesson = await json('lessons/04-deny-encryption.json');
  const tries = lesson.sections.filter((s) => s.try).map((s) => s.try);
  const { page, errors, context } = await open('?lesson=04-deny-encryption');
  await page.waitForSelector('article.lesson');
  await checkView(page, 'lesson');
  // First try: send something else than the task asks for.
  const first = tries[0];
  // The try opens in the playground's request builder; the JSON view takes any request.
  await page.locator(`section.try[data-try="${first.id}"] #try-${first.id}-op`).waitFor();
  await page.locator('section.try .mode-switch button', { hasText: 'JSON' }).click();
  const area = page.locator(`#try-${first.id}-request`);
  const wrong = { ...first.request, operation: { ListObjectsV2: { bucket: 'examplebucket' } } };
  await area.fill(JSON.stringify(wrong, null, 2));
  await page.getByTestId('send-try').click();
  const failed = page.getByTestId('try-failed');
  await failed.waitFor();
  assert.match(await failed.innerText(), /Not yet/);
  assert.match(await failed.innerText(), new RegExp(first.match?.operation ?? 'PutObject'));
  // The trace is one click away.
  await page.locator('details.trace-details summary').click();
  await page.locator('details.trace-details ol.trace').first().waitFor();
  await checkView(page, 'lesson-failed-try');
  // Every try with its suggested request, answering each trace question.
  for (const [i, t] of tries.entries()) {
    if (i > 0) await page.getByTestId('next-page').click();
    await page.locator(`section.try[data-try="${t.id}"]`).waitFor();
    await page.getByRole('button', { name: 'Reset to the suggested request' }).click();
    await page.getByTestId('send-try').click();
    await page.getByTestId('try-passed').waitFor();
    if (t.question?.choices?.length) {
      await page.locator('fieldset.trace-question button.choice', { hasText: t.question.answer }).first().click();
      await page.locator('fieldset.trace-question .answer.ok').waitFor();
    }
  }
  await page.locator('button.dot.ok').nth(tries.length - 1).waitFor();
  assert.ok(await page.getByTestId('next-lesson').isVisible(), 'no dead end: the next lesson is offered');
  // Back to the list: the lesson is done, and the toolbar counts it.
  await page.locator('nav.learn-tabs button[data-learn-tab="lessons"]').click();
  await page.locator('li.lesson-card.done[data-lesson="04-deny-encryption"]').waitFor();
  assert.match(await page.getByTestId('learn-summary').innerText(), /1 of 14 lessons done/);
  await checkView(page, 'lessons');
  // A bad progress file is refused with a clear message, and nothing is lost.
  await page.getByTestId('import-progress').setInputFiles({ name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "s3pg-progress", "lessons": [') });
  const alert = page.locator('.learn-notice.error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /not imported; your progress is unchanged/);
  assert.match(await page.getByTestId('learn-summary').innerText(), /1 of 14 lessons done/);
  // A reload resumes: progress is in local storage.
  await page.reload();
  await page.waitForSelector('[data-learn-ready="true"]');
  await page.locator('nav.learn-tabs button[data-learn-tab="lessons"]').click();
  await page.locator('li.lesson-card.done[data-lesson="04-deny-encryption"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a learner fails a challenge probe, sees why with its trace, then solves it', async () => {
  const challenge = await json('challenges/deny-encryption-01.json');
  const { page, errors, context } = await open('?challenge=deny-encryption-01');
  await page.waitForSelector('article.challenge');
  await page.getByTestId('grade').click();
  const summary = page.getByTestId('grade-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /of \d+ requirements met/);
  const failedItem = page.locator('li.grade-item.fail').first();
  assert.ok(await failedItem.locator('ul.why li').count() > 0, 'the failed requirement says why');
  await page.locator('.challenge-trace ol.trace').first().waitFor();
  await checkView(page, 'challenge-failed');
  // Hints come one level at a time.
  await page.getByTestId('hint').click();
  assert.equal(await page.locator('.hints .learn-hint').count(), 1);
  // Save the policy (PutBucketPolicy through the world) and grade again.
  const policy = challenge.solution.patch.buckets.examplebucket.policy;
  await page.locator('#challenge-policy').fill(JSON.stringify(policy, null, 2));
  await page.getByTestId('save-policy').click();
  await page.locator('ol.sent-list button.sent.ok', { hasText: 'PutBucketPolicy' }).waitFor();
  await page.getByTestId('grade').click();
  await page.locator('.grade-summary.pass').waitFor();
  assert.match(await page.getByTestId('grade-summary').innerText(), /Solved/);
  await checkView(page, 'challenge-solved');
  await page.locator('nav.learn-tabs button[data-learn-tab="challenges"]').click();
  await page.locator('tr[data-challenge="deny-encryption-01"] .status.done').waitFor();
  await checkView(page, 'challenges');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a candidate answers a timed set and reviews a mistake', async () => {
  const bank = await questions();
  const { page, errors, context } = await open('?exam');
  await page.locator('.exam-setup').waitFor();
  await checkView(page, 'exam-setup');
  await page.locator('.setup-box input[type=number]').first().fill('3');
  await page.locator('.setup-box input[type=number]').first().dispatchEvent('change');
  await page.getByTestId('start-practice').click();
  await page.locator('.exam-run').waitFor();
  assert.match(await page.getByTestId('timer').innerText(), /^\d+:\d\d$/);
  for (let i = 0; i < 3; i++) {
    const id = await page.locator('.exam-question').getAttribute('data-question');
    const q = bank.get(id);
    assert.ok(q, `question ${id} is in the course`);
    // Options appear in the data's order.
    const shown = await page.locator('label.option .opt-id').allInnerTexts();
    assert.deepEqual(shown, q.options.map((o) => o.id));
    const pick = i === 0 ? [q.options.find((o) => !o.correct).id] : q.options.filter((o) => o.correct).map((o) => o.id);
    for (const o of pick) {
      await page.locator('label.option', { has: page.locator('.opt-id', { hasText: new RegExp(`^${o}$`) }) }).click();
    }
    if (i === 0) await checkView(page, 'exam-question');
    if (i < 2) await page.getByTestId('next-question').click();
  }
  await page.getByTestId('submit').click();
  const score = page.getByTestId('score');
  await score.waitFor();
  assert.match(await score.innerText(), /2 of 3 right/);
  assert.ok(await page.locator('table.by-topic tbody tr').count() >= 1);
  const review = page.getByTestId('review');
  await review.waitFor();
  assert.match(await review.innerText(), /Review of a mistake/);
  assert.match(await review.innerText(), /Explanation/);
  assert.ok(await review.locator('ul.whys li').count() >= 4, 'every option says why');
  assert.ok(await review.locator('.sources a[href^="https://docs.aws.amazon.com/"]').count() >= 1);
  await review.locator('.run-option ol.trace').first().waitFor();
  await checkView(page, 'exam-review');
  assert.deepEqual(errors, []);
  await context.close();
});

test("an instructor's shared link opens a custom challenge", async () => {
  const custom = await json('challenges/deny-encryption-01.json');
  custom.id = 'week-3-no-plaintext';
  custom.title = 'Week 3: no plaintext uploads';
  const { page, context } = await open('?learn');
  await page.getByTestId('open-course-file').setInputFiles({ name: 'week-3.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(custom)) });
  await page.locator('article.challenge[data-challenge="week-3-no-plaintext"]').waitFor();
  await page.getByRole('button', { name: 'Copy a link to this material' }).click();
  const link = await page.getByTestId('pack-link').inputValue();
  assert.match(link, /#pack=/);
  await context.close();
  // A student opens the link in a fresh browser.
  const student = await browser.newContext({ viewport: SIZES.desktop });
  const tab = await student.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(link);
  await tab.waitForSelector('article.challenge[data-challenge="week-3-no-plaintext"]', { timeout: 60000 });
  assert.equal(await tab.locator('#challenge-h').innerText(), 'Week 3: no plaintext uploads');
  assert.match(await tab.locator('.learn-opened').innerText(), /Week 3/);
  await tab.getByTestId('grade').click();
  await tab.getByTestId('grade-summary').waitFor();
  await checkView(tab, 'shared-challenge');
  // A damaged link says so and opens nothing.
  await tab.goto(`${server.url}?learn#pack=AAAA${link.split('#pack=')[1].slice(10, 40)}`);
  await tab.waitForSelector('[data-learn-ready="true"]', { timeout: 60000 });
  assert.match(await tab.locator('.learn-notice.error').innerText(), /could not be opened/);
  assert.deepEqual(errors, []);
  await student.close();
});

test('embed mode renders a lesson, a challenge or the scenario alone', async () => {
  const { page, errors, context } = await open('?embed=challenge:acls-01');
  await page.locator('article.challenge[data-challenge="acls-01"]').waitFor();
  assert.equal(await page.locator('header.top').count(), 0);
  assert.equal(await page.locator('.learn-tabs, .learn-toolbar, nav.crumbs').count(), 0);
  await checkView(page, 'embed-challenge');
  await page.goto(`${server.url}?embed=lesson:01-ownership-vpce`);
  await page.locator('article.lesson[data-lesson="01-ownership-vpce"]').waitFor();
  assert.equal(await page.locator('header.top, .learn-tabs, .learn-toolbar').count(), 0);
  await checkView(page, 'embed-lesson');
  await page.goto(`${server.url}?embed=scenario`);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 60000 });
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.evaluate(() => document.body.className), 'embed-scenario');
  assert.deepEqual(errors, []);
  await context.close();
});

test("the shell's sidebar opens the learning views", async () => {
  const page = await browser.newPage({ viewport: SIZES.desktop });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('#app[data-ready="true"]', { timeout: 60000 });
  for (const [view, ready] of [['challenges', 'table.challenge-table'], ['exam', '.exam-setup'], ['lessons', 'ol.lesson-list']]) {
    await page.locator(`nav.sidebar button[data-view="${view}"]`).click();
    await page.waitForSelector(`#app[data-view="${view}"]`);
    await page.locator(ready).waitFor({ timeout: 60000 });
  }
  await checkView(page, 'shell-lessons');
  await page.locator('li.lesson-card[data-lesson="01-ownership-vpce"] button').click();
  await page.locator('article.lesson[data-lesson="01-ownership-vpce"]').waitFor();
  await page.getByTestId('send-try').click();
  await page.getByTestId('try-passed').waitFor();
  await checkView(page, 'shell-lesson');
  assert.deepEqual(errors, []);
  await page.close();
});
