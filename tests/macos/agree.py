"""Agreement of `sbxc compile --target macos` with `sbxc explain --target macos`.

For each profile: compile it to profile.sb, params.json and argv.json,
evaluate the profile with the independent evaluator (sbpl_eval.py) bound to
the parameters of argv.json, and compare every (path, operation) answer
with what `sbxc explain --target macos --format json` says.

  agree.py random SBXC BATCH N SEED   N random profiles x random paths, through
                                      macos_batch (one process; the same library
                                      calls as compile and explain), the first 40
                                      also through the sbxc CLI
  agree.py goldens SBXC DIR           every tests/golden/macos case (its .cmd)
  agree.py broken SBXC BATCH N SEED   expects disagreement (a broken emitter)

Exit 0 on agreement (for `broken`: on disagreement), 1 otherwise.
"""

import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sbpl_eval  # noqa: E402

OPS = ['read', 'write', 'create', 'unlink', 'rename']
ENV = {'PATH': '/usr/bin:/bin', 'HOME': '/home/user', 'LC_ALL': 'C'}


class Mismatch(Exception):
    pass


def run(argv, ok=(0,)):
    p = subprocess.run(argv, capture_output=True, env=ENV, close_fds=False)
    if p.returncode not in ok:
        raise RuntimeError('%s: exit %d\n%s' % (' '.join(argv), p.returncode,
                                                p.stderr.decode(errors='replace')))
    return p


def compile_macos(sbxc, args):
    p = run([sbxc, 'compile', '--target', 'macos', '--color=never',
             '--print', 'profile.sb,params.json,argv.json'] + args, ok=(0, 1))
    if p.returncode != 0:
        return None, p.stderr.decode(errors='replace')
    parts, name = {}, None
    for line in p.stdout.decode().split('\n'):
        if line.startswith('==> ') and line.endswith(' <=='):
            name = line[4:-4]
            parts[name] = []
        else:
            parts[name].append(line)
    files = {k: '\n'.join(v) for k, v in parts.items()}
    for k in ('params.json', 'argv.json'):
        files[k] = json.loads(files[k])
    files['profile.sb'] = files['profile.sb'].rstrip('\n') + '\n'
    return files, None


def check_invocation(files):
    argv, params = files['argv.json'], files['params.json']
    if argv[:3] != ['/usr/bin/sandbox-exec', '-f', 'profile.sb'] or argv[-1] != '--':
        raise Mismatch('argv.json must be sandbox-exec -f profile.sb ... --: %r' % argv[:3])
    bound = []
    for a in argv[3:-1]:
        if not a.startswith('-D') or '=' not in a:
            raise Mismatch('argv.json: not a -DKEY=VALUE: %r' % a)
        k, v = a[2:].split('=', 1)
        bound.append((k, v))
    if bound != list(params.items()):
        raise Mismatch('argv.json and params.json differ (content or order)')
    text = files['profile.sb']
    for _, v in bound:
        if len(v) > 1 and v in text:
            raise Mismatch('parameter value %r spliced into profile.sb' % v)
    return dict(bound)


def explain(sbxc, args, paths):
    p = run([sbxc, 'explain', '--target', 'macos', '--format', 'json', '--color=never'] +
            args + ['--'] + paths if False else
            [sbxc, 'explain', '--target', 'macos', '--format', 'json', '--color=never'] +
            args + paths)
    out = json.loads(p.stdout)
    return {o['path']: set(o['macos']['ops']) for o in out}


def agree(sbxc, compile_args, explain_args, paths, label):
    """Returns the number of (path, op) pairs compared; raises Mismatch."""
    files, err = compile_macos(sbxc, compile_args)
    if files is None:
        return None
    params = check_invocation(files)
    prof = sbpl_eval.Profile(files['profile.sb'], params)
    want = explain(sbxc, explain_args, paths)
    n = 0
    for path in paths:
        if path not in want:
            raise Mismatch('%s: explain did not answer %s' % (label, path))
        for op in OPS:
            got = prof.decide(sbpl_eval.QUERY_OPS[op], path=path)
            exp = op in want[path]
            n += 1
            if got != exp:
                raise Mismatch('%s %s: profile.sb says %s, explain says %s' %
                               (op, path, 'allow' if got else 'deny',
                                'allow' if exp else 'deny'))
    return n


