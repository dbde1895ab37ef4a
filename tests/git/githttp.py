#!/usr/bin/env python3
"""githttp.py - a loopback smart-HTTP git server for the tests.

Runs `git http-backend` as a CGI for every request that carries a token
the bundled test IdP says is live (GET /_ctl/introspect): Basic with the
token as password, or Bearer.  Anything else gets 401 with
WWW-Authenticate offering Basic and Bearer.

  githttp.py --root DIR --idp https://127.0.0.1:PORT --cafile CA --state DIR
Writes DIR/port when ready; appends one line per request to DIR/log
(method, path, auth scheme, status) - never the token.
"""
import argparse
import http.server
import os
import ssl
import subprocess
import sys
import urllib.request

ARGS = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def note(self, scheme, status):
        with open(os.path.join(ARGS.state, "log"), "a") as f:
            f.write("%s %s %s %d\n" % (self.command, self.path.split("?")[0], scheme, status))

    def token_ok(self, header):
        req = urllib.request.Request(ARGS.idp + "/_ctl/introspect", headers={"Authorization": header})
        ctx = ssl.create_default_context(cafile=ARGS.cafile)
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                return r.status == 200
        except Exception:
            return False

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def handle_any(self):
        data = self.body()
        auth = self.headers.get("Authorization", "")
        scheme = auth.split(" ", 1)[0] if auth else "none"
        if not auth or not self.token_ok(auth):
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="optt-test-git"')
            self.send_header("WWW-Authenticate", 'Bearer realm="optt-test-git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.note(scheme, 401)
            return
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ARGS.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(data)),
            "REMOTE_USER": "optt-user",
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": ARGS.state,
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        p = subprocess.run(["git", "http-backend"], input=data, env=env, capture_output=True)
        head, _, out = p.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, out = p.stdout.partition(b"\n\n")
        status = 200
        headers = []
        for line in head.decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.strip().split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
        self.note(scheme, status)

    do_GET = handle_any
    do_POST = handle_any


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--idp", required=True)
    ap.add_argument("--cafile", required=True)
    ap.add_argument("--state", required=True)
    ARGS = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = os.path.join(ARGS.state, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, os.path.join(ARGS.state, "port"))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
