// Browser benchmark of the analysis views on the release build in dist/ (not part of
// scripts/test: speed is measured, never asserted). Headless Chromium on localhost:
//
//   node tests/bench/analysis.mjs [runs]
//   S3PG_JSON=out.json node tests/bench/analysis.mjs [runs]   # also every figure, unsummarised
//
// Opens the course-sized world the native bench uses (crates/analysis/tests/support/
// course_world.rs: 5 accounts, 50 principals, 5 buckets of 20 objects) as a shared link, then
// through the page, as a learner would:
// - who-can: the Analysis view over a bucket, an object and a version (the native bench's three
//   resources), each choice timed;
// - findings for every bucket (the Analysis view's findings);
// - the access diff of one saved bucket-policy edit (Save on course-bucket-0's Permissions tab);
// - flip of one refused request ("What would flip this?" under the decision).
// Each computation leaves a performance measure (web/src/analysis.rs, `measured`); the time to
// the next frame after the click is printed beside it — from the driver's call (which includes
// playwright's own checks before it clicks) and from the input event the page received (what
// the learner waits); the page itself watches for the answer on every animation frame from
// before the click, so no round trip of the driver's lies between the answer and the clock —
// and the page's main-thread CPU time over the same span (Chromium's ThreadTime: what the clock would read on an idle machine, roughly,
// when five engineers share two cores). Medians and 95th percentiles in ms.
import { serveDist, launchBrowser } from '../e2e/harness.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const ACCOUNTS = ['111122223333', '222233334444', '333344445555', '444455556666', '555566667777'];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, p95 ${p95(xs).toFixed(1)} ms (n=${xs.length})`;