# ---- random profiles ----

TOPS = ['w', 'W', 'x', 'tmp', 'TMP', 'etc', 'private', 'var']
COMPS = ['a', 'A', 'b', 'B', 'src', 'Src', '.git', '.GIT', '.codex', '.Codex', '.agents',
         'secret', 'SECRET', 'k.pem', 'tmp']
GLOB_COMPS = ['*', '**', '*.pem', 'k*', 'S*', 'a']


PLAIN_TOPS = ['w', 'x']
PLAIN_COMPS = [c for c in COMPS if c == c.lower() and c != 'tmp']


def rand_path(rng, lo=1, hi=4, plain=False):
    n = rng.randint(lo, hi)
    tops, comps = (PLAIN_TOPS, PLAIN_COMPS) if plain else (TOPS, COMPS)
    return '/' + '/'.join([rng.choice(tops)] + [rng.choice(comps) for _ in range(n - 1)])


def rand_glob(rng):
    n = rng.randint(2, 4)
    comps = [rng.choice(['w', 'x', 'tmp', 'private'])]
    comps += [rng.choice(GLOB_COMPS + COMPS[:4]) for _ in range(n - 1)]
    if not any('*' in c for c in comps):
        comps[-1] = '*.pem'
    return '/' + '/'.join(comps)


def flip_case(rng, path):
    return ''.join(c.swapcase() if c.isalpha() and rng.random() < 0.3 else c for c in path)


def rand_profile(rng):
    """A profile; one in three uses only lowercase names off the firmlinks."""
    entries = {}
    plain = rng.random() < 0.33
    r = rng.random()
    if r < 0.4:
        entries[':root'] = 'read'
    elif r < 0.5:
        entries[':root'] = 'write'
    if rng.random() < 0.2 and not plain:
        entries[':minimal'] = 'read'
    if rng.random() < 0.4:
        entries[':workspace_roots'] = 'write'
    if rng.random() < 0.2 and not plain:
        entries[':slash_tmp'] = 'write'
    for _ in range(rng.randint(1, 7)):
        entries[rand_path(rng, plain=plain)] = rng.choice(['read', 'write', 'write', 'deny'])
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        entries[rand_glob(rng)] = 'deny'
    lines = ['default_permissions = "p"', '', '[permissions.p.filesystem]']
    lines += ['%s = "%s"' % (json.dumps(k), v) for k, v in entries.items()]
    return '\n'.join(lines) + '\n'


def rand_paths(rng, n):
    out = set()
    while len(out) < n:
        p = rand_path(rng, 1, 5, plain=rng.random() < 0.4)
        out.add(flip_case(rng, p) if rng.random() < 0.3 else p)
    for name in ('.git', '.codex', '.agents', '.GIT', '.Codex'):
        out.add('/w/' + name)
        out.add('/w/' + name + '/x')
    return sorted(out)


def compare(files, answers, paths):
    """Evaluates files['profile.sb'] for every path and operation against the
    explain answers; returns the number compared, raises on disagreement."""
    params = check_invocation(files)
    prof = sbpl_eval.Profile(files['profile.sb'], params)
    n = 0
    for path in paths:
        for op in OPS:
            got = prof.decide(sbpl_eval.QUERY_OPS[op], path=path)
            exp = op in answers[path]
            n += 1
            if got != exp:
                raise Mismatch('%s %s: profile.sb says %s, explain says %s' %
                               (op, path, 'allow' if got else 'deny',
                                'allow' if exp else 'deny'))
    return n


