#!/usr/bin/python3
"""simulate.py: a plan simulator for Windows plans (plan.json), written apart
from the emitter, and the agreement test around it.

  can(plan, op, path)                     what the sandboxed process may do to a
                                          path under the plan's ACL entries and
                                          its token (normal and restricting
                                          SIDs), on a worst-case machine
  can_connect(plan, proto, addr, port)    whether the firewall lets it connect

Usage: simulate.py SBXC CASES_DIR [--random N --seed S]
  For every *.toml in CASES_DIR (with its .env file of NAME=VALUE lines, if
  any) and N random profiles: compiles for Windows; when that succeeds, the
  simulator must agree with `sbxc explain --target windows` on every probed
  path and with the policy's network on 127.0.0.1, ::1, 10.0.0.1 and 8.8.8.8
  (every port for the cases, a sample for random profiles); `sbxc lint
  --targets windows` must agree with compile on whether and how the profile
  is enforced. The probes include, under every granted path, a file with
  its own entry letting Everyone read (must agree exactly) and one with a
  protected DACL (may be less, never more), and C:\\Users\\Public, which
  Everyone may write (must agree: writes pass only through the plan's
  capabilities).
"""
import ipaddress
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile

CTX = ["--cwd", "C:\\ws", "--home", "C:\\Users\\me", "--tmpdir", "C:\\Temp"]


def norm(p):
    return p.rstrip("\\").upper() if len(p) > 3 else p.upper()


def levels(path):
    """path, its parent, ... up to the drive or share root."""
    out = [path]
    while True:
        p = out[-1]
        if len(p) <= 3 and p[1:2] == ":":
            return out
        i = p.rstrip("\\").rfind("\\")
        if i < 0:
            return out
        parent = p[: i + 1] if i == 2 and p[1] == ":" else p[:i]
        if parent.startswith("\\\\") and parent.count("\\") < 4:
            return out
        out.append(parent)


# ---- the access check ----
#
# Windows checks a token against an object's DACL: the ACEs in canonical
# order (the object's own entries, denials first, then those inherited from
# the parent, from the grandparent, ..., denials first at each level, up to
# an object whose DACL is protected), the first entry naming one of the
# token's SIDs for the requested right decides, none means no access. A
# restricted token is checked twice, once with its normal SIDs and once with
# its restricting SIDs, and both must grant; a write-restricted token uses
# its restricting SIDs for write access only (Microsoft Learn, "Restricted
# Tokens" and "Order of ACEs in a DACL"). Modelled here from that text, not
# from the emitter.
#
# The machine before setup (the baseline) is the worst case for a sandbox:
# every drive and share root lets Everyone read and the invoking user ("me")
# read and write, inherited by everything below; C:\Users\Public also lets
# Everyone write; a file named explicit.txt carries its own (explicit) entry
# letting Everyone read, and one named protected.txt has a protected DACL
# letting Everyone read and nothing inherited.

def leaf(p):
    return p.rstrip("\\").rsplit("\\", 1)[-1].upper()


def is_root(p):
    return len(levels(p)) == 1


def baseline(path):
    """(explicit ACEs, protected) of path before setup."""
    if is_root(path):
        return [("allow", "everyone", {"read"}), ("allow", "me", {"read", "write"})], False
    if norm(path) == norm("C:\\Users\\Public"):
        return [("allow", "everyone", {"read", "write"})], False
    if leaf(path) == "PROTECTED.TXT":
        return [("allow", "everyone", {"read"})], True
    if leaf(path) == "EXPLICIT.TXT":
        return [("allow", "everyone", {"read"})], False
    return [], False


RIGHTS = {
    ("allow", "read-write-execute-delete"): {"read", "write"},
    ("allow", "read-execute"): {"read"},
    ("deny", "write"): {"write"},
    ("deny", "read"): {"read"},
}