/** The course-sized world, as course_world.rs builds it, in a scenario. */
function courseScenario() {
  const accounts = {};
  ACCOUNTS.forEach((id, i) => {
    const users = {};
    for (let u = 0; u < 8; u += 1) {
      const actions = [
        ['s3:GetObject', 's3:ListBucket'], ['s3:PutObject', 's3:GetObject'], 's3:*',
        ['s3:GetBucketPolicy', 's3:GetBucketAcl', 's3:DeleteObject'],
      ][u % 4];
      users[`user${u}`] = { policies: [{ name: 'work', document: { Version: '2012-10-17', Statement: [{ Sid: 'Work', Effect: 'Allow', Action: actions, Resource: '*' }] } }] };
    }
    accounts[id] = {
      users,
      roles: { app: {
        policies: [{ name: 'app', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::*/*' }] } }],
        sessions: [{ name: 's1' }, { name: 's2' }],
      } },
      ...(i < 2 ? { organizationId: 'o-course1' } : {}),
    };
  });
  const conditions = [
    { Bool: { 'aws:SecureTransport': 'false' } },
    { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
    { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    { Bool: { 'aws:SecureTransport': 'false' } },
  ];
  const buckets = {};
  ACCOUNTS.forEach((id, i) => {
    const name = `course-bucket-${i}`;
    const other = ACCOUNTS[(i + 1) % ACCOUNTS.length];
    const arns = [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`];
    const policy = { Version: '2012-10-17', Statement: [
      { Sid: 'Guard', Effect: 'Deny', Principal: '*', Action: i === 3 ? 's3:PutObject' : 's3:*', Resource: arns, Condition: conditions[i] },
      { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: arns },
      { Sid: 'Org', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/shared/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-course1' } } },
    ] };
    const objects = {};
    for (let k = 0; k < 20; k += 1) {
      const key = k % 5 === 0 ? `shared/file-${k}.txt` : `data/file-${k}.txt`;
      const version = { body: `object ${k}` };
      if (i === 4 && k === 1) version.acl = { canned: 'public-read' };
      objects[key] = { versions: [version] };
    }
    const bucket = { owner: id, policy, objects };
    if (i === 4) {
      bucket.objectOwnership = 'BucketOwnerPreferred';
      bucket.publicAccessBlock = null;
    }
    buckets[name] = bucket;
  });
  return {
    name: 'Course-sized world (benchmark)',
    source: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html'],
    world: { accounts, buckets, vpcEndpoints: { 'vpce-1a2b3c4d': { vpcId: 'vpc-111bbb22' } } },
  };
}

const LINK = `#scenario=${Buffer.from(JSON.stringify(courseScenario())).toString('base64url')}`;

/** The page's main-thread CPU time so far, in ms (Chromium's `ThreadTime` metric): on a shared,
 *  loaded machine it moves far less than the clock does. */
async function cpu(page) {
  page.cdp ??= await page.context().newCDPSession(page);
  if (!page.cdpEnabled) {
    await page.cdp.send('Performance.enable');
    page.cdpEnabled = true;
  }
  const { metrics } = await page.cdp.send('Performance.getMetrics');
  return 1000 * (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN);
}

const TRACE = Boolean(process.env.S3PG_TRACE);

/** Starts a Chromium trace of the page (when `S3PG_TRACE` is set). */
async function traceStart(page) {
  if (!TRACE) return;
  page.cdp ??= await page.context().newCDPSession(page);
  page.events = [];
  page.cdp.removeAllListeners('Tracing.dataCollected');
  page.cdp.on('Tracing.dataCollected', ({ value }) => page.events.push(...value));
  await page.cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,blink.user_timing,blink,cc',
    transferMode: 'ReportEvents',
  });
}

/** Stops the trace; the main thread's self time per event name over the trace, in ms. */
async function traceStop(page) {
  if (!TRACE) return null;
  const done = new Promise((r) => page.cdp.once('Tracing.tracingComplete', r));
  await page.cdp.send('Tracing.end');
  await done;
  const main = page.events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (process.env.S3PG_TRACE !== '1') {
    // A directory: each trace saved whole (DevTools' Performance panel opens it).
    page.traces = (page.traces ?? 0) + 1;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${process.env.S3PG_TRACE}/${Date.now()}-${page.traces}.json`, JSON.stringify({ traceEvents: page.events }));
  }
  const xs = page.events
    .filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = {};
  const stack = [];
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self[parent.name] -= e.dur / 1000;
    self[e.name] = (self[e.name] ?? 0) + e.dur / 1000;
    stack.push(e);
  }
  return self;
}

const PROFILE = Boolean(process.env.S3PG_PROFILE);

/** Starts V8's sampling profiler (when `S3PG_PROFILE` is set). */
async function profileStart(page) {
  if (!PROFILE) return;
  page.cdp ??= await page.context().newCDPSession(page);
  await page.cdp.send('Profiler.enable');
  await page.cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await page.cdp.send('Profiler.start');
}

/** Stops it; self time per function (name, or wasm function index), in ms. */
async function profileStop(page) {
  if (!PROFILE) return null;
  const { profile } = await page.cdp.send('Profiler.stop');
  if (process.env.S3PG_PROFILE !== '1') {
    // A directory: each profile saved whole (DevTools' Performance panel opens .cpuprofile).
    page.profiles = (page.profiles ?? 0) + 1;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${process.env.S3PG_PROFILE}/${Date.now()}-${page.profiles}.cpuprofile`, JSON.stringify(profile));
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = {};
  const dts = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop().slice(0, 24) : ''}`;
    self[name] = (self[name] ?? 0) + (dts[i + 1] ?? 0) / 1000;
  });
  return self;
}

const traces = {};

/** Watches in the page, on every animation frame from now on, for `done(arg)` to hold; the time
 *  of the frame after the one where it first did (that frame has painted it) is kept as
 *  `window.s3pgSeen[name]`. Started before the act, so the driver's round trips after it (the
 *  click's return, the next poll) are not counted as the learner's wait. */
async function watch(page, name, done, arg) {
  const key = JSON.stringify(name);
  const value = arg === undefined ? 'undefined' : JSON.stringify(arg);
  await page.evaluate(`(() => {
    window.s3pgSeen ??= {};
    window.s3pgSeen[${key}] = NaN;
    const done = (${done.toString()});
    const check = () => (done(${value})
      ? requestAnimationFrame(() => { window.s3pgSeen[${key}] = performance.now(); })
      : requestAnimationFrame(check));
    requestAnimationFrame(check);
  })()`);
}

/** The time `watch` kept for `name`, once there is one. */
async function seen(page, name) {
  await page.waitForFunction((n) => !Number.isNaN(window.s3pgSeen?.[n] ?? NaN), name, { timeout: 60000 });
  return page.evaluate((n) => window.s3pgSeen[n], name);
}

/** Clears the measures, runs `act` in the page, waits for `done`, then one frame: the measure of
 *  `name`, the time from the act to that frame, and the main thread's CPU time over it. */
async function timed(page, name, act, done, arg) {
  await page.evaluate(() => performance.clearMeasures());
  await watch(page, name, done, arg);
  await traceStart(page);
  await profileStart(page);
  const c0 = await cpu(page);
  const t0 = await page.evaluate(() => {
    // When the page received the learner's input (the click, or the menu's change): the
    // driver's own checks before it sends the click are not the learner's wait.
    window.s3pgInput = NaN;
    if (!window.s3pgListening) {
      window.s3pgListening = true;
      for (const type of ['click', 'change']) {
        document.addEventListener(type, (e) => { if (Number.isNaN(window.s3pgInput)) window.s3pgInput = e.timeStamp; }, true);
      }
    }
    return performance.now();
  });
  await act();
  const t1 = await seen(page, name);
  const c1 = await cpu(page);
  const input = await page.evaluate(() => window.s3pgInput);
  const self = (await traceStop(page)) ?? (await profileStop(page));
  if (self) {
    traces[name] ??= [];
    traces[name].push(self);
  }
  // Who-can is asked a page of principals per task: its compute is the sum of its measures.
  const measure = await page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((m) => m.duration), name);
  return { compute: measure.length ? measure.reduce((a, b) => a + b, 0) : NaN, screen: t1 - t0, input: t1 - input, cpu: c1 - c0, t0, t1: input };
}

const results = {};
const add = (key, { compute, screen, input = NaN, cpu: thread = NaN }) => {
  results[key] ??= { compute: [], screen: [], input: [], cpu: [] };
  results[key].compute.push(compute);
  results[key].screen.push(screen);
  results[key].input.push(input);
  results[key].cpu.push(thread);
};

const server = await serveDist();
const browser = await launchBrowser();
try {
  for (let run = 0; run < RUNS; run += 1) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url + LINK);
    await page.waitForSelector('#app[data-ready="true"]', { timeout: 60000 });
    // Who-can over the open bucket (the view's first render; findings render with it): the
    // first page of principals on screen, then every principal asked (the summary, the pager).
    await watch(page, 'first page', () => document.querySelector('[data-testid="who-can-matrix"]'));
    const whole = await timed(page, 's3pg:who-can',
      () => page.locator('nav.sidebar button[data-view="analysis"]').click(),
      () => document.querySelector('[data-testid="who-can"]:not([data-complete="false"])'));
    const shown = await seen(page, 'first page');
    const firstMeasure = await page.evaluate(() => performance.getEntriesByName('s3pg:who-can', 'measure')[0]?.duration ?? NaN);
    // (No CPU figure for the first page: the other principals are being asked by the time the
    // driver can read it.)
    add('who-can: bucket (view opens), first page', {
      compute: firstMeasure, screen: shown - whole.t0, input: shown - whole.t1,
    });
    add('who-can: bucket (view opens), every principal', whole);
    const f = await page.evaluate(() => performance.getEntriesByName('s3pg:findings', 'measure').map((m) => m.duration));
    add('findings: every bucket', { compute: f.length ? Math.max(...f) : NaN, screen: NaN });
    const select = page.getByTestId('who-can-resource');
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    for (const [label, match] of [['object', 'Object course-bucket-0/data/file-1.txt'], ['version', 'Version course-bucket-0/data/file-1.txt']]) {
      const option = options.find(([, text]) => text.startsWith(match));
      if (!option) continue;
      const before = await page.getByTestId('who-can-summary').innerText();
      add(`who-can: ${label} (every principal)`, await timed(page, 's3pg:who-can',
        () => select.selectOption(option[0]),
        (b) => document.querySelector('[data-testid="who-can"]:not([data-complete="false"]) [data-testid="who-can-summary"]')?.innerText !== b, before));
    }
    // The access diff of one bucket-policy edit on course-bucket-0 (owned by the first account,
    // whose root is signed in): the Guard statement removed, then Save.
    await page.locator('nav.sidebar button[data-view="buckets"]').click();
    await page.getByRole('button', { name: 'course-bucket-0', exact: true }).click();
    await page.getByRole('tab', { name: 'Permissions' }).click();
    const text = await page.locator('#policy-text').inputValue();
    const policy = JSON.parse(text);
    policy.Statement = policy.Statement.filter((s) => s.Sid !== 'Guard');
    await page.locator('#policy-text').fill(JSON.stringify(policy, null, 2));
    add('diff: one bucket-policy edit', await timed(page, 's3pg:diff',
      () => page.getByTestId('save-policy').click(),
      () => document.querySelector('[data-testid="change-diff-summary"]')));
    // Flip of one refused request: user0 of 222233334444 uploading to course-bucket-0 (the
    // native bench's request).
    await page.locator('nav.sidebar button[data-view="requests"]').click();
    const caller = page.getByLabel('Who sends the request');
    const callers = await caller.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const user0 = callers.find(([, t]) => t.includes('user0') && t.includes('222233334444'));
    if (user0) await caller.selectOption(user0[0]);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForSelector('[data-testid="decision"]');
    add('flip: one request', await timed(page, 's3pg:flip',
      () => page.getByRole('button', { name: 'What would flip this?' }).click(),
      () => document.querySelector('[data-testid="flip-summary"]')));
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
if (process.env.S3PG_JSON) {
  // Every figure, unsummarised: runs on a loaded machine are pooled and compared afterwards.
  const { writeFile } = await import('node:fs/promises');
  await writeFile(process.env.S3PG_JSON, JSON.stringify(results));
}
for (const [key, { compute, screen, input, cpu: thread }] of Object.entries(results)) {
  const shown = screen.some((x) => !Number.isNaN(x)) ? `; click → on screen ${fmt(screen)}` : '';
  const felt = input.some((x) => !Number.isNaN(x)) ? `; input event → on screen ${fmt(input)}` : '';
  const used = thread.some((x) => !Number.isNaN(x)) ? `; main-thread CPU ${fmt(thread)}` : '';
  console.log(`${key}: compute ${fmt(compute)}${shown}${felt}${used}`);
}
for (const [name, runs] of Object.entries(traces)) {
  const names = [...new Set(runs.flatMap(Object.keys))];
  const rows = names
    .map((n) => [n, median(runs.map((r) => r[n] ?? 0))])
    .filter(([, ms]) => ms >= 0.5)
    .sort((a, b) => b[1] - a[1]);
  console.log(`\n${name}: main-thread self time by ${TRACE ? 'trace event' : 'function'} (median of ${runs.length}, ms)`);
  for (const [n, ms] of rows.slice(0, PROFILE ? 60 : 25)) console.log(`  ${ms.toFixed(1).padStart(8)}  ${n}`);
}
