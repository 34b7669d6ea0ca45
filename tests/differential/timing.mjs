// Side-by-side timing: iam-simulate and `s3pg eval --repeat` on the same generated cases.
// Usage: S3PG_BIN=/path/to/s3pg node timing.mjs out/cases.json [ROUNDS]
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
// The machine may be shared: run each engine several rounds, alternating, and keep each
// engine's best round (the least disturbed one).
for (const s of sims.slice(0, 500)) await runSimulation(s, { simulationMode: 'Strict' }).catch(() => {});
let theirsBest = Infinity;
let oursBest = Infinity;
for (let round = 0; round < repeat; round++) {
  const start = process.hrtime.bigint();
  for (const s of sims) await runSimulation(s, { simulationMode: 'Strict' }).catch(() => {});
  const us = Number(process.hrtime.bigint() - start) / 1e3 / sims.length;
  theirsBest = Math.min(theirsBest, us);
  const ours = spawnSync(process.env.S3PG_BIN, ['eval', casesPath, '--repeat', '10'], { encoding: 'utf8' });
  const m = /([\d.]+) µs per evaluation/.exec(ours.stderr);
  if (m) oursBest = Math.min(oursBest, Number(m[1]));
  console.log(`round ${round + 1}: iam-simulate ${us.toFixed(1)} µs, s3pg ${m ? m[1] : '?'} µs per evaluation`);
}
console.log(`best of ${repeat} rounds on ${sims.length} cases: iam-simulate ${theirsBest.toFixed(1)} µs, s3pg ${oursBest.toFixed(2)} µs per evaluation`);
console.log(`s3pg is ${(theirsBest / oursBest).toFixed(0)}× faster per evaluation`);
