// Browser benchmark of the release build in dist/ (not part of scripts/test: speed is measured,
// never asserted). Headless Chromium on localhost, through playwright-core:
//
//   node tests/bench/page.mjs [runs]
//
// - first visit: navigation → loading indicator, → WebAssembly started, → catalogue and library
//   fetched, → app ready, → app painted, → first decision on screen ("Send it" in the decision
//   pane clicked in the first task after the frame that shows it), with an empty cache; and,
//   apart, the same clicked before the browser has laid the app out, and the Requests view and its
//   Send (two clicks), both ways;
// - repeat visit: the same with the service worker's cache;
// - keystroke → new decision on screen in the bucket-policy editor, with the default policy and
//   with a 15 KB policy: a keystroke (through the browser's editing path, as typing, at a random
//   moment between two frames) that renames the deciding statement, timed with performance marks
//   until the frame showing the new name has been painted, and until the new name is in the page;
//   and the same with the whole value replaced (the first figures' method).
//
// Prints medians and 95th percentiles in milliseconds.
import { serveDist, launchBrowser } from '../e2e/harness.mjs';

const RUNS = Number(process.argv[2] ?? 10);
const KEYSTROKES = 40;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, p95 ${p95(xs).toFixed(1)} ms (n=${xs.length})`;

// Runs in the page before anything else: records when the indicator, the app and the first
// decision appear (performance.now() counts from navigation start), and sends the request the way
// a learner's first click would:
// - `via`: `pane`, the decision pane's "Send it" (the landing view's request, one click from its
//   answer); `requests`, the Requests view, then its form's Send (two clicks);
// - `when`: `painted`, once the frame that shows the app has been painted (a learner cannot click
//   a button before it is on screen: the click is the first task after that frame); `ready`, the
//   moment the app's markup is in the page, before the browser has laid it out (the harsher
//   method of the earlier figures).
const OBSERVE = ({ via, when }) => {
  const marks = {};
  window.__marks = marks;
  const form = () => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Send request');
  const send = () => {
    // (A visit restoring work on the Requests view has no "Send it": the form's Send is there.)
    const button = via === 'pane' ? document.querySelector('[data-testid="send-first"]') ?? form() : form();
    if (button && !marks.sent) {
      marks.sent = performance.now();
      button.click();
    }
  };
  const click = () => {
    marks.clicked = performance.now();
    if (via === 'requests') document.querySelector('nav.sidebar button[data-view="requests"]')?.click();
    send();
  };
  const observer = new MutationObserver(() => {
    if (!marks.loading && document.getElementById('loading')) marks.loading = performance.now();
    if (!marks.ready && document.querySelector('#app[data-ready="true"]')) {
      marks.ready = performance.now();
      if (when === 'ready') {
        click();
      } else {
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = click;
          channel.port2.postMessage(null);
        });
      }
    }
    // The form's Send, once the Requests view is on the page.
    if (marks.clicked && !marks.sent) send();
    if (!marks.decision && document.querySelector('[data-testid="decision"]')) {
      marks.decisionDom = performance.now();
      requestAnimationFrame(() => {
        marks.decision = performance.now();
        console.log('s3pg-bench: decision');
      });
    }
  });
  observer.observe(document, { childList: true, subtree: true });
};

async function visit(page, url) {
  // The page says when the decision is on screen (a console message): the driver evaluates
  // nothing in the page until then, so none of its own work (Playwright's injected script, its
  // polling on every frame: about 45 ms of main-thread time on a cold visit) falls inside what
  // is measured.
  const decided = page.waitForEvent('console', { predicate: (m) => m.text() === 's3pg-bench: decision', timeout: 60_000 });
  await page.goto(url);
  await decided;
  // The app's own start-up marks (web/src/main.rs): the WebAssembly running, the catalogue and
  // library fetched, the first render done.
  return page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return { ...window.__marks, main: at('s3pg:main'), assets: at('s3pg:assets'), rendered: at('s3pg:rendered') };
  });
}

/**
 * A valid bucket policy of about `bytes` bytes for examplebucket, ending in the Deny to rename.
 * Its principals must exist in the world: S3 refuses a policy naming a principal that does not
 * (400 MalformedPolicy, "Invalid principal in policy"), and a refused draft never re-decides.
 */
function bigPolicy(base, bytes) {
  const policy = JSON.parse(base);
  const deny = policy.Statement.pop();
  let i = 0;
  while (JSON.stringify(policy, null, 2).length < bytes - 600) {
    policy.Statement.push({
      Sid: `ReadReports${i}`,
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `arn:aws:s3:::examplebucket/reports/${i}/*`,
      Condition: { IpAddress: { 'aws:SourceIp': [`10.${i % 250}.0.0/16`] }, Bool: { 'aws:SecureTransport': 'true' } },
    });
    i += 1;
  }
  policy.Statement.push(deny);
  return JSON.stringify(policy, null, 2);
}

/**
 * Keystrokes in the editor, each renaming the deciding Deny; the time from the keystroke to the
 * frame that shows the new decision, painted.
 *
 * `typed`: the keystroke goes through the browser's editing path, as typing does
 * (`execCommand('insertText')`, then `execCommand('delete')`: the textarea's text node is edited
 * in place and the input event says `insertText` / `deleteContentBackward`).
 * `replaced`: the whole value is replaced and an `input` event sent (the method of the first
 * figures): the browser then lays the whole textarea out again, which typing does not cause.
 */
