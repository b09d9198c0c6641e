#!/usr/bin/env python3
"""Posts whose body comes with their headers, and posts whose body comes a few milliseconds after them (as browsers
and many HTTP clients send them), one at a time, alternating, each on a new connection. Prints the time from the
last byte sent to the whole answer, median and 99th percentile, for each kind.

Usage: bench/split-body.py PORT TOKEN POSTS [DELAY_MS]     (the rooms are bench/seed.sql's)
"""
import random
import socket
import sys
import time


def post(port, token, split_ms):
    room = "%08x-0000-7000-8000-000000000000" % random.randint(1, 1000)
    body = b'{"chat":"benchmark message"}'
    head = ("POST /room/%s/chat HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (room, token, len(body))).encode()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if split_ms is None:
            connection.sendall(head + body)
        else:
            connection.sendall(head)
            time.sleep(split_ms / 1000)
            connection.sendall(body)
        sent = time.perf_counter()
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(65536)
        headers, _, rest = answer.partition(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in headers.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        while len(rest) < length:
            rest += connection.recv(65536)
        answered = time.perf_counter()
    status = int(headers.split(b" ")[1])
    if status != 201:
        raise SystemExit("a post was answered %d: %s" % (status, answer[:300]))
    return (answered - sent) * 1000


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main():
    port, token, posts = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    delay = float(sys.argv[4]) if len(sys.argv) > 4 else 5
    whole, split = [], []
    for _ in range(posts):
        whole.append(post(port, token, None))
        split.append(post(port, token, delay))
    print("RESULT whole_p50=%.2f whole_p99=%.2f split_p50=%.2f split_p99=%.2f"
          % (percentile(whole, 50), percentile(whole, 99), percentile(split, 50), percentile(split, 99)))


if __name__ == "__main__":
    main()
