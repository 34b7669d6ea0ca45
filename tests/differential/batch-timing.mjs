// Whole-process batch timing: `s3pg eval` (full output and `--output decision`) against
// iam-simulate's batch (batch-iam-simulate.mjs) on the same cases file, each run as a fresh
// process that reads the file, evaluates every case and prints every answer to a pipe.
// Usage: S3PG_BIN=/path/to/s3pg node batch-timing.mjs out/cases.json [ROUNDS]
// (time the build users run batches with: `cargo build --profile cli -p s3pg-cli`, target/cli/s3pg)
// The machine may be shared: each command runs ROUNDS times, alternating, and its best round
// (the least disturbed one) is kept. Where GNU time is installed (/usr/bin/time) each run's CPU
// time (user + system) is reported too: on a loaded machine it is steadier than wall time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const gnuTime = fs.existsSync('/usr/bin/time');

const casesPath = process.argv[2] ?? 'out/cases.json';
const rounds = Number(process.argv[3] ?? 3);
const commands = {
  'iam-simulate batch': ['node', ['batch-iam-simulate.mjs', casesPath]],
  's3pg eval (full trace)': [process.env.S3PG_BIN, ['eval', casesPath]],
  's3pg eval --output decision': [process.env.S3PG_BIN, ['eval', casesPath, '--output', 'decision']],
};
const best = {};
const bestCpu = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, [cmd, args]] of Object.entries(commands)) {
    const [run, runArgs] = gnuTime ? ['/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args]] : [cmd, args];
    const start = process.hrtime.bigint();
    const r = spawnSync(run, runArgs, { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 2) {
      console.error(`${name} failed: ${r.stderr}`);
      process.exit(1);
    }
    const cpu = /cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(r.stderr ?? '');
    const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN;
    best[name] = Math.min(best[name] ?? Infinity, ms);
    if (cpu) bestCpu[name] = Math.min(bestCpu[name] ?? Infinity, cpuMs);
    console.log(`round ${round + 1}: ${name}: ${ms.toFixed(0)} ms${cpu ? ` (${cpuMs.toFixed(0)} ms CPU)` : ''}, ${(r.stdout.length / 1e6).toFixed(1)} MB of output`);
  }
}
const theirs = best['iam-simulate batch'];
const theirsCpu = bestCpu['iam-simulate batch'];
for (const [name, ms] of Object.entries(best)) {
  const cpu = bestCpu[name];
  console.log(`best: ${name}: ${ms.toFixed(0)} ms wall (${(theirs / ms).toFixed(1)}× iam-simulate)` +
    (cpu ? `, ${cpu.toFixed(0)} ms CPU (${(theirsCpu / cpu).toFixed(1)}× iam-simulate)` : ''));
}
