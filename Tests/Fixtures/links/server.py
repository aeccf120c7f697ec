"""A web server on loopback for the link-check tests: one path per kind of answer.

Prints the port it listens on, then serves until killed. Counts the requests of each path and
answers them at /count?path=/x, so a test can see retries and the cache of answers.
"""
import http.server
import sys
import threading
import time
from collections import Counter

counts = Counter()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_one(self):
        path = self.path.split("?")[0]
        if path == "/count":
            asked = self.path.split("path=")[-1]
            with lock:
                n = counts[asked]
            return self.answer(200, str(n).encode())
        with lock:
            counts[path] += 1
            n = counts[path]
        if path == "/ok":
            return self.answer(200, b"fine")
        if path == "/missing":
            return self.answer(404, b"no")
        if path == "/moved":
            return self.answer(301, headers=[("Location", "/ok")])
        if path == "/silent":
            time.sleep(60)  # never answers within the test's timeout
            return self.answer(200)
        if path == "/flaky":  # fails once, then holds: a retry must pass it
            return self.answer(503 if n == 1 else 200)
        if path == "/get-only":  # refuses HEAD, as some servers do
            return self.answer(405 if self.command == "HEAD" else 200)
        return self.answer(404)

    do_GET = handle_one
    do_HEAD = handle_one

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