async function keystrokes(page, count, mode) {
  return page.evaluate(async ({ count, mode }) => {
    const editor = document.querySelector('#policy-text');
    const base = editor.value;
    const sid = 'DenyUnEncryptedObjectUploads';
    const times = [];
    const afterPaint = () => new Promise((resolve) => {
      // A rAF callback runs before the frame's layout and paint; a task posted from it runs
      // after them.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
    });
    if (mode === 'typed') {
      const at = base.indexOf(sid) + sid.length;
      editor.focus();
      editor.setSelectionRange(at, at);
    }
    const dom = [];
    for (let i = 0; i < count; i += 1) {
      // A learner's keystroke lands anywhere between two frames: wait for a frame, then a random
      // part of a 60 Hz frame interval.
      await afterPaint();
      await new Promise((r) => setTimeout(r, Math.random() * 16.7));
      let name;
      performance.mark('keystroke');
      const t0 = performance.now();
      if (mode === 'typed') {
        name = i % 2 ? sid : `${sid}X`;
        document.execCommand(i % 2 ? 'delete' : 'insertText', false, 'X');
      } else {
        name = `${sid}${i % 2 ? '' : 'X'}${i}`;
        editor.value = base.replace(sid, name);
        editor.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
      }
      // Wait until the decision shows the renamed statement, then for the frame that paints it;
      // after 10 s, say what the decision pane shows instead of waiting for ever.
      const started = performance.now();
      await new Promise((resolve, reject) => {
        const check = () => {
          if (document.querySelector(`[data-statement="${name}"]`)) {
            dom.push(performance.now() - t0);
            afterPaint().then(resolve);
          } else if (performance.now() - started > 10000) {
            const pane = document.querySelector('#result')?.innerText ?? '(no decision pane)';
            reject(new Error(`the decision never showed \`${name}\`; it shows: ${pane.slice(0, 400)}`));
          } else {
            setTimeout(check, 0);
          }
        };
        check();
      });
      performance.mark('painted');
      times.push(performance.measure('keystroke → decision on screen', 'keystroke', 'painted').duration);
      await new Promise((r) => setTimeout(r, 30));
    }
    editor.value = base;
    editor.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
    return { painted: times, dom };
  }, { count, mode });
}

