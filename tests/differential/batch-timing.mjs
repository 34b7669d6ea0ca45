// Whole-process batch timing: `s3pg eval` (full output and `--output decision`) against
// iam-simulate's batch (batch-iam-simulate.mjs) on the same cases file, each run as a fresh
// process that reads the file, evaluates every case and prints every answer to a pipe.
// Usage: S3PG_BIN=/path/to/s3pg node batch-timing.mjs out/cases.json [ROUNDS]
// The machine may be shared: each command runs ROUNDS times, alternating, and its best round
// (the least disturbed one) is kept.
import { spawnSync } from 'node:child_process';

const casesPath = process.argv[2] ?? 'out/cases.json';
const rounds = Number(process.argv[3] ?? 3);
const commands = {
  'iam-simulate batch': ['node', ['batch-iam-simulate.mjs', casesPath]],
  's3pg eval (full trace)': [process.env.S3PG_BIN, ['eval', casesPath]],
  's3pg eval --output decision': [process.env.S3PG_BIN, ['eval', casesPath, '--output', 'decision']],
};
const best = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, [cmd, args]] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 2) {
      console.error(`${name} failed: ${r.stderr}`);
      process.exit(1);
    }
    best[name] = Math.min(best[name] ?? Infinity, ms);
    console.log(`round ${round + 1}: ${name}: ${ms.toFixed(0)} ms, ${(r.stdout.length / 1e6).toFixed(1)} MB of output`);
  }
}
const theirs = best['iam-simulate batch'];
for (const [name, ms] of Object.entries(best)) {
  console.log(`best: ${name}: ${ms.toFixed(0)} ms (${(theirs / ms).toFixed(1)}× iam-simulate)`);
}
