// Prints each file of a build with its size and gzip size (level 9, what a web server's
// compression roughly gives), and the total a first visit downloads: every file index.html loads
// or preloads, the library and catalogue included (the course, fetched when a learning view
// opens, is listed but not counted). Usage: node scripts/sizes.mjs dist
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const files = [];
for (const f of (await readdir(dir)).sort()) {
  if ((await stat(join(dir, f))).isFile()) files.push(f);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let raw = 0;
let gz = 0;
const rows = [];
for (const f of files) {
  const bytes = await readFile(join(dir, f));
  const g = gzipSync(bytes, { level: 9 }).length;
  // The course and the second module (lazy-*) are fetched when a learning view first opens, not
  // on a first visit (sw.js keeps them afterwards).
  const later = f.startsWith('course-') || f.startsWith('lazy-');
  if (!later) {
    raw += bytes.length;
    gz += g;
  }
  rows.push(`${f.padEnd(44)} ${kb(bytes.length).padStart(10)} ${kb(g).padStart(10)} gzip${later ? ' (when a learning view opens)' : ''}`);
}
console.log(rows.join('\n'));
console.log(`${'first visit (all but the course and lazy-*)'.padEnd(44)} ${kb(raw).padStart(10)} ${kb(gz).padStart(10)} gzip`);
