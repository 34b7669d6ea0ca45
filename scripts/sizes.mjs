// Prints each file of a build with its size and gzip size (level 9, what a web server's
// compression roughly gives), and the total a first visit downloads: every file index.html loads
// or preloads, the catalogue included. Listed but not counted: the course and the learning views'
// module (lazy-*) and styles (learn-*), fetched when a learning view first opens, and the main module's second half
// (split-*, scripts/split-wasm.mjs) and the scenario library (library-*, web/src/assets.rs),
// fetched once the page has started. Usage: node scripts/sizes.mjs dist
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const files = [];
for (const f of (await readdir(dir)).sort()) {
  if ((await stat(join(dir, f))).isFile()) files.push(f);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const IDLE = 'after the start, in idle time';
const totals = { first: [0, 0], [IDLE]: [0, 0] };
const rows = [];
for (const f of files) {
  const bytes = await readFile(join(dir, f));
  const g = gzipSync(bytes, { level: 9 }).length;
  const when = f.startsWith('course-') || f.startsWith('lazy-') || f.startsWith('learn-') ? 'when a learning view opens'
    : f.startsWith('split-') || f.startsWith('library-') ? IDLE : 'first';
  if (totals[when]) {
    totals[when][0] += bytes.length;
    totals[when][1] += g;
  }
  rows.push(`${f.padEnd(44)} ${kb(bytes.length).padStart(10)} ${kb(g).padStart(10)} gzip${when === 'first' ? '' : ` (${when})`}`);
}
const total = (label, [raw, gz]) => `${label.padEnd(44)} ${kb(raw).padStart(10)} ${kb(gz).padStart(10)} gzip`;
console.log(rows.join('\n'));
console.log(total('first visit (all but course-, lazy-, split-, library-)', totals.first));
console.log(total('then, once started (split-, library-)', totals[IDLE]));
