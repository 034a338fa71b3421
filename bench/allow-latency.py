#!/usr/bin/env python3
"""How long `halt allow` takes to reach a running child: from the command's start to the start of
the child's first request that goes through, where every request before it was refused.

A run of `halt run --network proxy` whose child asks an origin on 127.0.0.1 for `live.test`
(answered by a DNS server of this script's, on 127.0.0.1) in a loop, printing each request's start
time and status; `halt allow live.test` from outside, timed; then `halt deny live.test` (until the
child is refused again) and again, ROUNDS times. Prints each round and the median. All traffic
stays on 127.0.0.1.

    bench/allow-latency.py [ROUNDS] [--direct]   (HALT=path/to/halt to use another launcher)

With --direct the change is sent by this script itself, one JSON line on the control socket (as any
tool may): what the mechanism costs without the start of a JVM for the command.
"""
import glob
import json
import http.server
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HALT = os.environ.get("HALT", os.path.join(HERE, "..", "bin", "halt"))
ROUNDS = next((int(a) for a in sys.argv[1:] if a.isdigit()), 10)
DIRECT = "--direct" in sys.argv[1:]


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def dns_server():
    """Answers A queries for *.test with 127.0.0.1, NXDOMAIN otherwise."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))

    def serve():
        while True:
            q, peer = s.recvfrom(512)
            i, labels = 12, []
            while q[i]:
                labels.append(q[i + 1:i + 1 + q[i]].decode().lower())
                i += 1 + q[i]
            qtype = struct.unpack(">H", q[i + 1:i + 3])[0]
            known = ".".join(labels).endswith(".test")
            record = known and qtype == 1
            r = q[:2] + bytes([0x81, 0x80 if known else 0x83]) + struct.pack(">HHHH", 1, 1 if record else 0, 0, 0) + q[12:i + 5]
            if record:
                r += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
            s.sendto(r, peer)

    threading.Thread(target=serve, daemon=True).start()
    return s.getsockname()[1]


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (curl -m 2): nothing to report


def control_socket():
    """The one run's socket and token, where halt keeps them for this user (see the README)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    uid = os.geteuid()
    candidates = ([os.path.join(runtime, "halt")] if runtime else []) + ["/run/user/%d/halt" % uid] \
        + (["/run/halt-0"] if uid == 0 else []) + ["/tmp/halt-%d" % uid]
    for d in candidates:
        # The newest: a socket left by a run killed earlier is older.
        socks = sorted(glob.glob(os.path.join(d, "*.sock")), key=os.path.getmtime, reverse=True)
        if socks:
            with open(socks[0][:-len(".sock")] + ".token") as f:
                return socks[0], f.read().strip()
    raise SystemExit("no control socket found")


def change(work, op):
    if not DIRECT:
        subprocess.run([HALT, op, "live.test"], cwd=work, check=True, stdout=subprocess.DEVNULL)
        return
    path, token = control_socket()
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall((json.dumps({"token": token, "op": op, "hosts": ["live.test"]}) + "\n").encode())
    reply = json.loads(s.makefile().readline())
    s.close()
    if not reply.get("ok"):
        raise SystemExit("%s refused: %s" % (op, reply))


def main():
    origin = QuietServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    port = origin.server_address[1]
    dns = dns_server()
    work = tempfile.mkdtemp(prefix="halt-allow-latency-")
    config = os.path.join(work, "proxy.toml")
    with open(config, "w") as f:
        f.write('[sandbox]\nnetwork = { mode = "proxy_only" }\n[proxy]\nupstream_dns = ["127.0.0.1:%d"]\n'
                'allow_local_destinations = true\n' % dns)
    child = ("while [ ! -e stop ]; do t=$(date +%%s%%N); c=$(curl -s -m 2 -o /dev/null -w '%%{http_code}' "
             "http://live.test:%d/); echo \"$t $c\"; done" % port)
    out = open(os.path.join(work, "child.out"), "w+")
    run = subprocess.Popen([HALT, "run", "--no-config", "--config", config, "--", "sh", "-c", child],
                           cwd=work, stdout=out, stderr=subprocess.DEVNULL)

    def lines():
        with open(out.name) as f:
            return [l.split() for l in f.read().splitlines() if len(l.split()) == 2]

    def await_status(status, after, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for t, c in lines():
                if c == status and int(t) >= after:
                    return int(t)
            time.sleep(0.005)
        raise SystemExit("no %s after %d ns" % (status, after))

    try:
        await_status("403", 0)
        latencies, commands = [], []
        for n in range(ROUNDS):
            start = time.time_ns()
            change(work, "allow")
            ended = time.time_ns()
            first = await_status("200", start)
            latencies.append((first - start) / 1e6)
            commands.append((ended - start) / 1e6)
            print("round %d: allowed %.0f ms after the allow started (which took %.0f ms)"
                  % (n + 1, latencies[-1], commands[-1]))
            change(work, "deny")
            await_status("403", time.time_ns())
        print("median: %.0f ms to the first allowed request; the allow itself %.0f ms (%d rounds, %s)"
              % (statistics.median(latencies), statistics.median(commands), ROUNDS,
                 "one JSON line on the socket" if DIRECT else "halt allow"))
    finally:
        open(os.path.join(work, "stop"), "w").close()
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            run.kill()
        origin.shutdown()


if __name__ == "__main__":
    main()
