// check-scripts.mjs DIR...: for each compiled Windows artifact directory,
// parses setup.ps1, teardown.ps1 and run.ps1 with the tree-sitter
// PowerShell grammar (no ERROR or MISSING node allowed), then reads every
// ACL command (icacls.exe) and firewall command (*-NetFirewallRule) out of
// the syntax trees and checks that together they are exactly plan.json.
// Written apart from the emitter: it knows PowerShell and icacls, not sbxc's
// C code. Exit 0 when every directory passes, 1 otherwise, 77 when the npm
// packages are missing (the test setup installs them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const modules = process.env.SBXC_NODE_MODULES;
let Parser, Language;
try {
  ({ Parser, Language } = await import(join(modules, 'web-tree-sitter', 'web-tree-sitter.js')));
} catch (e) {
  console.log(`SKIP: web-tree-sitter is not installed in ${modules}: ${e.message}`);
  process.exit(77);
}
await Parser.init();
const lang = await Language.load(join(modules, 'tree-sitter-powershell', 'tree-sitter-powershell.wasm'));
const parser = new Parser();
parser.setLanguage(lang);

let failures = 0;
function fail(dir, msg) {
  failures++;
  console.log(`FAIL ${dir}: ${msg}`);
}

export function parseScript(text) {
  return parser.parse(text);
}

function walk(node, fn) {
  fn(node);
  for (let i = 0; i < node.childCount; i++) walk(node.child(i), fn);
}

function syntaxErrors(tree) {
  if (!tree.rootNode.hasError) return [];
  const bad = [];
  walk(tree.rootNode, (n) => {
    if (n.type === 'ERROR' || n.isMissing) bad.push(`${n.type} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}`);
  });
  return bad;
}

const QUOTES = "'\u2018\u2019\u201a\u201b";
// A verbatim string literal as PowerShell reads it: any single-quote
// character followed by another is one quote.
export function verbatim(text) {
  let out = '';
  const cs = [...text];
  if (!QUOTES.includes(cs[0]) || !QUOTES.includes(cs[cs.length - 1])) throw new Error(`not verbatim: ${text}`);
  for (let i = 1; i < cs.length - 1; i++) {
    if (QUOTES.includes(cs[i])) {
      if (i + 1 < cs.length - 1 && QUOTES.includes(cs[i + 1])) { out += cs[i]; i++; continue; }
      throw new Error(`unescaped quote in ${text}`);
    }
    out += cs[i];
  }
  return out;
}

// The value of one command argument: a string, a list of strings, a
// variable ("$Name") or an expandable string (raw, "~" + text).
function argValue(node) {
  let v = null;
  walk(node, (n) => {
    if (v !== null) return;
    if (n.type === 'array_expression') {
      const items = [];
      walk(n, (m) => { if (m.type === 'verbatim_string_characters') items.push(verbatim(m.text)); });
      v = items;
    } else if (n.type === 'verbatim_string_characters') v = verbatim(n.text);
    else if (n.type === 'expandable_string_literal') v = '~' + n.text.slice(1, -1);
    else if (n.type === 'variable') v = n.text;
    else if (n.type === 'generic_token') v = n.text;
  });
  return v;
}

// Every command in source order: {name, params: {Name: value}, args: [..]}.
function commands(tree) {
  const out = [];
  walk(tree.rootNode, (n) => {
    if (n.type !== 'command') return;
    const name = n.childForFieldName('command_name');
    if (!name) return;
    const els = n.childForFieldName('command_elements');
    const params = {}, args = [];
    let pending = null;
    if (els) for (let i = 0; i < els.childCount; i++) {
      const c = els.child(i);
      if (c.type === 'command_argument_sep') continue;
      if (c.type === 'command_parameter') {
        if (pending) params[pending] = true;
        pending = c.text.replace(/^-/, '');
        continue;
      }
      const v = argValue(c);
      if (pending) { params[pending] = v; pending = null; } else args.push(v);
    }
    if (pending) params[pending] = true;
    out.push({ name: name.text, params, args, row: n.startPosition.row });
  });
  return out;
}

// `$Var = <command> 'arg'` and `$Var = "..."` assignments.
function assignments(tree) {
  const out = {};
  walk(tree.rootNode, (n) => {
    if (n.type !== 'assignment_expression') return;
    const left = n.child(0).text.trim();
    const value = n.childForFieldName('value');
    if (!value) return;
    out[left] = value.text.trim();
  });
  return out;
}

