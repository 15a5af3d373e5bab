"""The evaluator's own tests: the rule semantics it implements, and that it
refuses every construct it does not understand instead of skipping it."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sbpl_eval import EvalError, Profile  # noqa: E402

failures = []


def check(name, cond):
    if not cond:
        failures.append(name)


def decide(text, op, path, params=None):
    return Profile('(version 1)\n(deny default)\n' + text, params or {}).decide(op, path=path)


def refuses(name, text, params=None, full=False):
    try:
        Profile(text if full else '(version 1)\n(deny default)\n' + text, params or {})
    except EvalError:
        return
    failures.append('accepted: ' + name)


# the last matching filtered rule wins
check('allow then deny', not decide('(allow file-read* (subpath "/a"))\n'
                                    '(deny file-read* (subpath "/a/b"))', 'file-read-data', '/a/b/c'))
check('deny then allow', decide('(deny file-read* (subpath "/a/b"))\n'
                                '(allow file-read* (subpath "/a"))', 'file-read-data', '/a/b/c'))
# a bare rule does not override a filtered one, in either order
check('bare after filtered', not decide('(deny file-read* (subpath "/a"))\n(allow file-read*)',
                                        'file-read-data', '/a/x'))
check('bare before filtered', not decide('(allow file-read*)\n(deny file-read* (subpath "/a"))',
                                         'file-read-data', '/a/x'))
check('bare sets the default', decide('(allow file-read*)', 'file-read-data', '/z'))
check('deny default', not decide('', 'file-read-data', '/z'))
# several filters: any of them
check('any-of', decide('(allow file-read* (literal "/x") (subpath "/a"))', 'file-read-data',
                       '/a/y'))
# subpath is component-wise, prefix is not, literal is exact
check('subpath component', not decide('(allow file-read* (subpath "/a/b"))', 'file-read-data',
                                      '/a/bc'))
check('prefix bytes', decide('(allow file-read* (prefix "/a/b"))', 'file-read-data', '/a/bc'))
check('literal exact', not decide('(allow file-read* (literal "/a"))', 'file-read-data', '/a/b'))
# require-all / any / not, params, regexes searched unanchored
r = ('(allow file-write* (require-all (subpath (param "R")) '
     '(require-not (regex (param "X")))))')
p = {'R': '/w', 'X': '^/w/[Ss][Ee][Cc](/.*)?$'}
check('require-not case', not decide(r, 'file-write-data', '/w/SeC/k', p))
check('require-not other', decide(r, 'file-write-create', '/w/sea', p))
check('regex unanchored', decide('(allow file-read* (regex #"b/c"))', 'file-read-data', '/a/b/c/d'))
check('require-any', decide('(allow file-read* (require-any (literal "/q") (literal "/a")))',
                            'file-read-data', '/a'))
# operation wildcards; file-test-existence is not under file-read*
check('file-write* covers unlink', decide('(allow file-write* (subpath "/a"))',
                                          'file-write-unlink', '/a/x'))
check('file-read* not test-existence', not decide('(allow file-read* (subpath "/a"))',
                                                  'file-test-existence', '/a/x'))
# paths as Seatbelt sees them
check('tmp is /private/tmp', decide('(allow file-read* (subpath "/private/tmp"))',
                                    'file-read-data', '/tmp/x'))
check('tmp not /tmp', not decide('(allow file-read* (subpath "/tmp"))', 'file-read-data', '/tmp/x'))
# network
net = '(allow network-outbound (remote ip "localhost:3128"))'
prof = Profile('(version 1)\n(deny default)\n' + net, {})
check('proxy port', prof.decide('network-outbound', remote_ip=('localhost', 3128)))
check('other port', not prof.decide('network-outbound', remote_ip=('localhost', 80)))
check('remote host', not prof.decide('network-outbound', remote_ip=('remote', 3128)))

# refusals
refuses('no version', '(deny default)', full=True)
refuses('version 2', '(version 2)\n(deny default)', full=True)
refuses('no default', '(version 1)\n(allow file-read*)', full=True)
refuses('unknown form', '(define x 1)')
refuses('unknown operation', '(allow file-read-everything)')
refuses('unknown filter', '(allow file-read* (vnode-type REGULAR-FILE))')
refuses('unbound param', '(allow file-read* (subpath (param "NOPE")))')
refuses('unused param', '(allow file-read* (subpath "/a"))', {'EXTRA': '/x'})
refuses('relative path', '(allow file-read* (subpath "a"))')
refuses('perl class', '(allow file-read* (regex #"^/a\\d"))')
refuses('inline flag', '(allow file-read* (regex #"(?i)^/a"))')
refuses('lazy', '(allow file-read* (regex #"^/a.*?b"))')
refuses('posix class', '(allow file-read* (regex #"^/[[:alpha:]]"))')
refuses('unbalanced', '(allow file-read* (subpath "/a")')
refuses('bad host', '(allow network-outbound (remote ip "example.com:80"))')
refuses('if', '(if #t (allow file-read*))')
refuses('string escape', '(allow file-read* (literal "/a\\q"))')

if failures:
    print('FAIL: ' + ', '.join(failures))
    sys.exit(1)
print('the evaluator: semantics and refusals as specified')
