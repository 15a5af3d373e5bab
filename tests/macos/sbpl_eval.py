"""An SBPL evaluator for the tests, written apart from sbxc's emitter.

It reads a Seatbelt profile (S-expressions), binds its parameters and
decides file and network queries with the rule semantics of
spec/semantics.md ("macOS") and the shared reference seatbelt-semantics.md:

- (deny default) / (allow default) is the fallback;
- a rule applies to a query when one of its operations covers the query's
  operation (a trailing `*` is a name prefix) and its filters match; several
  filters in one rule are alternatives (any-of);
- among the filtered rules that apply, the last one in the text wins;
- a rule without a filter only sets that operation's default: it is used
  when no filtered rule applies, and never overrides one;
- paths are matched as Seatbelt sees them: /tmp, /var and /etc resolved to
  /private/...; `literal`, `subpath`, `prefix` compare bytes, `regex` is a
  POSIX extended regex searched anywhere in the path.

Anything it does not understand is an error (EvalError), never skipped: an
unknown form, operation, filter, regex construct or unbound parameter.
"""

import re

class EvalError(Exception):
    pass


# ---- reading ----

class Sym(str):
    pass


class Regex:
    def __init__(self, text):
        self.text = text


def parse(text):
    """Returns the list of top-level forms."""
    i, n = 0, len(text)
    stack = [[]]
    while i < n:
        c = text[i]
        if c in ' \t\n\r':
            i += 1
        elif c == ';':
            while i < n and text[i] != '\n':
                i += 1
        elif c == '(':
            stack.append([])
            i += 1
        elif c == ')':
            if len(stack) < 2:
                raise EvalError('unbalanced )')
            done = stack.pop()
            stack[-1].append(done)
            i += 1
        elif c == '"' or (c == '#' and text.startswith('#"', i)):
            is_re = c == '#'
            i += 2 if is_re else 1
            out = []
            while True:
                if i >= n:
                    raise EvalError('unterminated string')
                ch = text[i]
                if ch == '"':
                    i += 1
                    break
                if ch == '\\':
                    if i + 1 >= n:
                        raise EvalError('bad escape')
                    e = text[i + 1]
                    if e in '\\"':
                        out.append(e)
                    elif e == 'n':
                        out.append('\n')
                    elif e == 't':
                        out.append('\t')
                    elif is_re:
                        out.append('\\' + e)  # kept for the regex engine
                    else:
                        raise EvalError('unknown string escape \\' + e)
                    i += 2
                    continue
                out.append(ch)
                i += 1
            s = ''.join(out)
            stack[-1].append(Regex(s) if is_re else s)
        else:
            j = i
            while j < n and text[j] not in ' \t\n\r()";':
                j += 1
            tok = text[i:j]
            i = j
            if re.fullmatch(r'-?[0-9]+', tok):
                stack[-1].append(int(tok))
            elif tok in ('#t', '#f'):
                stack[-1].append(tok == '#t')
            elif re.fullmatch(r'[A-Za-z][A-Za-z0-9*_.-]*', tok):
                stack[-1].append(Sym(tok))
            else:
                raise EvalError('unknown token ' + repr(tok))
    if len(stack) != 1:
        raise EvalError('unbalanced (')
    return stack[0]


# ---- POSIX ERE -> Python, refusing what ERE does not have ----

_compiled = {}


def ere_to_python(pat):
    if pat not in _compiled:
        _compiled[pat] = _ere_to_python(pat)
    return _compiled[pat]