def random_mode(sbxc, batch, count, seed, tmp, cli_checks=40):
    """count profiles through the batch driver (one process); the first
    cli_checks of them also through `sbxc compile` and `sbxc explain`, which
    must give the same bytes and answers."""
    cases = []
    for index in range(count):
        rng = random.Random('%d/%d' % (seed, index))
        cases.append((rand_profile(rng), rand_paths(rng, 10)))
    inp = ''.join(json.dumps({'toml': t, 'paths': p}) + '\n' for t, p in cases)
    out = subprocess.run([batch], input=inp.encode(), capture_output=True, env=ENV, check=True)
    results = [json.loads(l) for l in out.stdout.decode().split('\n') if l]
    if len(results) != count:
        return 0, 0, 0, 'the batch driver answered %d of %d' % (len(results), count)
    compared = profiles = refused = plain_checked = 0
    ctx = ['--cwd', '/w', '--home', '/home/user', '--tmpdir=']
    for i, ((text, paths), res) in enumerate(zip(cases, results)):
        try:
            if res.get('refused'):
                refused += 1
                continue
            files = {k: v for k, v in res['files'].items() if k != 'manifest.json'}
            for k in ('params.json', 'argv.json'):
                files[k] = json.loads(files[k])
            if i < cli_checks:
                path = os.path.join(tmp, 'p.toml')
                with open(path, 'w') as f:
                    f.write(text)
                cli, err = compile_macos(sbxc, ctx + [path])
                if cli is None or cli != files:
                    raise Mismatch('sbxc compile and the batch driver differ')
                if explain(sbxc, ctx + [path], paths) != \
                        {k: set(v) for k, v in res['answers'].items()}:
                    raise Mismatch('sbxc explain and the batch driver differ')
            compared += compare(files, res['answers'], paths)
            plain_checked += plain_agrees(text, paths, res)
            profiles += 1
        except (Mismatch, sbpl_eval.EvalError) as e:
            return compared, profiles, refused, '%s: %s\nprofile:\n%s' % (
                type(e).__name__, e, text)
    if plain_checked < count // 10:
        return compared, profiles, refused, 'only %d plain paths checked' % plain_checked
    print('%d paths without case or firmlink questions: the macOS view equals the '
          'byte-wise semantic pass' % plain_checked)
    return compared, profiles, refused, None


def plain(s):
    return s == s.lower() and not any(
        s == '/' + t or s.startswith('/' + t + '/') or ('"/' + t) in s
        for t in ('tmp', 'var', 'etc', 'private'))


def plain_agrees(text, paths, res):
    """Where nothing differs in case or crosses a firmlink, the macOS view
    gives the semantic pass's answer (read; write = create)."""
    if ':minimal' in text or ':slash_tmp' in text or not plain(text):
        return 0
    n = 0
    for p in paths:
        if not plain(p):
            continue
        ops, acc = set(res['answers'][p]), res['posix'][p]
        if ('read' in ops) != (acc != 'deny') or ('create' in ops) != (acc == 'write'):
            raise Mismatch('macOS view %s and semantic pass %s differ on %s' %
                           (sorted(ops), acc, p))
        n += 1
    return n


# ---- goldens ----

def golden_paths(params):
    out = set()
    for k, v in params.items():
        if k.endswith('_RE'):
            continue
        for p in (v, v.rstrip('/') + '/x', v.swapcase(), v.rstrip('/') + '/.git',
                  v.rstrip('/') + '/.GIT/y', os.path.dirname(v)):
            if p.startswith('/'):
                out.add(p)
    out.update(['/', '/tmp/x', '/private/var/y', '/dev/null', '/Users/dev/other'])
    return sorted(out)


