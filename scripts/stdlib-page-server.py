#!/usr/bin/env python3
"""The baseline of scripts/bench-server.sh: Python's standard-library HTTP server, as it comes
(HTTP/1.0: a connection a request), answering every GET with the same 100 contacts (read once from
the JSON file given, as ventia-server answered it) encoded as JSON for each request, as a server
that keeps records rather than bytes does. Prints its port, then serves until killed.

    python3 scripts/stdlib-page-server.py page.json
"""
import http.server
import json
import sys


def main():
    with open(sys.argv[1], "rb") as file:
        contacts = json.load(file)

    class PageHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            page = json.dumps(contacts).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

        def handle(self):
            # wrk closing its connections at the end is not worth a traceback.
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