const server = await serveDist();
const browser = await launchBrowser();
try {
  const cold = { loading: [], main: [], assets: [], ready: [], clicked: [], decision: [] };
  const other = { paneAtReady: [], requests: [], requestsAtReady: [] };
  const warm = { ready: [], decision: [] };
  /** A first visit in a new context (an empty cache), the request sent as `how` says. */
  const firstVisit = async (how) => {
    const context = await browser.newContext();
    await context.addInitScript(OBSERVE, how);
    const page = await context.newPage();
    return { context, page, marks: await visit(page, server.url) };
  };
  for (let run = 0; run < RUNS; run += 1) {
    const { context, page, marks: first } = await firstVisit({ via: 'pane', when: 'painted' });
    cold.loading.push(first.loading ?? NaN);
    cold.main.push(first.main);
    cold.assets.push(first.assets);
    cold.ready.push(first.ready);
    cold.clicked.push(first.clicked);
    cold.decision.push(first.decision);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const again = await visit(page, server.url);
    warm.ready.push(again.ready);
    warm.decision.push(again.decision);
    await context.close();
    for (const [key, how] of [['paneAtReady', { via: 'pane', when: 'ready' }], ['requests', { via: 'requests', when: 'painted' }], ['requestsAtReady', { via: 'requests', when: 'ready' }]]) {
      const visited = await firstVisit(how);
      other[key].push(visited.marks.decision);
      await visited.context.close();
    }
  }
  console.log(`first visit, loading indicator on screen: ${fmt(cold.loading)}`);
  console.log(`first visit, WebAssembly started:        ${fmt(cold.main)}`);
  console.log(`first visit, catalogue and library in:    ${fmt(cold.assets)}`);
  console.log(`first visit, app ready:                   ${fmt(cold.ready)}`);
  console.log(`first visit, app painted, "Send it":      ${fmt(cold.clicked)}`);
  console.log(`first visit, first decision on screen:    ${fmt(cold.decision)}`);
  console.log(`  ("Send it" clicked at ready, unpainted: ${fmt(other.paneAtReady)})`);
  console.log(`  (Requests, then Send, once painted:     ${fmt(other.requests)})`);
  console.log(`  (Requests, then Send, at ready:         ${fmt(other.requestsAtReady)})`);
  console.log(`repeat visit, app ready:                  ${fmt(warm.ready)}`);
  console.log(`repeat visit, first decision on screen:   ${fmt(warm.decision)}`);

  const context = await browser.newContext();
  await context.addInitScript(OBSERVE, { via: 'pane', when: 'painted' });
  const page = await context.newPage();
  await visit(page, server.url);
  // The bucket policy editor is on the bucket's page (the decision pane stays in view).
  await page.locator('nav.sidebar button[data-view="buckets"]').click();
  await page.locator('#policy-text').waitFor();
  const small = await keystrokes(page, KEYSTROKES, 'typed');
  const smallReplaced = await keystrokes(page, KEYSTROKES, 'replaced');
  const base = await page.locator('#policy-text').inputValue();
  const big = bigPolicy(base, 15 * 1024);
  await page.locator('#policy-text').fill(big);
  // The unsaved draft re-decides the last request by itself ("What if"); no Send needed.
  await page.locator('#result').getByText('What if:').waitFor();
  const large = await keystrokes(page, KEYSTROKES, 'typed');
  const largeReplaced = await keystrokes(page, KEYSTROKES, 'replaced');
  const kb = `${(big.length / 1024).toFixed(1)} KB`;
  console.log(`keystroke → decision painted, default policy (${base.length} B), typed:    ${fmt(small.painted)}`);
  console.log(`keystroke → decision painted, ${kb} policy, typed:           ${fmt(large.painted)}`);
  console.log(`keystroke → decision in the page (before paint), default / ${kb}: ${fmt(small.dom)} / ${fmt(large.dom)}`);
  console.log(`  (value replaced, as first measured: default ${fmt(smallReplaced.painted)}; ${kb} ${fmt(largeReplaced.painted)})`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