def dacl(plan_aces, path):
    """The ACEs deciding access to path, in canonical order."""
    out = []
    for lv in levels(path):
        own, protected = baseline(lv)
        own = own + [(a["type"], a["trustee"], RIGHTS[(a["type"], a["rights"])])
                     for a in plan_aces.get(norm(lv), [])]
        out += [a for a in own if a[0] == "deny"] + [a for a in own if a[0] == "allow"]
        if protected:
            break
    return out


def check(aces, sids, right):
    for typ, sid, rights in aces:
        if sid in sids and right in rights:
            return typ == "allow"
    return False


def token(plan):
    """(normal SIDs, restricting SIDs or None, write_restricted)"""
    common = {"everyone", "users", "authenticated-users", "interactive", "logon"}
    tok = plan.get("restricted_token")
    if plan["backend"] == "windows-elevated":
        normal = common | {"sandbox-user", "group"}
    else:
        normal = common | {"me"}
    if not tok:
        return normal, None, False
    return normal, set(tok["restricting_sids"]), tok["write_restricted"]


def can(plan, op, path):
    if plan.get("sandbox") == "disabled":
        return True
    aces_by_path = {}
    for a in plan["acl"]:
        aces_by_path.setdefault(norm(a["path"]), []).append(a)
    aces = dacl(aces_by_path, path)
    normal, restricting, write_restricted = token(plan)
    ok = check(aces, normal, op)
    if restricting is not None and (op == "write" or not write_restricted):
        ok = ok and check(aces, restricting, op)
    return ok


def in_addrs(spec, addr):
    if spec == "any":
        return True
    a = ipaddress.ip_address(addr)
    for s in spec:
        if "-" in s:
            lo, hi = (ipaddress.ip_address(x) for x in s.split("-"))
            if lo.version == a.version and lo <= a <= hi:
                return True
        elif "/" in s:
            n = ipaddress.ip_network(s)
            if n.version == a.version and a in n:
                return True
        elif ipaddress.ip_address(s) == a:
            return True
    return False


def in_ports(spec, port):
    if spec == "any":
        return True
    for s in spec:
        lo, _, hi = s.partition("-")
        if int(lo) <= port <= int(hi or lo):
            return True
    return False


def compile_rules(plan):
    fw = plan["firewall"]
    return [] if not fw else fw["rules"]


def blocked_ports(rules, proto, addr):
    """Every TCP or UDP port the rules block to addr (the same answers as
    can_connect, for all ports at once)."""
    out = set()
    for r in rules:
        if r["protocol"] not in ("any", proto) or not in_addrs(r["remote_addresses"], addr):
            continue
        if r["remote_ports"] == "any":
            return set(range(0, 65536))
        for s in r["remote_ports"]:
            lo, _, hi = s.partition("-")
            out.update(range(int(lo), int(hi or lo) + 1))
    return out


def can_connect(rules, proto, addr, port):
    if proto == "icmp":
        proto = "icmpv4" if ipaddress.ip_address(addr).version == 4 else "icmpv6"
    for r in rules:
        if r["protocol"] not in ("any", proto):
            continue
        if not in_addrs(r["remote_addresses"], addr):
            continue
        if proto in ("tcp", "udp") and not in_ports(r["remote_ports"], port):
            continue
        return False
    return True


# ---- the expectation, from the policy (not from the plan) ----

URL_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "WS_PROXY", "WSS_PROXY",
            "http_proxy", "https_proxy", "all_proxy", "ws_proxy", "wss_proxy"]


def url_port(url):
    if "://" not in url:
        return None
    auth = url.split("://", 1)[1].split("/", 1)[0]
    auth = auth.rsplit("@", 1)[-1]
    if auth.startswith("["):
        if not auth.startswith("[::1]:"):
            return None
        port = auth[len("[::1]:"):]
    else:
        host, sep, port = auth.partition(":")
        if not sep or (host.lower() != "localhost" and host != "127.0.0.1"):
            return None
    return int(port) if port.isdigit() and 0 < int(port) < 65536 else None