def network_agrees(sbxc, args, files, label):
    """The profile's network rules against the semantic pass's network
    decision (`explain --network`) and `allow_local_binding` (`ir`)."""
    net = json.loads(run([sbxc, 'explain', '--target', 'macos', '--network', '--format',
                          'json', '--color=never'] + args, ok=(0,)).stdout)
    ir = json.loads(run([sbxc, 'ir', '--target', 'macos', '--color=never'] + args).stdout)
    local = bool(ir['profile']['network']['allow_local_binding'])
    mode, ports = net['mode'], net.get('loopback_ports') or []
    prof = sbpl_eval.Profile(files['profile.sb'], check_invocation(files))
    other = max(ports + [8000]) + 1
    want = {
        ('remote', 443): mode == 'full',
        ('remote', 53): mode == 'full' or (mode == 'proxy' and local and bool(ports)),
        ('localhost', other): mode == 'full' or local,
    }
    for p in ports:
        want[('localhost', p)] = True
        want[('remote', p)] = mode == 'full'
    n = 0
    for (host, port), exp in sorted(want.items()):
        got = prof.decide('network-outbound', remote_ip=(host, port))
        n += 1
        if got != exp:
            raise Mismatch('%s: network-outbound %s:%d: profile.sb says %s, the network '
                           'decision (%s, ports %s, local binding %s) says %s' %
                           (label, host, port, got, mode, ports, local, exp))
    bind = prof.decide('network-bind', local_ip=('localhost', other))
    if bind != (mode == 'full' or local):
        raise Mismatch('%s: network-bind localhost: profile.sb says %s' % (label, bind))
    # unix sockets: each allowed path (as Seatbelt sees it) and below it, for
    # connect and bind; a denied one and any other path refused
    socks = ir['profile']['network']['unix_sockets']
    every = bool(ir['profile']['network']['dangerously_allow_all_unix_sockets'])
    for u in socks + [{'path': '/nowhere/else.sock', 'action': 'none'}]:
        exp = u['action'] == 'allow' or (every and u['action'] != 'deny')
        for q in (u['path'], u['path'] + '/x'):
            for op, key in (('network-outbound', 'remote_unix'), ('network-bind', 'local_unix')):
                got = prof.decide(op, **{key: sbpl_eval.canonical(q)})
                n += 1
                if got != exp:
                    raise Mismatch('%s: %s unix %s: profile.sb says %s, the profile %s' %
                                   (label, op, q, got, u['action']))
    return n + 1


def goldens_mode(sbxc, gdir):
    """Every compile case of the golden directory: STEM.cmd, or STEM.toml with
    default.cmd. A case whose golden exit status is not 0 is a refusal and has
    nothing to evaluate; any other must compile."""
    compared = cases = 0
    stems = sorted({f.rsplit('.', 1)[0] for f in os.listdir(gdir)
                    if f.endswith(('.cmd', '.toml')) and f != 'default.cmd'})
    for stem in stems:
        cmd = stem + '.cmd' if os.path.exists(os.path.join(gdir, stem + '.cmd')) \
            else 'default.cmd'
        with open(os.path.join(gdir, cmd)) as f:
            line = [x for x in f.read().split('\n') if x and not x.startswith('#')][0]
        with open(os.path.join(gdir, stem + '.out')) as f:
            refused = not f.read().rstrip('\n').endswith('--- exit 0')
        args = line.replace('{}', stem + '.toml').split()
        if args[0] != 'compile' or refused:
            continue
        # keep the context and the policy; drop --print, --target, --color
        keep, i = [], 1
        while i < len(args):
            if args[i] in ('--print', '--target'):
                i += 2
                continue
            if not args[i].startswith('--color'):
                keep.append(args[i])
            i += 1
        cwd = os.getcwd()
        os.chdir(gdir)
        try:
            if os.path.exists(stem + '.stdin.sh'):  # fixtures, as the golden runner makes them
                subprocess.run(['sh', stem + '.stdin.sh'], check=True, capture_output=True)
            files, err = compile_macos(sbxc, keep)
            if files is None:
                raise Mismatch('golden %s does not compile: %s' % (stem, err))
            params = check_invocation(files)
            n = agree(sbxc, keep, keep, golden_paths(params), 'golden ' + stem)
            n += network_agrees(sbxc, keep, files, 'golden ' + stem)
        except (Mismatch, sbpl_eval.EvalError) as e:
            return compared, cases, '%s: %s' % (stem, e)
        finally:
            os.chdir(cwd)
        compared += n
        cases += 1
    return compared, cases, None


# ---- lint agrees with compile ----

def lint_profile(rng):
    """A random profile that may be refused: non-ASCII names, `?` globs."""
    text = rand_profile(rng)
    extra = []
    if rng.random() < 0.3:
        extra.append('"/w/%s" = "deny"' % rng.choice(['caf\u00e9', 'a/\u00c4rger', 'x']))
    if rng.random() < 0.3:
        extra.append('"/w/%s" = "deny"' % rng.choice(['*.p?m', 'k[ab]', 'k*']))
    if rng.random() < 0.1:
        extra.append('"/w/%s" = "read"' % rng.choice(['\u00e9t\u00e9', 'plain']))
    return text + ''.join(e + '\n' for e in extra)


