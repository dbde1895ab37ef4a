#!/usr/bin/env python3
"""kubeapi.py - a loopback HTTPS stub of the Kubernetes API for the tests.

Answers what kubectl 1.20 asks for `kubectl get pods` and `kubectl
version` (GET /version, /api, /apis, /api/v1, /api/v1/namespaces/NS/pods)
when the request carries `Authorization: Bearer T` and the bundled test
IdP says T is a live access token (GET /_ctl/introspect); else 401 with a
Kubernetes Status, as an API server does.  Its own throwaway CA and
certificate (openssl), written for the kubeconfig's certificate-authority.

  kubeapi.py --state DIR --idp https://127.0.0.1:PORT --cafile IDP-CA
Writes DIR/ca.pem and, when ready, DIR/port; appends one line per request
to DIR/log (method, path, status) - never the token.
"""
import argparse
import http.server
import json
import os
import ssl
import subprocess
import sys
import urllib.request

ARGS = None
POD = {"metadata": {"name": "web-1", "namespace": "default", "creationTimestamp": "2024-01-01T00:00:00Z"},
       "status": {"phase": "Running"}}


def resources():
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1", "resources": [
        {"name": "pods", "singularName": "", "namespaced": True, "kind": "Pod",
         "verbs": ["get", "list"], "shortNames": ["po"], "categories": ["all"]},
        {"name": "namespaces", "singularName": "", "namespaced": False, "kind": "Namespace",
         "verbs": ["get", "list"], "shortNames": ["ns"]}]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        with open(os.path.join(ARGS.state, "log"), "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path.split("?")[0], status))

    def send(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.note(status)

    def live(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return False
        req = urllib.request.Request(ARGS.idp + "/_ctl/introspect", headers={"Authorization": auth})
        try:
            with urllib.request.urlopen(req, context=ssl.create_default_context(cafile=ARGS.cafile),
                                        timeout=10) as r:
                return r.status == 200
        except Exception:
            return False

    def do_GET(self):
        if not self.live():
            return self.send(401, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                   "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
        path = self.path.split("?")[0]
        if path == "/version":
            return self.send(200, {"major": "1", "minor": "20", "gitVersion": "v1.20.2-optt-stub",
                                   "platform": "linux/amd64"})
        if path == "/api":
            return self.send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if path == "/apis":
            return self.send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if path == "/api/v1":
            return self.send(200, resources())
        if path.startswith("/api/v1/namespaces/") and path.endswith("/pods"):
            accept = self.headers.get("Accept", "")
            if "as=Table" in accept:
                return self.send(200, {
                    "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
                    "columnDefinitions": [{"name": "Name", "type": "string", "format": "name", "priority": 0,
                                           "description": "name"},
                                          {"name": "Status", "type": "string", "format": "", "priority": 0,
                                           "description": "phase"}],
                    "rows": [{"cells": ["web-1", "Running"], "object": {"kind": "PartialObjectMetadata",
                              "apiVersion": "meta.k8s.io/v1", "metadata": POD["metadata"]}}]})
            return self.send(200, {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
                                   "items": [dict(POD, kind="Pod", apiVersion="v1")]})
        return self.send(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                               "message": "not found", "reason": "NotFound", "code": 404})


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--idp", required=True)
    ap.add_argument("--cafile", required=True)
    ARGS = ap.parse_args()
    d = ARGS.state
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=optt test kube CA", "-keyout", os.path.join(d, "ca.key"), "-out", os.path.join(d, "ca.pem"))
    with open(os.path.join(d, "ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=kubeapi",
            "-keyout", os.path.join(d, "srv.key"), "-out", os.path.join(d, "srv.csr"))
    openssl("x509", "-req", "-in", os.path.join(d, "srv.csr"), "-CA", os.path.join(d, "ca.pem"), "-CAkey",
            os.path.join(d, "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", os.path.join(d, "ext"),
            "-out", os.path.join(d, "srv.pem"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, "srv.pem"), os.path.join(d, "srv.key"))
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(os.path.join(d, "port.tmp"), "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