def net_model(mode, env, profile_alb):
    """The network the policy gives (spec/semantics.md, the network decision),
    with the Windows rules for the environment: (offline, ports, alb).
    mode: "off", "on" or "managed" (`[features] network_proxy`)."""
    ports, alb = proxy_settings(env, profile_alb)
    configured = any(env.get(k) for k in URL_VARS + ["CODEX_WINDOWS_SANDBOX_PROXY_PORTS"])
    if mode == "off":
        return (True, set(), alb)
    if mode == "managed":
        return (True, ports | {3128, 8081}, alb)
    if configured:
        return (True, ports, alb)  # no usable port: no network, none open
    return (False, set(), alb)


def proxy_settings(env, profile_alb):
    ports = set()
    for v in URL_VARS:
        if env.get(v):
            p = url_port(env[v])
            if p:
                ports.add(p)
    for e in env.get("CODEX_WINDOWS_SANDBOX_PROXY_PORTS", "").split(","):
        e = e.strip()
        if e.isdigit() and 0 < int(e) < 65536:
            ports.add(int(e))
    alb = profile_alb or env.get("CODEX_NETWORK_ALLOW_LOCAL_BINDING") == "1"
    return ports, alb


def expect_connect(net, proto, addr, port):
    """net: (offline, ports, alb)"""
    offline, ports, alb = net
    if not offline:
        return True
    ip = ipaddress.ip_address(addr)
    if proto == "icmp" or not ip.is_loopback:
        return False
    if port in (53, 139, 445, 853):
        return False
    if alb:
        return True
    return proto == "tcp" and port in ports


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"}, **kw)


PUBLIC = "C:\\Users\\Public\\x"


def probe_paths(plan):
    ps = {"C:\\", "C:\\ws", "C:\\ws\\src\\main.c", "C:\\Users\\me\\.ssh\\id", "D:\\data\\x",
          "C:\\Windows\\system32\\x.dll", "C:\\Temp\\t", "C:\\ws\\.git\\config", "C:\\other",
          "C:\\other\\explicit.txt", PUBLIC}
    for a in plan["acl"]:
        p = a["path"]
        ps.update([p, p + "\\f", p + "\\.git\\HEAD", p + "\\d\\e", p + "\\explicit.txt",
                   p + "\\d\\explicit.txt", p + "\\protected.txt"])
        ps.update(levels(p)[1:2])
    return sorted(ps)


RANK = {"deny": 0, "read": 1, "write": 2}


