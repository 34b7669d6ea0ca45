// iam-simulate over a whole batch, as one process: reads the `s3pg eval` batch format, runs
// every case, prints one JSON array of `{decision}` answers. batch-timing.mjs times this
// process against `s3pg eval` on the same file.
// Usage: node batch-iam-simulate.mjs out/cases.json > answers.json
import fs from 'node:fs';
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';

const cases = JSON.parse(fs.readFileSync(process.argv[2] ?? 'out/cases.json', 'utf8'));
const named = (prefix) => (p, i) => ({ name: `${prefix}${i}`, policy: p });
const out = [];
for (const c of cases) {
  const sim = {
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
  };
  try {
    const r = await runSimulation(sim, { simulationMode: 'Strict' });
    out.push({ decision: r.overallResult ?? null });
  } catch (e) {
    out.push({ error: String(e) });
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
