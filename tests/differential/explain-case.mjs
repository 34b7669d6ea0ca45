// Prints one generated case and iam-simulate's analysis of it (for investigating a disagreement).
// Usage: node explain-case.mjs case-42
import fs from 'node:fs';
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
const cases = JSON.parse(fs.readFileSync('out/cases.json','utf8'));
const c = cases.find(x => x.name === process.argv[2]);
console.log(JSON.stringify(c));
const named = (prefix) => (p, i) => ({ name: `${prefix}${i}`, policy: p });
const sim = { request: { principal: c.principal === 'anonymous' ? anonymousPrincipal : c.principal, action: c.action, resource: { resource: c.resource, accountId: c.resource_account }, contextVariables: c.context ?? {} },
  identityPolicies: (c.identity_policies ?? []).map(named('identity')), serviceControlPolicies: !c.scps ? [] : Array.isArray(c.scps[0]) ? c.scps.map((level, i) => ({ orgIdentifier: `ou-${i}`, policies: level.map(named(`scp${i}-`)) })) : [{ orgIdentifier: 'ou-1', policies: c.scps.map(named('scp')) }], resourceControlPolicies: [],
  resourcePolicy: c.resource_policy ?? undefined, permissionBoundaryPolicies: c.permissions_boundary ? [{ name: 'boundary', policy: c.permissions_boundary }] : undefined,
  vpcEndpointPolicies: c.vpc_endpoint_policy ? [{ name: 'vpce', policy: c.vpc_endpoint_policy }] : undefined, sessionPolicy: c.session_policy ?? undefined };
const r = await runSimulation(sim, { simulationMode: 'Strict' });
console.log(JSON.stringify(r.result.analysis, (k,v)=> k==='statement'?undefined:v).slice(0, 3000));