def check_profile(sbxc, toml_path, env, net_expect, full_ports, tag):
    """Returns (failure strings, what compiled: "" or the plan's read kind)."""
    fails = []
    envargs = [a for k, v in sorted(env.items()) for a in ("--proxy-env", f"{k}={v}")]
    with tempfile.TemporaryDirectory() as out:
        c = run([sbxc, "compile", "--target", "windows", *CTX, *envargs, "-o", out, toml_path])
        lint = run([sbxc, "lint", "--color=never", "--targets", "windows", *CTX, *envargs, toml_path])
        if c.returncode != 0:
            if "refusing to run unsandboxed" not in c.stderr:
                fails.append(f"{tag}: compile refused without the fail-closed message: {c.stderr}")
            if lint.returncode == 0:
                fails.append(f"{tag}: lint accepts what compile refuses:\n{c.stderr}\n{lint.stderr}")
            return fails, ""
        manifest = json.load(open(os.path.join(out, "manifest.json")))
        if manifest["sandbox"] == "disabled":
            if os.path.exists(os.path.join(out, "plan.json")):
                fails.append(f"{tag}: a plan for a profile without a sandbox")
            plan = {"sandbox": "disabled", "backend": None, "identity": "none", "acl": [],
                    "capabilities": [], "firewall": None, "read": "full"}
        else:
            plan = json.load(open(os.path.join(out, "plan.json")))
    want_note = "no sandbox, the profile turns it off" if plan.get("sandbox") == "disabled" else f"`{plan['backend']}` will enforce it"
    if lint.returncode != 0 or want_note not in lint.stderr:
        fails.append(f"{tag}: lint does not name {plan['backend']}: {lint.stderr}")
    paths = probe_paths(plan)
    ex = run([sbxc, "explain", "--target", "windows", *CTX, *envargs, "--format", "json", toml_path, *paths])
    if ex.returncode != 0:
        return fails + [f"{tag}: explain failed: {ex.stderr}"], plan["read"]
    for ans in json.loads(ex.stdout):
        acc = ans["access"]
        w, r = can(plan, "write", ans["path"]), can(plan, "read", ans["path"])
        sim = "write" if w and r else "read" if r else "deny" if not w else "write-only"
        if sim == "write-only":
            fails.append(f"{tag}: {ans['path']}: the plan lets it be written but not read")
        elif leaf(ans["path"]) == "PROTECTED.TXT":
            # a protected DACL keeps sbxc's inherited grants out: never more
            # than explain says, maybe less (the safe direction)
            if RANK[sim] > RANK[acc]:
                fails.append(f"{tag}: {ans['path']} (protected DACL): explain says {acc}, the plan gives {sim}")
        elif sim != acc:
            fails.append(f"{tag}: {ans['path']}: explain says {acc}, the plan gives {sim}")
    if net_expect is not None:
        offline, ports, alb = net_expect
        if (plan["identity"] == "offline") != offline:
            fails.append(f"{tag}: identity {plan['identity']}, expected {'offline' if offline else 'online'}")
        rules = compile_rules(plan)
        rng = random.Random(7)
        sample = range(1, 65536) if full_ports else sorted(set([1, 53, 80, 139, 443, 445, 853, 3128, 8081, 65535] + list(ports) + [rng.randrange(1, 65536) for _ in range(40)]))
        for addr in ("127.0.0.1", "::1", "10.0.0.1", "8.8.8.8"):
            for proto in ("tcp", "udp"):
                blocked = blocked_ports(rules, proto, addr)
                loop = ipaddress.ip_address(addr).is_loopback
                for port in sample:
                    got = port not in blocked
                    if full_ports:
                        want = not offline or (loop and port not in (53, 139, 445, 853) and (alb or (proto == "tcp" and port in ports)))
                    else:
                        want = expect_connect(net_expect, proto, addr, port)
                        got = got and can_connect(rules, proto, addr, port)
                    if got != want:
                        fails.append(f"{tag}: {proto} {addr} port {port}: firewall gives {got}")
                        break
            if can_connect(rules, "icmp", addr, 0) != expect_connect(net_expect, "icmp", addr, 0):
                fails.append(f"{tag}: icmp {addr}")
    return fails, plan["read"] + ("+deny" if any(a["why"] == "denied path" for a in plan["acl"]) else "")


def case_net(toml_text, env):
    """The network expectation of a case from its text (the cases say it in
    a `# net:` line: `offline`, `online`) and the environment."""
    for line in toml_text.splitlines():
        if line.startswith("# net:"):
            mode = line.split(":", 1)[1].strip()
            return net_model(mode, env, "allow_local_binding = true" in toml_text)
    return None


