// Compares `s3pg eval` with @cloud-copilot/iam-simulate on the same cases.
// Usage: S3PG_BIN=/path/to/s3pg node compare.mjs out/cases.json [--world]
//
// With `--world`, each case runs as a request in a simulated world through `World::handle`
// (`s3pg eval --world`): the world answers with its decision and the context it sent (the case's
// keys, plus the ones S3 always sets), and iam-simulate is given that same context. Cases the
// world cannot express are counted as skipped, by reason.
//
// iam-simulate (AGPL-3.0) runs here, in its own node process; nothing of it is linked into or
// copied to the Rust code. Disagreements that fall in a documented known difference
// (KNOWN_DIFFERENCES.md, from peer-notes.md) count as "documented", not failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';

const casesPath = process.argv[2] ?? 'out/cases.json';
const throughWorld = process.argv.includes('--world');
const label = throughWorld ? 'differential through World::handle' : 'differential';
const bin = process.env.S3PG_BIN;
if (!bin) {
  console.error('error: set S3PG_BIN to the s3pg binary');
  process.exit(2);
}
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));

const ours = spawnSync(bin, ['eval', casesPath, ...(throughWorld ? ['--world'] : [])], { maxBuffer: 1 << 30, encoding: 'utf8' });
if (ours.status !== 0 && ours.status !== 2) {
  console.error(`error: s3pg eval exited with ${ours.status}: ${ours.stderr}`);
  process.exit(2);
}
const answers = JSON.parse(ours.stdout);

const toOurs = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

