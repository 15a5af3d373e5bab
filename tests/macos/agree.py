"""Agreement of `sbxc compile --target macos` with `sbxc explain --target macos`.

For each profile: compile it to profile.sb, params.json and argv.json,
evaluate the profile with the independent evaluator (sbpl_eval.py) bound to
the parameters of argv.json, and compare every (path, operation) answer
with what `sbxc explain --target macos --format json` says.

  agree.py random SBXC N SEED      N random profiles x random paths
  agree.py goldens SBXC DIR        every tests/golden/macos case (its .cmd)
  agree.py broken SBXC N SEED      expects disagreement (a broken emitter)

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


def rand_path(rng, lo=1, hi=4):
    n = rng.randint(lo, hi)
    return '/' + '/'.join([rng.choice(TOPS)] + [rng.choice(COMPS) for _ in range(n - 1)])


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
    entries = {}
    r = rng.random()
    if r < 0.4:
        entries[':root'] = 'read'
    elif r < 0.5:
        entries[':root'] = 'write'
    if rng.random() < 0.2:
        entries[':minimal'] = 'read'
    if rng.random() < 0.4:
        entries[':workspace_roots'] = 'write'
    if rng.random() < 0.2:
        entries[':slash_tmp'] = 'write'
    for _ in range(rng.randint(1, 7)):
        entries[rand_path(rng)] = rng.choice(['read', 'write', 'write', 'deny'])
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        entries[rand_glob(rng)] = 'deny'
    lines = ['default_permissions = "p"', '', '[permissions.p.filesystem]']
    lines += ['%s = "%s"' % (json.dumps(k), v) for k, v in entries.items()]
    return '\n'.join(lines) + '\n'


def rand_paths(rng, n):
    out = set()
    while len(out) < n:
        p = rand_path(rng, 1, 5)
        out.add(flip_case(rng, p) if rng.random() < 0.3 else p)
    for name in ('.git', '.codex', '.agents', '.GIT', '.Codex'):
        out.add('/w/' + name)
        out.add('/w/' + name + '/x')
    return sorted(out)


def random_mode(sbxc, count, seed, tmp):
    rng = random.Random(seed)
    ctx = ['--cwd', '/w', '--home', '/home/user', '--tmpdir=']
    compared = profiles = refused = 0
    while profiles < count:
        text = rand_profile(rng)
        path = os.path.join(tmp, 'p.toml')
        with open(path, 'w') as f:
            f.write(text)
        paths = rand_paths(rng, 10)
        try:
            n = agree(sbxc, ctx + [path], ctx + [path], paths, 'profile:\n' + text)
        except (Mismatch, sbpl_eval.EvalError) as e:
            return compared, profiles, refused, '%s: %s\nprofile:\n%s' % (
                type(e).__name__, e, text)
        if n is None:
            refused += 1
            if refused > count:
                return compared, profiles, refused, 'too many profiles refused'
            continue
        compared += n
        profiles += 1
    return compared, profiles, refused, None


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


def goldens_mode(sbxc, gdir):
    compared = cases = 0
    for name in sorted(os.listdir(gdir)):
        if not name.endswith('.cmd'):
            continue
        with open(os.path.join(gdir, name)) as f:
            line = [x for x in f.read().split('\n') if x and not x.startswith('#')][0]
        stem = name[:-4]
        args = line.replace('{}', stem + '.toml').split()
        if args[0] != 'compile':
            continue
        # keep the context and the policy; drop --print and its value
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
            files, err = compile_macos(sbxc, keep)
            if files is None:
                continue  # a refusal golden: nothing to evaluate
            params = check_invocation(files)
            # the explain arguments: the same, the policy as -c when it is a file
            eargs = [a for a in keep]
            n = agree(sbxc, keep, eargs, golden_paths(params), 'golden ' + stem)
        except Mismatch as e:
            os.chdir(cwd)
            return compared, cases, str(e)
        os.chdir(cwd)
        compared += n
        cases += 1
    return compared, cases, None


def main():
    mode, sbxc = sys.argv[1], sys.argv[2]
    tmp = os.environ.get('TMPDIR_TEST') or '/tmp'
    tmp = os.path.join(tmp, 'sbxc-macos-agree-%d' % os.getpid())
    os.makedirs(tmp, exist_ok=True)
    try:
        if mode == 'goldens':
            compared, cases, err = goldens_mode(sbxc, sys.argv[3])
            if err:
                print('DISAGREE ' + err)
                return 1
            if cases == 0:
                print('no golden profiles found')
                return 1
            print('%d golden profiles, %d (path, operation) answers agree' % (cases, compared))
            return 0
        count, seed = int(sys.argv[3]), int(sys.argv[4])
        compared, profiles, refused, err = random_mode(sbxc, count, seed, tmp)
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
        print('%d random profiles (%d refused and redrawn), %d (path, operation) answers '
              'agree' % (profiles, refused, compared))
        return 0
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


if __name__ == '__main__':
    sys.exit(main())