def random_profile(rng):
    subs = ["src", "docs", "build", "out", "a", "a\\b", "vendor", ".git", ".codex", "data"]
    lines = ['default_permissions = "p"']
    net = rng.choice(["off", "on", "proxy"])
    if net == "proxy":
        lines += ["[features]", "network_proxy = true"]
    lines.append("[permissions.p.filesystem]")
    lines.append(f'":root" = "{rng.choice(["read"] * 5 + ["deny"] * 4 + ["write"])}"')
    if rng.random() < 0.4:
        lines.append('":minimal" = "read"')
    if rng.random() < 0.3:
        lines.append(f"'C:\\data' = \"{rng.choice(['read', 'read', 'write'])}\"")
        for sub in rng.sample(["secret", "secret\\pub", "logs"], rng.randrange(0, 3)):
            lines.append(f"'C:\\data\\{sub}' = \"{rng.choice(['deny', 'deny', 'read'])}\"")
    if rng.random() < 0.2:
        lines.append("'~/.ssh' = \"deny\"")
    if rng.random() < 0.3:
        lines.append(f'":tmpdir" = "{rng.choice(["write", "read"])}"')
    if rng.random() < 0.2:
        lines.append(f"'D:\\shared' = \"{rng.choice(['write', 'read', 'deny'])}\"")
    lines.append('[permissions.p.filesystem.":workspace_roots"]')
    lines.append(f'"." = "{rng.choice(["write", "write", "write", "read"])}"')
    for s in rng.sample(subs, rng.randrange(0, 4)):
        lines.append(f"'{s}' = \"{rng.choice(['read', 'write', 'read', 'read', 'write', 'deny'])}\"")
    alb = rng.random() < 0.3
    lines.append("[permissions.p.network]")
    lines.append(f"enabled = {'false' if net == 'off' else 'true'}")
    if alb:
        lines.append("allow_local_binding = true")
    env = {}
    if net == "proxy" or rng.random() < 0.3:
        choices = ["http://127.0.0.1:3128", "http://localhost:8080", "127.0.0.1:9000", "http://[::1]:7000",
                   "http://10.0.0.1:3128", "http://127.0.0.1", "socks5://user@127.0.0.1:1080/x"]
        env[rng.choice(URL_VARS)] = rng.choice(choices)
        if rng.random() < 0.5:
            env["CODEX_WINDOWS_SANDBOX_PROXY_PORTS"] = rng.choice(["8081", "8081, 9001", "x,5", "0"])
    if rng.random() < 0.1:
        env["CODEX_NETWORK_ALLOW_LOCAL_BINDING"] = "1"
    text = "\n".join(lines) + "\n"
    return text, env, net_model({"off": "off", "on": "on", "proxy": "managed"}[net], env, alb)


def check_random(job):
    sbxc, i, text, env, net = job
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "r.toml")
        with open(p, "w") as fh:
            fh.write(text)
        return check_profile(sbxc, p, env, net, False, f"random #{i}\n{text}{env}\n")


def main():
    sbxc, cases = sys.argv[1], sys.argv[2]
    nrandom = int(sys.argv[sys.argv.index("--random") + 1]) if "--random" in sys.argv else 0
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    fails, compiled, total, restricted, denied = [], 0, 0, 0, 0
    for name in sorted(os.listdir(cases)):
        if not name.endswith(".toml"):
            continue
        path = os.path.join(cases, name)
        cmdf = path[:-5] + ".cmd"
        env = {}
        if os.path.exists(cmdf):
            words = open(cmdf).read().split()
            for i, w in enumerate(words[:-1]):
                if w == "--proxy-env":
                    k, v = words[i + 1].split("=", 1)
                    env[k] = v
        f, ok = check_profile(sbxc, path, env, case_net(open(path).read(), env), True, name)
        fails += f
        compiled += bool(ok)
        restricted += ok.startswith("restricted")
        denied += ok.endswith("+deny")
        total += 1
    rng = random.Random(seed)
    jobs = [(sbxc, i, *random_profile(rng)) for i in range(nrandom)]
    with multiprocessing.Pool(2) as pool:
        for f, ok in pool.imap(check_random, jobs, chunksize=16):
            fails += f
            compiled += bool(ok)
            restricted += ok.startswith("restricted")
            denied += ok.endswith("+deny")
            total += 1
    for f in fails[:20]:
        print("FAIL", f)
    print(f"{total} profiles, {compiled} compiled for windows ({restricted} with a restricted read, {denied} of them with denied paths), "
          f"{len(fails)} disagreements")
    if total and not compiled:
        print("FAIL: no profile compiled")
        return 1
    if total > 10 and not restricted:
        print("FAIL: no profile with a restricted read compiled")
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