def lint_mode(sbxc, src, count, seed, tmp):
    import glob
    import re as _re
    policies = sorted(glob.glob(os.path.join(src, 'examples', '*.toml')) +
                      glob.glob(os.path.join(src, 'tests', 'golden', 'macos', '*.toml')))
    rng = random.Random(seed)
    for i in range(count):
        path = os.path.join(tmp, 'lint%d.toml' % i)
        with open(path, 'w') as f:
            f.write(lint_profile(rng))
        policies.append(path)
    ctx = ['--cwd', '/w', '--home', '/home/user', '--tmpdir=']
    refused = 0
    for policy in policies:
        lint = run([sbxc, 'lint', '--color=never', '--targets', 'macos'] + ctx + [policy],
                   ok=(0, 1))
        comp = run([sbxc, 'compile', '--color=never', '--target', 'macos', '--print',
                    'profile.sb'] + ctx + [policy], ok=(0, 1))
        if lint.returncode != comp.returncode:
            return refused, len(policies), 'lint exits %d, compile %d on %s:\n%s%s' % (
                lint.returncode, comp.returncode, policy,
                lint.stderr.decode(errors='replace'), comp.stderr.decode(errors='replace'))
        if comp.returncode:
            refused += 1
            err = comp.stderr.decode(errors='replace')
            codes = _re.findall(r'error\[(E06[0-9][0-9])\]', err)
            located = _re.findall(r'^\S+\.toml:[0-9]+:[0-9]+: error\[(E06[0-9][0-9])\]', err,
                                  _re.M)
            if codes != located:
                return refused, len(policies), 'a refusal without its entry:\n' + err
            for code in codes:
                if 'error[E0640]' in lint.stderr.decode() and \
                        ('[%s]' % code) not in lint.stderr.decode():
                    return refused, len(policies), 'lint does not name %s for %s' % (
                        code, policy)
        os.unlink(policy) if policy.startswith(tmp) else None
    return refused, len(policies), None


def main():
    mode, sbxc = sys.argv[1], sys.argv[2]
    tmp = os.environ.get('TMPDIR_TEST') or '/tmp'
    tmp = os.path.join(tmp, 'sbxc-macos-agree-%d' % os.getpid())
    os.makedirs(tmp, exist_ok=True)
    try:
        if mode == 'lint':
            refused, total, err = lint_mode(sbxc, sys.argv[3], int(sys.argv[4]),
                                            int(sys.argv[5]), tmp)
            if err:
                print('DISAGREE ' + err)
                return 1
            if refused < 10 or refused == total:
                print('only %d of %d profiles refused: the test shows nothing' % (
                    refused, total))
                return 1
            print('%d profiles: lint --targets macos and compile --target macos agree '
                  '(%d refused, each naming its entry)' % (total, refused))
            return 0
        if mode == 'goldens':
            compared, cases, err = goldens_mode(sbxc, sys.argv[3])
            if err:
                print('DISAGREE ' + err)
                return 1
            if cases == 0:
                print('no golden profiles found')
                return 1
            print('%d golden profiles, %d (path, operation) and network answers agree' % (
                cases, compared))
            return 0
        batch, count, seed = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        compared, profiles, refused, err = random_mode(sbxc, batch, count, seed, tmp,
                                                       0 if mode == 'broken' else 40)
        if mode == 'broken':
            if err and err.startswith('Mismatch'):
                print('the broken emitter was caught: ' + err.split('\n')[0])
                print(err.split('profile:')[0][-300:])
                return 0
            print('the broken emitter was NOT caught (%s)' % err)
            return 1
        if err:
            print('DISAGREE ' + err)
            return 1
        if profiles < count * 0.95:
            print('only %d of %d random profiles compiled' % (profiles, count))
            return 1
        print('%d random profiles (%d more refused), %d (path, operation) answers agree; '
              'the first 40 also through the sbxc CLI' % (profiles, refused, compared))
        return 0
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


if __name__ == '__main__':
    sys.exit(main())
