# client.py TCP UDP: runs inside the sandbox and prints one line per check:
# "NAME ok DETAIL" or "NAME fail DETAIL". The suite decides what it expects.
import os
import socket
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

tcp, udp = int(sys.argv[1]), int(sys.argv[2])


def line(name, ok, detail):
    print("%s %s %s" % (name, "ok" if ok else "fail", detail), flush=True)


for var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
    print("env %s %s" % (var, os.environ.get(var, "-")), flush=True)


def get(name, url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            line(name, True, "%d %s" % (r.status, r.read().decode().strip()))
    except urllib.error.HTTPError as e:
        line(name, False, "http %d" % e.code)
    except Exception as e:
        line(name, False, type(e).__name__)


get("allowed", "http://allowed.test/a")
get("denied", "http://denied.test/d")

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(3)
try:
    s.connect(("127.0.0.1", tcp))
    line("direct-tcp", True, "connected")
except OSError as e:
    line("direct-tcp", False, e.strerror or type(e).__name__)
s.close()

try:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(5):
        u.sendto(b"from the sandbox", ("127.0.0.1", udp))
    line("udp-send", True, "sent")
except OSError as e:
    line("udp-send", False, e.strerror or type(e).__name__)

try:
    socket.getaddrinfo("example.com", 80)
    line("dns", True, "resolved")
except OSError as e:
    line("dns", False, type(e).__name__)

try:
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    line("unix-socket", True, "created")
except OSError as e:
    line("unix-socket", False, e.strerror or type(e).__name__)

port = urlsplit(os.environ.get("http_proxy", "http://x:0")).port
line("proxy-port", port is not None and port != tcp, "%s" % port)
