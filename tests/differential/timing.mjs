// Side-by-side timing: iam-simulate and `s3pg eval --repeat` on the same generated cases.
// Usage: S3PG_BIN=/path/to/s3pg node timing.mjs out/cases.json [REPEAT]
// Both figures exclude process start-up and case reading: they time the evaluation loop only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';

const casesPath = process.argv[2] ?? 'out/cases.json';
const repeat = Number(process.argv[3] ?? 3);
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
const named = (prefix) => (p, i) => ({ name: `${prefix}${i}`, policy: p });
const sims = cases.map((c) => ({
  request: {
    principal: c.principal === 'anonymous' ? anonymousPrincipal : c.principal,
    action: c.action,
    resource: { resource: c.resource, accountId: c.resource_account },
    contextVariables: c.context ?? {},
  },
  identityPolicies: (c.identity_policies ?? []).map(named('identity')),
  serviceControlPolicies: !c.scps ? [] : Array.isArray(c.scps[0])
    ? c.scps.map((level, i) => ({ orgIdentifier: `ou-${i}`, policies: level.map(named(`scp${i}-`)) }))
    : [{ orgIdentifier: 'ou-1', policies: c.scps.map(named('scp')) }],
  resourceControlPolicies: [],
  resourcePolicy: c.resource_policy ?? undefined,
  permissionBoundaryPolicies: c.permissions_boundary ? [{ name: 'boundary', policy: c.permissions_boundary }] : undefined,
  vpcEndpointPolicies: c.vpc_endpoint_policy ? [{ name: 'vpce', policy: c.vpc_endpoint_policy }] : undefined,
  sessionPolicy: c.session_policy ?? undefined,
}));
// Warm up the JIT, then time.
for (const s of sims.slice(0, 200)) await runSimulation(s, { simulationMode: 'Strict' }).catch(() => {});
const start = process.hrtime.bigint();
let n = 0;
for (let r = 0; r < repeat; r++) {
  for (const s of sims) {
    await runSimulation(s, { simulationMode: 'Strict' }).catch(() => {});
    n++;
  }
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const theirs = (ms * 1000) / n;
console.log(`iam-simulate: ${n} evaluations in ${ms.toFixed(1)} ms: ${theirs.toFixed(2)} µs per evaluation`);

const ours = spawnSync(process.env.S3PG_BIN, ['eval', casesPath, '--repeat', String(repeat * 20)], { encoding: 'utf8' });
process.stdout.write(ours.stderr);
const m = /([\d.]+) µs per evaluation/.exec(ours.stderr);
if (m) console.log(`s3pg is ${(theirs / Number(m[1])).toFixed(0)}× faster per evaluation`);
