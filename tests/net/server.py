# server.py PORTFILE SECONDS: the net suite's local peer, on loopback only.
#
# One TCP port speaks HTTP and answers any request, an absolute-URI one as
# an upstream proxy would, with "upstream-ok HOST PATH"; one UDP port counts
# the datagrams it receives. PORTFILE gets "TCP UDP" once both listen, and
# the count of datagrams is appended to PORTFILE.udp as they come. The
# server leaves after SECONDS whatever happens (the suite also kills it).
import http.server
import socket
import socketserver
import sys
import threading
import time
from urllib.parse import urlsplit

portfile, seconds = sys.argv[1], float(sys.argv[2])


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        u = urlsplit(self.path)
        body = ("upstream-ok %s %s\n" % (u.hostname or "-", u.path or self.path)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True


httpd = Server(("127.0.0.1", 0), Handler)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))


def count_udp():
    n = 0
    while True:
        udp.recvfrom(2048)
        n += 1
        with open(portfile + ".udp", "w") as f:
            f.write("%d\n" % n)


threading.Thread(target=httpd.serve_forever, daemon=True).start()
threading.Thread(target=count_udp, daemon=True).start()
with open(portfile + ".tmp", "w") as f:
    f.write("%d %d\n" % (httpd.server_address[1], udp.getsockname()[1]))
import os

os.rename(portfile + ".tmp", portfile)
time.sleep(seconds)