const RIGHTS = {
  'GR,GW,GE,DE': 'read-write-execute-delete',
  'GR,GE': 'read-execute',
  'GW,WD,AD,WEA,WA,DE,DC': 'write',
  'GR,RD,REA,RA': 'read',
};

function trusteeOf(v) {
  if (v === 'SbxGroupSid') return 'group';
  const m = /^SbxCap(\d+)$/.exec(v);
  if (m) return `cap-${m[1]}`;
  const r = /^SbxRead(\d+)$/.exec(v);
  return r ? `read-${r[1]}` : `?${v}`;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

const PROTO = { Any: 'any', TCP: 'tcp', UDP: 'udp', ICMPv4: 'icmpv4', ICMPv6: 'icmpv6' };

function checkDir(dir) {
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
  const trees = {};
  for (const f of ['setup.ps1', 'teardown.ps1', 'run.ps1']) {
    const tree = parseScript(readFileSync(join(dir, f), 'utf8'));
    const bad = syntaxErrors(tree);
    if (bad.length) fail(dir, `${f}: ${bad.slice(0, 5).join(', ')}`);
    trees[f] = tree;
  }
  const setup = commands(trees['setup.ps1']);
  const asg = assignments(trees['setup.ps1']);

  // capabilities: $SbxCapN = Get-SbxCapSid 'root' (write), $SbxReadN =
  // Get-SbxCapSid 'read|root' (read); keyN maps a caps.json key to its name
  const caps = [], keyName = {};
  for (const [k, v] of Object.entries(asg)) {
    const m = /^\$Sbx(Cap|Read)(\d+)$/.exec(k);
    if (!m) continue;
    const t = parseScript(v);
    const c = commands(t)[0];
    if (!c || c.name !== 'Get-SbxCapSid') { fail(dir, `${k} is not from Get-SbxCapSid`); continue; }
    const read = m[1] === 'Read';
    const key = c.args[0];
    if (read && !key.startsWith('read|')) { fail(dir, `${k} keyed ${key}`); continue; }
    const name = `${read ? 'read' : 'cap'}-${m[2]}`;
    keyName[key] = name;
    caps.push({ name, root: read ? key.slice(5) : key, access: read ? 'read' : 'write' });
  }
  const order = (x) => (x.access === 'read' ? 1e6 : 0) + Number(x.name.split('-')[1]);
  caps.sort((a, b) => order(a) - order(b));
  if (!same(caps, plan.capabilities)) fail(dir, `capabilities ${JSON.stringify(caps)} != plan ${JSON.stringify(plan.capabilities)}`);
  checkToken(dir, plan, trees['run.ps1'], keyName);

  // ACL entries, in order
  const acl = [];
  for (const c of setup.filter((c) => c.name === 'icacls.exe')) {
    const [path, op, spec] = c.args;
    const m = /^~\*\$\{(\w+)\}:\(OI\)\(CI\)\(([A-Z,]+)\)$/.exec(spec || '');
    if (!m || (op !== '/grant' && op !== '/deny')) { fail(dir, `unexpected icacls ${JSON.stringify(c.args)}`); continue; }
    acl.push({ path, type: op === '/deny' ? 'deny' : 'allow', trustee: trusteeOf(m[1]), rights: RIGHTS[m[2]] || `?${m[2]}` });
  }
  const planAcl = plan.acl.map((a) => ({ path: a.path, type: a.type, trustee: a.trustee, rights: a.rights }));
  if (!same(acl, planAcl)) fail(dir, `setup ACL commands differ from plan.json:\n  script ${JSON.stringify(acl)}\n  plan   ${JSON.stringify(planAcl)}`);
  // every deny is applied before any allow
  const firstAllow = acl.findIndex((a) => a.type === 'allow');
  if (firstAllow >= 0 && acl.slice(firstAllow).some((a) => a.type === 'deny')) fail(dir, 'a deny entry comes after an allow entry');

  // directories created
  const dirs = [];
  walk(trees['setup.ps1'].rootNode, (n) => {
    if (n.type === 'invokation_expression' && /CreateDirectory/.test(n.text)) {
      walk(n, (m) => { if (m.type === 'verbatim_string_characters') dirs.push(verbatim(m.text)); });
    }
  });
  if (!same(dirs, plan.create_dirs)) fail(dir, `created directories ${JSON.stringify(dirs)} != plan ${JSON.stringify(plan.create_dirs)}`);

  // firewall
  const fwCmds = setup.filter((c) => /-NetFirewallRule$/.test(c.name) && c.name !== 'Get-NetFirewallRule');
  if (!plan.firewall) {
    if (fwCmds.length) fail(dir, 'firewall commands without a firewall plan');
  } else {
    const fw = plan.firewall;
    const sddl = asg['$SbxOfflineSddl'];
    if (sddl !== '"O:LSD:(A;;CC;;;$SbxOfflineSid)"') fail(dir, `SDDL is ${sddl}`);
    if (!/^\(Get-LocalUser -Name 'SbxcSandboxOffline'\)\.SID\.Value$/.test(asg['$SbxOfflineSid'] || '')) fail(dir, `offline SID from ${asg['$SbxOfflineSid']}`);
    const rules = {};
    let lastNew = -1, narrowAt = -1;
    for (const [i, c] of fwCmds.entries()) {
      const name = c.params.Name;
      if (c.name === 'Remove-NetFirewallRule') { (rules[name] ||= { sets: [] }).removed = i; continue; }
      if (c.params.LocalUser !== '$SbxOfflineSddl') fail(dir, `${name}: -LocalUser ${c.params.LocalUser}`);
      if (c.params.Direction !== 'Outbound' || c.params.Action !== 'Block') fail(dir, `${name}: not an outbound block`);
      const state = {
        protocol: PROTO[c.params.Protocol] || `?${c.params.Protocol}`,
        remote_addresses: c.params.RemoteAddress === undefined ? 'any' : c.params.RemoteAddress,
        remote_ports: c.params.RemotePort === undefined ? 'any' : c.params.RemotePort,
      };
      const r = (rules[name] ||= { sets: [] });
      if (c.name === 'New-NetFirewallRule') { r.created = state; lastNew = i; }
      else { r.sets.push(state); if (r.sets.length > 1) narrowAt = Math.max(narrowAt, i); }
    }
    const got = [], removed = [];
    for (const [name, r] of Object.entries(rules)) {
      if (r.removed !== undefined && !r.created) { removed.push(name); continue; }
      const last = r.sets[r.sets.length - 1] || r.created;
      got.push({ name, protocol: last.protocol, remote_addresses: last.remote_addresses,
        initial_remote_ports: r.created.remote_ports, remote_ports: last.remote_ports });
      if (!same(r.created, r.sets[0])) fail(dir, `${name}: New and the first Set differ`);
    }
    const want = fw.rules.map((r) => ({ name: r.name, protocol: r.protocol, remote_addresses: r.remote_addresses,
      initial_remote_ports: r.initial_remote_ports, remote_ports: r.remote_ports }));
    if (!same(got, want)) fail(dir, `firewall commands differ from plan.json:\n  script ${JSON.stringify(got)}\n  plan   ${JSON.stringify(want)}`);
    if (!same(removed.sort(), [...fw.removed_rules].sort())) fail(dir, `removed rules ${removed} != ${fw.removed_rules}`);
    if (narrowAt >= 0 && narrowAt < lastNew) fail(dir, 'a rule is narrowed before every rule blocks');
    // the firewall is in place before any ACL grant
    const firstIcacls = setup.findIndex((c) => c.name === 'icacls.exe');
    const lastFw = setup.reduce((m, c, i) => (/-NetFirewallRule$/.test(c.name) ? i : m), -1);
    if (firstIcacls >= 0 && lastFw > firstIcacls) fail(dir, 'an ACL entry is set before the firewall is complete');
  }

  // teardown removes exactly the entries and rules setup adds
  const td = commands(trees['teardown.ps1']);
  const rm = td.filter((c) => c.name === 'icacls.exe').map((c) => {
    const m = /^~\*\$\{(\w+)\}$/.exec(c.args[2] || '');
    return `${c.args[0]}|${c.args[1]}|${m ? trusteeOf(m[1]) : '?'}`;
  }).sort();
  const wantRm = [...new Set(plan.acl.map((a) => `${a.path}|${a.type === 'deny' ? '/remove:d' : '/remove:g'}|${a.trustee}`))].sort();
  if (!same(rm, wantRm)) fail(dir, `teardown ACL removals ${JSON.stringify(rm)} != ${JSON.stringify(wantRm)}`);
  const rmRules = td.filter((c) => c.name === 'Remove-NetFirewallRule').map((c) => c.params.Name).sort();
  const wantRules = plan.firewall ? plan.firewall.rules.map((r) => r.name).sort() : [];
  if (!same(rmRules, wantRules)) fail(dir, `teardown removes rules ${rmRules} != ${wantRules}`);
  if (td.some((c) => c.name === 'New-NetFirewallRule' || (c.name === 'icacls.exe' && /^\/(grant|deny)/.test(c.args[1])))) fail(dir, 'teardown adds something');
}

// run.ps1's token: the restricting SIDs it collects (`$SbxSids += ...`, in
// order) and the CreateRestrictedToken flags of its Run call (0xD:
// DISABLE_MAX_PRIVILEGE | LUA_TOKEN | WRITE_RESTRICTED; 0x5: the same but
// every access checked), inside the inner script for the elevated backend,
// which is parsed too. No restricted token: the plain sandbox-user start.
function checkToken(dir, plan, tree, keyName) {
  const sids = [];
  walk(tree.rootNode, (n) => {
    if (n.type !== 'assignment_expression' || n.child(0).text.trim() !== '$SbxSids') return;
    const op = n.child(1).text, value = n.childForFieldName('value').text.trim();
    if (op !== '+=') return;
    let m;
    if ((m = /^\$SbxCaps\[('.*')\]$/.exec(value))) sids.push(keyName[verbatim(m[1])] || `?${m[1]}`);
    else if (value === '$SbxLogon[0]') sids.push('logon');
    else if (value === "'S-1-1-0'") sids.push('everyone');
    else if (value === "'S-1-0-0'") sids.push('nobody');
    else sids.push(`?${value}`);
  });
  const tok = plan.restricted_token;
  const runs = [];
  let inner = null;
  walk(tree.rootNode, (n) => {
    if (n.type === 'assignment_expression' && n.child(0).text.trim() === '$SbxInner' && n.child(1).text === '=') {
      const v = n.childForFieldName('value').text.trim();
      if (v.startsWith("@'")) inner = v.replace(/^@'\r?\n/, '').replace(/\r?\n'@$/, '');
    }
  });
  const scan = (t) => walk(t.rootNode, (n) => {
    const m = /^\[SbxRestricted\]::Run\((.*)\)$/s.exec(n.text);
    if (n.type === 'invokation_expression' && m) runs.push(m[1].split(',').map((x) => x.trim()));
  });
  scan(tree);
  if (inner !== null) {
    const t = parseScript(inner);
    const bad = syntaxErrors(t);
    if (bad.length) fail(dir, `run.ps1 inner script: ${bad.slice(0, 5).join(', ')}`);
    scan(t);
  }
  if (!tok) {
    if (sids.length || runs.length) fail(dir, `restricted token ${JSON.stringify(sids)} without one in the plan`);
    return;
  }
  if (!same(sids, tok.restricting_sids)) fail(dir, `run.ps1 restricting SIDs ${JSON.stringify(sids)} != plan ${JSON.stringify(tok.restricting_sids)}`);
  const want = tok.write_restricted ? '0xD' : '0x5';
  if (runs.length !== 1 || runs[0][3] !== want) fail(dir, `run.ps1 Run calls ${JSON.stringify(runs)}, want flags ${want}`);
  if (inner === null && plan.backend === 'windows-elevated') fail(dir, 'an elevated restricted token without the inner script');
}

const mode = process.argv[2];
if (mode === '--quote') {
  // --quote FILE: FILE holds JSON [{literal, value}]: each literal must parse
  // as one verbatim string whose PowerShell value is `value`.
  const cases = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  for (const { literal, value } of cases) {
    const tree = parseScript(`$x = ${literal}\n`);
    const bad = syntaxErrors(tree);
    if (!bad.length && tree.rootNode.hasError) bad.push('error');
    if (bad.length) { fail('quote', `${JSON.stringify(value)}: ${bad.join(', ')}`); continue; }
    const strs = tree.rootNode.descendantsOfType('verbatim_string_characters').map((n) => n.text);
    tree.delete();
    if (strs.length !== 1 || strs[0] !== literal) { fail('quote', `${JSON.stringify(value)}: parsed as ${JSON.stringify(strs)}`); continue; }
    let got;
    try { got = verbatim(literal); } catch (e) { fail('quote', e.message); continue; }
    if (got !== value) fail('quote', `${JSON.stringify(value)} reads back as ${JSON.stringify(got)}`);
  }
  console.log(`${cases.length} quoted strings checked`);
} else {
  for (const dir of process.argv.slice(2)) checkDir(dir);
  console.log(`${process.argv.length - 2} artifact directories checked`);
}
process.exit(failures ? 1 : 0);