function simulation(c) {
  const named = (prefix) => (p, i) => ({ name: `${prefix}${i}`, policy: p });
  return {
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
}

// Documented known differences (see KNOWN_DIFFERENCES.md). Each returns true when the case has
// the feature on which the engines are known to differ.
const statements = (p) => (p ? [].concat(p.Statement ?? []) : []);
const allPolicies = (c) => [...(c.identity_policies ?? []), ...(c.scps ?? []).flat(), c.permissions_boundary, c.session_policy, c.resource_policy, c.vpc_endpoint_policy].filter(Boolean);
const conditionsOf = (c) => allPolicies(c).flatMap(statements).flatMap((s) => Object.entries(s.Condition ?? {}));
const isV6 = (ip) => ip.includes(':');
const sameAccount = (c) => c.principal.includes(`::${c.resource_account}:`);
const KNOWN = [
  {
    id: 'root-user',
    why: 'iam-simulate treats the account root user like an identity with no policies',
    direction: ['Allow', 'ImplicitDeny'],
    applies: (c) => /:root$/.test(c.principal),
  },
  {
    id: 'notipaddress-other-family',
    why: 'iam-simulate evaluates NotIpAddress false for an address of the other IP family',
    applies: (c) => {
      const ip = c.context?.['aws:SourceIp'];
      if (!ip) return false;
      return conditionsOf(c).some(([op, kv]) => /NotIpAddress/.test(op) &&
        Object.values(kv).flat().some((v) => isV6(String(v)) !== isV6(ip)));
    },
  },
  {
    id: 'cidr-slash-zero',
    why: 'iam-simulate matches an IPv4 /0 range only against 0.0.0.0',
    applies: (c) => conditionsOf(c).some(([op, kv]) => /IpAddress/.test(op) && Object.values(kv).flat().some((v) => String(v).endsWith('/0'))),
  },
  {
    id: 'star-principal-same-account-boundary',
    direction: ['ImplicitDeny', 'Allow'],
    why: 'iam-simulate lets a same-account Principal "*" grant pass an implicit deny in the permissions boundary or session policy',
    applies: (c) => sameAccount(c) && (c.permissions_boundary || c.session_policy) &&
      statements(c.resource_policy).some((s) => s.Effect === 'Allow' && (s.Principal === '*' || s.Principal?.AWS === '*' || s.NotPrincipal)),
  },
  {
    id: 'notprincipal-account',
    why: 'iam-simulate exempts every principal of an account listed in NotPrincipal; AWS exempts only principals whose every identity is listed',
    applies: (c) => statements(c.resource_policy).some((s) => s.NotPrincipal) || statements(c.vpc_endpoint_policy).some((s) => s.NotPrincipal),
  },
  {
    id: 'session-arn-grant-session-policy',
    direction: ['Allow', 'ImplicitDeny'],
    why: 'iam-simulate lets the session policy cap a same-account grant that names the role-session or federated-user ARN',
    applies: (c) => c.session_policy && statements(c.resource_policy).some((s) => /:assumed-role\/|:federated-user\//.test(JSON.stringify(s.Principal ?? ''))),
  },
  {
    id: 'no-value-variable-negated',
    why: 'iam-simulate treats a policy variable with no value inside a negated string operator differently from the IAM documentation',
    applies: (c) => conditionsOf(c).some(([op, kv]) => /Not/.test(op) && JSON.stringify(kv).includes('${')) ||
      conditionsOf(c).some(([op, kv]) => JSON.stringify(kv).includes('${aws:PrincipalTag/team}') && !c.context?.['aws:PrincipalTag/team']),
  },
  {
    id: 'no-value-variable-notresource',
    why: 'a NotResource entry whose variable has no value: the IAM docs say the entry matches nothing (so NotResource covers the request); iam-simulate drops the statement',
    applies: (c) => allPolicies(c).flatMap(statements).some((s) => JSON.stringify(s.NotResource ?? '').includes('${aws:username}')) && !c.context?.['aws:username'],
  },
  {
    id: 'date-mixed-formats',
    why: 'a Date operator comparing an epoch-seconds policy value with an ISO 8601 request value (or the reverse): the IAM docs accept either format; iam-simulate does not convert between them',
    applies: (c) => conditionsOf(c).some(([op, kv]) => /^Date/.test(op) && Object.values(kv).flat().some((v) => /^\d+$/.test(String(v)))),
  },
];

let agree = 0, documented = 0, failed = 0, skipped = 0;
const failures = [];
const byKnown = {};
const worldSkipped = {};
for (let i = 0; i < cases.length; i++) {
  let c = cases[i];
  const a = answers[i];
  if (throughWorld && a?.skipped) {
    const reason = a.skipped.replace(/`[^`]*`/g, (m) => (m.startsWith('`aws:') ? m : '`…`'));
    worldSkipped[reason] = (worldSkipped[reason] ?? 0) + 1;
    continue;
  }
  if (throughWorld && a) {
    // iam-simulate gets the context the world sent.
    c = { ...c, context: a.context };
  }
  if (!a || !a.decision) {
    failed++;
    failures.push(`${c.name}: s3pg ${throughWorld ? 'gave no decision' : 'rejected the case'}: ${JSON.stringify(a?.errors ?? a).slice(0, 300)}`);
    continue;
  }
  let theirs;
  try {
    const r = await runSimulation(simulation(c), { simulationMode: 'Strict' });
    if (r.resultType !== 'single') {
      skipped++;
      continue;
    }
    if ((r.result?.ignoredContextKeys ?? []).length > 0) {
      skipped++;
      continue;
    }
    theirs = toOurs[r.overallResult];
  } catch (e) {
    skipped++;
    continue;
  }
  if (theirs === a.decision) {
    agree++;
    continue;
  }
  // A documented difference explains a disagreement only in its own direction (ours, theirs).
  const known = KNOWN.find((k) => k.applies(c) && (!k.direction || (k.direction[0] === a.decision && k.direction[1] === theirs)));
  if (known) {
    documented++;
    byKnown[known.id] = (byKnown[known.id] ?? 0) + 1;
    continue;
  }
  failed++;
  failures.push(throughWorld
    ? `${c.name}: World::handle ${a.decision} (${a.status}${a.code ? ` ${a.code}` : ''}), iam-simulate ${theirs} — ${(a.why ?? []).join(' / ')}`
    : `${c.name}: s3pg ${a.decision}, iam-simulate ${theirs} — ${a.summary}`);
}

fs.mkdirSync('out', { recursive: true });
fs.writeFileSync(throughWorld ? 'out/failures-world.txt' : 'out/failures.txt', failures.join('\n') + '\n');
for (const f of failures.slice(0, 15)) console.log(`  FAIL ${f}`);
if (failures.length > 15) console.log(`  … ${failures.length - 15} more in out/failures${throughWorld ? '-world' : ''}.txt`);
for (const [id, n] of Object.entries(byKnown)) console.log(`  documented difference ${id}: ${n}`);
console.log(`  ${agree} agree, ${documented} documented differences, ${skipped} not comparable (iam-simulate rejected the case or ignored context keys)`);
if (throughWorld) {
  const total = Object.values(worldSkipped).reduce((x, y) => x + y, 0);
  console.log(`  ${total} cases the world cannot express, skipped:`);
  for (const [why, n] of Object.entries(worldSkipped).sort((x, y) => y[1] - x[1])) console.log(`    ${n} × ${why}`);
}
console.log(`${label}: ${agree + documented} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