def _ere_to_python(pat):
    out = []
    i, n = 0, len(pat)
    depth = 0
    while i < n:
        c = pat[i]
        if c == '\\':
            if i + 1 >= n or pat[i + 1] not in '.[](){}*+?^$|\\/':
                raise EvalError('regex escape not in POSIX ERE: ' + pat[i:i + 2])
            out.append(re.escape(pat[i + 1]))
            i += 2
        elif c == '[':
            j = i + 1
            if j < n and pat[j] == '^':
                j += 1
            if j < n and pat[j] == ']':
                j += 1
            while j < n and pat[j] != ']':
                if pat[j] == '[' and j + 1 < n and pat[j + 1] in ':.=':
                    raise EvalError('bracket class not supported: ' + pat[i:])
                j += 1
            if j >= n:
                raise EvalError('unclosed bracket in ' + pat)
            body = pat[i + 1:j]
            neg = body.startswith('^')
            if neg:
                body = body[1:]
            members = ''.join('\\' + ch if ch in '\\]^-[' and not
                              (ch == '-' and 0 < k < len(body) - 1) else ch
                              for k, ch in enumerate(body))
            out.append('[' + ('^' if neg else '') + members + ']')
            i = j + 1
        elif c == '(':
            if pat.startswith('(?', i):
                raise EvalError('(? groups are not POSIX ERE')
            depth += 1
            out.append('(')
            i += 1
        elif c == ')':
            depth -= 1
            if depth < 0:
                raise EvalError('unbalanced ) in regex')
            out.append(')')
            i += 1
        elif c in '.*+?^$|':
            if c in '*+?' and i + 1 < n and pat[i + 1] in '?+':
                raise EvalError('lazy or possessive quantifier')
            out.append(c)
            i += 1
        elif c == '{':
            m = re.match(r'\{[0-9]+(,[0-9]*)?\}', pat[i:])
            if not m:
                raise EvalError('bad interval in ' + pat)
            out.append(m.group(0))
            i += len(m.group(0))
        else:
            out.append(re.escape(c))
            i += 1
    if depth:
        raise EvalError('unbalanced ( in regex')
    return re.compile(''.join(out), re.S)


# ---- the profile ----

FILE_OPS = {
    'file-read-data', 'file-read-metadata', 'file-read-xattr', 'file-test-existence',
    'file-write-data', 'file-write-create', 'file-write-unlink', 'file-write-mode',
    'file-write-owner', 'file-write-times', 'file-write-xattr', 'file-write-flags',
    'file-write-setugid', 'file-ioctl', 'file-map-executable', 'file-link',
}
NET_OPS = {'network-outbound', 'network-inbound', 'network-bind'}
# operations the base section uses that never meet a file or network query;
# their filters are checked for shape only
OTHER_OPS = {
    'process-exec', 'process-fork', 'signal', 'process-info*', 'sysctl-read', 'sysctl-write',
    'iokit-open', 'mach-lookup', 'user-preference-read', 'ipc-posix-sem',
    'ipc-posix-shm-read*', 'ipc-posix-shm-write-create', 'ipc-posix-shm-write-unlink',
    'pseudo-tty', 'system-socket',
}
WILDCARD_OPS = {'file-read*', 'file-write*', 'default'}
OTHER_FILTERS = {
    'target', 'sysctl-name', 'sysctl-name-prefix', 'sysctl-name-regex', 'global-name',
    'local-name', 'iokit-registry-entry-class', 'ipc-posix-name-regex',
    'ipc-posix-name-prefix', 'socket-domain', 'socket-protocol',
}


def canonical(path):
    m = re.match(r'^/([^/]*)(/.*)?$', path)
    if m and m.group(1).lower() in ('tmp', 'var', 'etc'):
        return '/private/' + m.group(1).lower() + (m.group(2) or '')
    return path


