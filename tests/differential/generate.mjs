// Generates evaluation cases deterministically (seeded), in the `s3pg eval` batch format.
// Usage: node generate.mjs [COUNT] [SEED] > out/cases.json
//
// Cases mix principals (IAM user, role session, account root, anonymous, other-account user and
// session), S3 actions and resources, context keys, and every policy layer, with statements
// drawn from every condition-operator family. Principal-derived keys are written into the
// context explicitly, because iam-simulate derives none (peer-notes.md).

const COUNT = Number(process.argv[2] ?? 2000);
let seed = Number(process.argv[3] ?? 20261127) >>> 0;

// mulberry32: a small, well-known seeded generator (deterministic across Node versions).
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const some = (xs, max) => {
  const n = 1 + Math.floor(rand() * max);
  const out = [];
  for (let i = 0; i < n; i++) {
    const x = pick(xs);
    if (!out.includes(x)) out.push(x);
  }
  return out;
};
const one = (xs) => (xs.length === 1 ? xs[0] : xs);

const OWNER = '111122223333';
const OTHER = '444455556666';
const CALLERS = [
  { arn: `arn:aws:iam::${OWNER}:user/alice`, type: 'User', account: OWNER, username: 'alice', userid: 'AIDAALICEEXAMPLE0001', principalArn: `arn:aws:iam::${OWNER}:user/alice` },
  { arn: `arn:aws:iam::${OWNER}:user/carol`, type: 'User', account: OWNER, username: 'carol', userid: 'AIDACAROLEXAMPLE0001', principalArn: `arn:aws:iam::${OWNER}:user/carol` },
  { arn: `arn:aws:sts::${OWNER}:assumed-role/App/s1`, type: 'AssumedRole', account: OWNER, userid: 'AROAAPPEXAMPLE000001:s1', principalArn: `arn:aws:iam::${OWNER}:role/App`, session: true },
  { arn: `arn:aws:iam::${OWNER}:root`, type: 'Account', account: OWNER, userid: OWNER, principalArn: `arn:aws:iam::${OWNER}:root`, root: true },
  { arn: 'anonymous', type: 'Anonymous', userid: 'anonymous', anonymous: true },
  { arn: `arn:aws:sts::${OWNER}:federated-user/fed`, type: 'FederatedUser', account: OWNER, userid: `${OWNER}:fed`, principalArn: `arn:aws:sts::${OWNER}:federated-user/fed`, session: true },
  { arn: `arn:aws:iam::${OTHER}:user/bob`, type: 'User', account: OTHER, username: 'bob', userid: 'AIDABOBEXAMPLE000001', principalArn: `arn:aws:iam::${OTHER}:user/bob` },
  { arn: `arn:aws:sts::${OTHER}:assumed-role/Partner/p1`, type: 'AssumedRole', account: OTHER, userid: 'AROAPARTNEREXAMPLE01:p1', principalArn: `arn:aws:iam::${OTHER}:role/Partner`, session: true },
];
const REQUESTS = [
  ['s3:GetObject', 'arn:aws:s3:::examplebucket/home/alice/a.txt'],
  ['s3:GetObject', 'arn:aws:s3:::examplebucket/public/index.html'],
  ['s3:PutObject', 'arn:aws:s3:::examplebucket/home/alice/a.txt'],
  ['s3:PutObject', 'arn:aws:s3:::examplebucket/uploads/x.bin'],
  ['s3:DeleteObject', 'arn:aws:s3:::examplebucket/home/bob/b.txt'],
  ['s3:ListBucket', 'arn:aws:s3:::examplebucket'],
  ['s3:GetObjectVersion', 'arn:aws:s3:::examplebucket/public/index.html'],
  ['s3:GetObject', 'arn:aws:s3:::otherbucket/k'],
];
const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject', 's3:Get*', 's3:*', '*', 's3:*Object', 's3:GetObject?ersion', 's3:List*'];
const RESOURCES = [
  'arn:aws:s3:::examplebucket', 'arn:aws:s3:::examplebucket/*', 'arn:aws:s3:::examplebucket/home/*',
  'arn:aws:s3:::examplebucket/home/${aws:username}/*', 'arn:aws:s3:::examplebucket/public/*', '*',
  'arn:aws:s3:::otherbucket/*', 'arn:aws:s3:::example*', 'arn:aws:s3:::examplebucket/uploads/?.bin',
];
const PRINCIPALS = [
  '*', { AWS: '*' }, { AWS: OWNER }, { AWS: `arn:aws:iam::${OWNER}:root` }, { AWS: `arn:aws:iam::${OWNER}:user/alice` },
  { AWS: `arn:aws:iam::${OWNER}:role/App` }, { AWS: `arn:aws:sts::${OWNER}:assumed-role/App/s1` },
  { AWS: OTHER }, { AWS: `arn:aws:iam::${OTHER}:user/bob` }, { AWS: `arn:aws:sts::${OWNER}:federated-user/fed` },
  { AWS: `arn:aws:sts::${OTHER}:assumed-role/Partner/p1` }, { AWS: `arn:aws:iam::${OTHER}:role/Partner` }, { AWS: [`arn:aws:iam::${OTHER}:root`, `arn:aws:iam::${OWNER}:user/alice`] },
];
const CONDITIONS = [
  () => ({ Bool: { 'aws:SecureTransport': pick(['true', 'false']) } }),
  () => ({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }),
  () => ({ StringEquals: { 'aws:SourceVpce': one(some(['vpce-1a2b', 'vpce-9z9z'], 2)) } }),
  () => ({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }),
  () => ({ StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b' } }),
  () => ({ StringEqualsIgnoreCase: { 'aws:SourceVpce': 'VPCE-1A2B' } }),
  () => ({ StringLike: { 'aws:PrincipalArn': pick([`arn:aws:iam::${OWNER}:*`, 'arn:aws:iam::*:role/*', `arn:aws:iam::${OTHER}:user/b?b`]) } }),
  () => ({ StringNotLike: { 'aws:userid': 'AROA*' } }),
  () => ({ StringEquals: { 'aws:PrincipalAccount': pick([OWNER, OTHER]) } }),
  () => ({ StringEquals: { 'aws:username': '${aws:username}' } }),
  () => ({ StringEquals: { 'aws:PrincipalType': pick(['User', 'AssumedRole', 'Account']) } }),
  () => ({ IpAddress: { 'aws:SourceIp': one(some(['192.0.2.0/24', '203.0.113.7', '2001:db8::/32', '10.0.0.0/8'], 2)) } }),
  () => ({ NotIpAddress: { 'aws:SourceIp': pick(['192.0.2.0/24', '198.51.100.0/24']) } }),
  () => ({ ArnLike: { 'aws:PrincipalArn': pick([`arn:aws:iam::${OWNER}:user/*`, 'arn:aws:iam::*:role/App']) } }),
  () => ({ ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:user/alice` } }),
  () => ({ ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::logbucket' } }),
  () => ({ NumericLessThan: { 'aws:MultiFactorAuthAge': pick(['3600', '60']) } }),
  () => ({ NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '100' } }),
  () => ({ DateGreaterThan: { 'aws:CurrentTime': pick(['2024-01-01T00:00:00Z', '2030-01-01T00:00:00Z']) } }),
  () => ({ DateLessThanEquals: { 'aws:CurrentTime': pick(['2026-11-27T00:00:00Z', '1800000000']) } }),
  () => ({ Null: { 'aws:SourceVpce': pick(['true', 'false']) } }),
  () => ({ Null: { 'aws:SourceIp': 'true' } }),
  () => ({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': one(some(['team', 'env'], 2)) } }),
  () => ({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } }),
  () => ({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['t*'] } }),
  () => ({ StringEquals: { 'aws:PrincipalTag/team': pick(['red', '${aws:PrincipalTag/team}']) } }),
  () => ({ StringNotEquals: { 'aws:PrincipalTag/team': 'red' } }),
  () => ({ StringNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/a*', 'arn:aws:sts::*'] } }),
  () => ({ StringNotEqualsIgnoreCase: { 'aws:SourceVpce': 'VPCE-1A2B' } }),
  () => ({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }),
  () => ({ ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:s3:::log*' } }),
  () => ({ NumericEquals: { 'aws:MultiFactorAuthAge': ['30', '500'] } }),
  () => ({ NumericNotEquals: { 'aws:MultiFactorAuthAge': '30' } }),
  () => ({ NumericLessThanEqualsIfExists: { 'aws:MultiFactorAuthAge': '500' } }),
  () => ({ DateEquals: { 'aws:CurrentTime': '2026-11-27T03:00:00Z' } }),
  () => ({ DateNotEquals: { 'aws:CurrentTime': '2023-05-01T00:00:00Z' } }),
  () => ({ DateGreaterThanEqualsIfExists: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
  () => ({ IpAddressIfExists: { 'aws:SourceIp': '192.0.2.0/24' } }),
  () => ({ NotIpAddressIfExists: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } }),
  () => ({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'team' } }),
  () => ({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'c*' } }),
  () => ({ 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': '*e*' } }),
  () => ({ StringLike: { 'aws:userid': ['AIDA*', '*:s1'] } }),
  () => ({ StringEquals: { 'aws:userid': '${aws:userid}', 'aws:PrincipalAccount': '${aws:PrincipalAccount}' } }),
  () => ({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:*' } }),
  () => ({ BoolIfExists: { 'aws:SecureTransport': 'false' } }),
];

function condition() {
  const c = {};
  const n = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < n; i++) Object.assign(c, pick(CONDITIONS)());
  return c;
}

function statement(withPrincipal, i) {
  const s = { Sid: `S${i}`, Effect: chance(0.35) ? 'Deny' : 'Allow' };
  if (withPrincipal) {
    if (s.Effect === 'Deny' && chance(0.1)) {
      s.NotPrincipal = pick([{ AWS: [`arn:aws:iam::${OWNER}:user/alice`, `arn:aws:iam::${OWNER}:root`] }, { AWS: `arn:aws:iam::${OWNER}:user/alice` }]);
    } else {
      s.Principal = pick(PRINCIPALS);
    }
  }
  if (chance(0.08)) s.NotAction = one(some(ACTIONS, 2));
  else s.Action = one(some(ACTIONS, 3));
  if (chance(0.05)) s.NotResource = one(some(RESOURCES, 2));
  else s.Resource = one(some(RESOURCES, 3));
  if (chance(0.45)) s.Condition = condition();
  return s;
}

function policy(withPrincipal) {
  const n = 1 + Math.floor(rand() * 3);
  const Statement = [];
  for (let i = 0; i < n; i++) Statement.push(statement(withPrincipal, i));
  return { Version: '2012-10-17', Statement };
}

const cases = [];
for (let i = 0; i < COUNT; i++) {
  const caller = pick(CALLERS);
  const [action, resource] = pick(REQUESTS);
  const context = {};
  if (!caller.anonymous) {
    context['aws:PrincipalArn'] = caller.principalArn;
    context['aws:PrincipalAccount'] = caller.account;
  } else {
    context['aws:PrincipalAccount'] = 'anonymous';
  }
  context['aws:PrincipalType'] = caller.type;
  context['aws:userid'] = caller.userid;
  if (caller.username) context['aws:username'] = caller.username;
  if (chance(0.8)) context['aws:SecureTransport'] = pick(['true', 'false']);
  if (chance(0.3)) context['aws:SourceVpce'] = pick(['vpce-1a2b', 'vpce-9z9z']);
  else if (chance(0.6)) context['aws:SourceIp'] = pick(['192.0.2.10', '203.0.113.7', '198.51.100.1', '2001:db8::5', '10.1.2.3']);
  if (caller.session && chance(0.5)) context['aws:MultiFactorAuthPresent'] = pick(['true', 'false']);
  if (chance(0.3)) context['aws:MultiFactorAuthAge'] = pick(['30', '500', '7200']);
  if (chance(0.5)) context['aws:CurrentTime'] = pick(['2026-11-27T03:00:00Z', '2023-05-01T00:00:00Z']);
  if (chance(0.2)) context['aws:TagKeys'] = pick([[], ['team'], ['team', 'cost'], ['env', 'team']]);
  if (chance(0.25) && !caller.anonymous) context['aws:PrincipalTag/team'] = pick(['red', 'blue']);
  if (chance(0.1)) context['aws:SourceArn'] = 'arn:aws:s3:::logbucket';
  const c = { name: `case-${i}`, principal: caller.arn, action, resource, resource_account: OWNER, context };
  if (!caller.anonymous) {
    if (!caller.root && chance(0.85)) {
      c.identity_policies = [];
      const n = 1 + Math.floor(rand() * 2);
      for (let k = 0; k < n; k++) c.identity_policies.push(policy(false));
    }
    if (!caller.root && chance(0.2)) c.permissions_boundary = policy(false);
    if (caller.session && chance(0.3)) c.session_policy = policy(false);
    const fullAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    if (chance(0.15)) c.scps = [fullAccess, policy(false)];
    else if (chance(0.1)) c.scps = [[fullAccess], [policy(false)]]; // root level, then an OU level

  }
  if (chance(0.75)) c.resource_policy = policy(true);
  if (chance(0.08)) c.vpc_endpoint_policy = policy(true);
  cases.push(c);
}
process.stdout.write(JSON.stringify(cases, null, 1) + '\n');
