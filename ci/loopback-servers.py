#!/usr/bin/env python3
"""Test servers on 127.0.0.1 for the smoke scripts, nothing else reached.

An HTTP origin answers every GET with "hello-smoke". A DNS server (UDP) answers an A query for
each name given on the command line with 127.0.0.1, any other type for those names with no
record, and every other name with NXDOMAIN: halt's proxy, pointed at it by `upstream_dns`,
then resolves the test names to loopback and nothing else. Prints "http=PORT dns=PORT" once
both listen; exits by itself after --seconds (default 600), or when killed.
"""
import argparse
import http.server
import socket
import struct
import threading

BODY = b"hello-smoke\n"


class Origin(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


def answer(query, names):
    """The reply to one DNS query, or None for a packet that is not one."""
    if len(query) < 17:
        return None
    i, labels = 12, []
    while i < len(query) and query[i] != 0:
        length = query[i]
        if length > 63 or i + 1 + length >= len(query):
            return None
        labels.append(query[i + 1:i + 1 + length].decode("ascii", "replace").lower())
        i += 1 + length
    end = i + 5
    if i >= len(query) or end > len(query):
        return None
    qtype = struct.unpack(">H", query[i + 1:i + 3])[0]
    name = ".".join(labels)
    known = name in names
    records = b""
    if known and qtype == 1:
        records = struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    flags = 0x8180 if known else 0x8183
    header = query[:2] + struct.pack(">HHHHH", flags, 1, 1 if records else 0, 0, 0)
    return header + query[12:end] + records


def serve_dns(sock, names):
    while True:
        try:
            query, peer = sock.recvfrom(512)
        except OSError:
            return
        reply = answer(query, names)
        if reply is not None:
            sock.sendto(reply, peer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="names that resolve to 127.0.0.1")
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()
    names = {n.lower().rstrip(".") for n in args.names}

    origin = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.1", 0))
    threading.Thread(target=serve_dns, args=(dns, names), daemon=True).start()

    print("http=%d dns=%d" % (origin.server_address[1], dns.getsockname()[1]), flush=True)
    threading.Event().wait(args.seconds)


if __name__ == "__main__":
    main()
