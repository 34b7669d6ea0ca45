// Builds binaryen's `wasm-split` (https://github.com/WebAssembly/binaryen, src/tools/wasm-split)
// into ~/.cargo/bin/wasm-split, from the binaryen 116 source that crates.io's `wasm-opt-sys`
// vendors (fetched and checksummed by Cargo through scripts/wasm-split/Cargo.toml). npm's
// binaryen package ships wasm-opt but not wasm-split, and Debian's binaryen (108) cannot read the
// wasm rustc emits. Used by scripts/setup.sh (about 15 minutes on two cores, once); installs
// `wasm-split` beside trunk and wasm-bindgen in ~/.cargo/bin, its objects cached in
// ~/.cache/s3pg-wasm-split.
//
//   node scripts/wasm-split/build.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = join(ROOT, 'scripts', 'wasm-split', 'Cargo.toml');
const OUT = join(homedir(), '.cache', 's3pg-wasm-split');
const BIN = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'wasm-split');

/** Where Cargo unpacked wasm-opt-sys (after `cargo fetch`). */
function binaryenDir() {
  execFileSync('cargo', ['fetch', '--locked', '--manifest-path', MANIFEST], { stdio: 'inherit' });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--locked', '--format-version', '1', '--manifest-path', MANIFEST],
    { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const pkg = meta.packages.find((p) => p.name === 'wasm-opt-sys');
  if (!pkg) throw new Error('wasm-split: `wasm-opt-sys` is not in scripts/wasm-split/Cargo.lock');
  return join(dirname(pkg.manifest_path), 'binaryen');
}

/** The library sources wasm-opt-sys compiles, plus module splitting and the wasm-split tool. */
function sources(src) {
  const list = (dir, names) => names.map((n) => join(src, dir, `${n}.cpp`));
  const all = (dir) => readdirSync(join(src, dir)).filter((f) => f.endsWith('.cpp')).sort().map((f) => join(src, dir, f));
  return [
    ...list('analysis', ['cfg']),
    ...list('wasm', ['literal', 'parsing', 'wasm-binary', 'wasm-debug', 'wasm-emscripten', 'wasm-interpreter',
      'wasm-ir-builder', 'wasm-io', 'wasm-stack', 'wasm-s-parser', 'wasm-type', 'wasm-validator', 'wasm',
      'wat-lexer', 'wat-parser']),
    ...list('support', ['bits', 'colors', 'command-line', 'debug', 'dfa_minimization', 'file', 'path',
      'safe_integer', 'threads', 'utilities', 'istring']),
    ...list('ir', ['drop', 'eh-utils', 'ExpressionManipulator', 'ExpressionAnalyzer', 'export-utils', 'LocalGraph',
      'LocalStructuralDominance', 'lubs', 'memory-utils', 'module-splitting', 'module-utils', 'names',
      'possible-contents', 'properties', 'ReFinalize', 'stack-utils', 'table-utils', 'type-updating', 'intrinsics']),
    ...all('passes'),
    ...list('tools/fuzzing', ['fuzzing', 'random', 'heap-types']),
    ...list('asmjs', ['asm_v_wasm', 'shared-constants']),
    ...list('cfg', ['Relooper']),
    ...list('tools/wasm-split', ['instrumenter', 'split-options', 'wasm-split']),
  ];
}

/** Generated sources, as binaryen's CMake would write them. */
function generated(src) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'config.h'), '#define PROJECT_VERSION "116 (wasm-opt-sys 0.116.0)"\n');
  const wat = readFileSync(join(src, 'passes', 'wasm-intrinsics.wat'));
  const embed = [...wat, 0].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(',');
  const cpp = readFileSync(join(src, 'passes', 'WasmIntrinsics.cpp.in'), 'utf8')
    .replace('@WASM_INTRINSICS_SIZE@', String(wat.length + 1))
    .replace('@WASM_INTRINSICS_EMBED@', embed);
  const file = join(OUT, 'WasmIntrinsics.cpp');
  if (!existsSync(file) || readFileSync(file, 'utf8') !== cpp) writeFileSync(file, cpp);
  return [file];
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.at(-1)} exited with ${code}`))));
  });
}

const binaryen = binaryenDir();
const src = join(binaryen, 'src');
const files = [...sources(src), ...generated(src)];
const flags = ['-std=c++17', '-w', '-O1', '-DNDEBUG', '-DTHROW_ON_FATAL', `-I${src}`, `-I${join(src, 'tools')}`, `-I${OUT}`];
const objectName = (f) => (f.startsWith(binaryen) ? f.slice(binaryen.length + 1) : `gen/${f.slice(OUT.length + 1)}`)
  .replace(/[/\\]/g, '_');
const objects = files.map((f) => join(OUT, 'obj', `${objectName(f)}.o`));
mkdirSync(join(OUT, 'obj'), { recursive: true });
const todo = files.map((f, i) => [f, objects[i]])
  .filter(([f, o]) => !existsSync(o) || statSync(o).mtimeMs < statSync(f).mtimeMs);
console.error(`wasm-split: compiling ${todo.length} of ${files.length} binaryen sources (${binaryen})`);
const workers = Array.from({ length: Math.max(1, availableParallelism()) }, async () => {
  while (todo.length) {
    const [file, object] = todo.shift();
    await run('g++', [...flags, '-c', file, '-o', object]);
  }
});
await Promise.all(workers);
mkdirSync(dirname(BIN), { recursive: true });
await run('g++', ['-o', BIN, ...objects, '-lpthread']);
console.error(`wasm-split: built ${BIN}`);