class Profile:
    def __init__(self, text, params):
        self.params = dict(params)
        self.used = set()
        forms = parse(text)
        if not forms or forms[0] != [Sym('version'), 1]:
            raise EvalError('the profile must start with (version 1)')
        self.default = None
        self.rules = []  # (allow, ops, filters)
        self.by_op = {}
        for f in forms[1:]:
            if not isinstance(f, list) or not f or f[0] not in ('allow', 'deny'):
                raise EvalError('unknown top-level form %r' % (f,))
            allow = f[0] == 'allow'
            ops, filters = [], []
            for x in f[1:]:
                if isinstance(x, Sym):
                    if filters:
                        raise EvalError('operation after a filter')
                    if x not in FILE_OPS | NET_OPS | OTHER_OPS | WILDCARD_OPS:
                        raise EvalError('unknown operation ' + x)
                    ops.append(str(x))
                elif isinstance(x, list):
                    filters.append(self.compile_filter(x, ops))
                else:
                    raise EvalError('unexpected %r in a rule' % (x,))
            if not ops:
                raise EvalError('rule without operations')
            if ops == ['default']:
                if filters:
                    raise EvalError('default with a filter')
                self.default = allow
                continue
            if 'default' in ops:
                raise EvalError('default mixed with other operations')
            self.rules.append((allow, ops, filters))
        if self.default is None:
            raise EvalError('no (deny default) or (allow default)')
        unused = set(self.params) - self.used
        if unused:
            raise EvalError('parameters the profile never uses: %s' % sorted(unused))

    # a value: a string, or (param "NAME")
    def value(self, x):
        if isinstance(x, str) and not isinstance(x, Sym):
            return x
        if isinstance(x, list) and len(x) == 2 and x[0] == 'param' and isinstance(x[1], str):
            if x[1] not in self.params:
                raise EvalError('unbound parameter ' + x[1])
            self.used.add(x[1])
            return self.params[x[1]]
        raise EvalError('not a string value: %r' % (x,))

    def compile_filter(self, f, ops):
        """A predicate over a query dict."""
        if not f or not isinstance(f[0], Sym):
            raise EvalError('bad filter %r' % (f,))
        head, args = f[0], f[1:]
        if head in ('require-all', 'require-any'):
            subs = [self.compile_filter(a, ops) for a in args]
            if head == 'require-all':
                return lambda q: all(s(q) for s in subs)
            return lambda q: any(s(q) for s in subs)
        if head == 'require-not':
            if len(args) != 1:
                raise EvalError('require-not takes one filter')
            sub = self.compile_filter(args[0], ops)
            return lambda q: not sub(q)
        if head in ('literal', 'subpath', 'prefix'):
            if len(args) != 1:
                raise EvalError(head + ' takes one value')
            v = self.value(args[0])
            if not v.startswith('/'):
                raise EvalError('path filter without an absolute path: ' + v)
            if head == 'literal':
                return lambda q: q.get('path') == v
            if head == 'prefix':
                return lambda q: q.get('path', '\0').startswith(v)
            if v == '/':
                return lambda q: q.get('path', '').startswith('/')
            return lambda q: q.get('path') is not None and (
                q['path'] == v or q['path'].startswith(v + '/'))
        if head == 'regex':
            if len(args) != 1:
                raise EvalError('regex takes one value')
            a = args[0]
            rx = ere_to_python(a.text if isinstance(a, Regex) else self.value(a))
            return lambda q: q.get('path') is not None and rx.search(q['path']) is not None
        if head in ('remote', 'local'):
            return self.net_filter(head, args)
        if head in OTHER_FILTERS:
            if any(o in FILE_OPS | NET_OPS or o in WILDCARD_OPS for o in ops) and \
                    head not in ('socket-domain', 'socket-protocol'):
                raise EvalError('%s on a file or network operation' % head)
            return lambda q: False
        raise EvalError('unknown filter ' + head)

    def net_filter(self, side, args):
        if not args or args[0] not in ('ip', 'tcp', 'unix-socket'):
            raise EvalError('unknown %s filter %r' % (side, args))
        kind = args[0]
        if kind == 'unix-socket':
            if len(args) == 1:
                return lambda q: q.get(side + '_unix') is not None
            inner = self.compile_filter(args[1], [])
            return lambda q: q.get(side + '_unix') is not None and inner(
                {'path': q[side + '_unix']})
        if len(args) != 2 or not isinstance(args[1], str):
            raise EvalError('%s %s takes "host:port"' % (side, kind))
        m = re.fullmatch(r'(\*|localhost):(\*|[0-9]+)', args[1])
        if not m:
            raise EvalError('host must be * or localhost: ' + args[1])
        host, port = m.group(1), m.group(2)

        def match(q):
            a = q.get(side + '_ip')
            if a is None:
                return False
            qh, qp = a
            return (host == '*' or qh == 'localhost') and (port == '*' or int(port) == qp)
        return match

    @staticmethod
    def covers(rule_op, op):
        if rule_op.endswith('*'):
            return op.startswith(rule_op[:-1])
        return rule_op == op

    def rules_for(self, op):
        """The rules whose operations cover op, in order (cached)."""
        if op not in self.by_op:
            self.by_op[op] = [(allow, filters) for allow, ops, filters in self.rules
                              if any(self.covers(o, op) for o in ops)]
        return self.by_op[op]

    def decide(self, op, **q):
        if op not in FILE_OPS | NET_OPS:
            raise EvalError('query for unknown operation ' + op)
        if 'path' in q:
            q['path'] = canonical(q['path'])
        verdict, bare = None, None
        for allow, filters in self.rules_for(op):
            if not filters:
                bare = allow
                continue
            for f in filters:
                if f(q):
                    verdict = allow
                    break
        if verdict is not None:
            return verdict
        if bare is not None:
            return bare
        return self.default


# the operations the agreement tests ask about, as Seatbelt operations
QUERY_OPS = {
    'read': 'file-read-data',
    'write': 'file-write-data',
    'create': 'file-write-create',
    'unlink': 'file-write-unlink',
    'rename': 'file-write-unlink',  # renaming a path away unlinks its name
}
