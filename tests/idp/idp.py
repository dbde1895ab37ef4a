#!/usr/bin/env python3
"""Bundled test identity provider for optt-auth.

Emulates, on loopback only, the three seed APIs exactly as documented
(OPTT password grant with parameters in the query string, Octorate identity
API with form bodies and grant_type=code, DDI Central client credentials
with a JSON body) plus a plain RFC 6749 token endpoint.  Requests of the
wrong shape are refused the way a strict server would.

Test control, on the same server under /_ctl/ (never counted):
  GET  /_ctl/counters                      JSON {endpoint: requests}
  POST /_ctl/reset                         counters, faults, revocations
  POST /_ctl/fault?mode=M[&count=N][&endpoint=E][&delay=S]
                                           inject a fault (see FAULTS)
  POST /_ctl/config?lifetime=SECONDS       lifetime of tokens issued next
  POST /_ctl/revoke?what=access|refresh|all
  GET  /_ctl/introspect  (Authorization: Bearer T, or Basic x:T)
                                           200 if T is a live access token
  GET  /_ctl/issued                        JSON {access_token, refresh_token}
                                           of the last grant (memory scans)
  POST /_ctl/device?action=approve&user=U  the newest pending, unexpired device code (or
       /_ctl/device?action=deny|expire      &user_code=C) approved as U, denied,
                                           or expired
  POST /_ctl/config?device_interval=S&device_expires=S&slow_down=N
                                           &discovery_issuer=URL
                                           &discovery_token_endpoint=URL
                                           &refresh_lifetime=S (refresh_expires_in)
                                           &verification_uri=U&verification_uri_complete=U
                                           (the device answer's URIs as given; "" restores
                                           ours, "-" leaves the member out;
                                           device_complete=0 is verification_uri_complete=-)
  POST /_ctl/account?user=U[&password=P]   the account's password changes (none
                                           given: disabled, no password works)
  POST /_ctl/subject?user=U&sub=S          U's tokens name subject S (S empty: U)
  POST /_ctl/claims?user=U[&token=access|id|both]   (SPEC §16 tests)
       body: a JSON object of claims      added to (or replacing) the claims of U's
                                           next access tokens (password and device
                                           grants; their refreshes keep them) and/or
                                           of the device grant's ID token; an empty
                                           body or {} clears them (default: both)
RFC 8628 device grant: POST /rfc/device (counter rfc_device), polled at
/rfc/token (counters device_poll, device_too_fast for polls sooner than the
interval, device_token); the token response carries an id_token with
preferred_username (faults idtoken_iss, idtoken_aud, idtoken_exp, taken
at endpoint device_id_token, make it another issuer's, another client's,
or expired).  OIDC discovery: GET /rfc/.well-known/openid-configuration
(counter discovery).  An account with "mfa": true has its password grant
answered interaction_required.

Start: idp.py --state DIR [--fixture FILE] [--plain]
TLS faults (wrongca, wronghost) spare connections whose SNI is
ctl.optt.test: use it for /_ctl/ (curl --resolve ctl.optt.test:PORT:127.0.0.1).
Writes DIR/ca.pem (the throwaway CA), DIR/port and DIR/pid when ready.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import os
import secrets
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

FAULTS = {"500", "502", "503", "504", "429", "404", "slow", "latency", "malformed", "noaccess",
          "emptyaccess", "nonobject", "html", "big", "redirect", "close", "reset",
          "wrongca", "wronghost", "invalid_client", "expires_negative",
          "expires_string", "expires_huge", "expires_garbage", "expires_zero",
          "forge_error", "jwt_exp_min", "jwt_exp_huge", "expiredate_far",
          "idtoken_iss", "idtoken_aud", "idtoken_exp"}
# faults that change the device grant's ID token instead of the answer
IDTOKEN_FAULTS = {"idtoken_iss", "idtoken_aud", "idtoken_exp"}

LOCK = threading.Lock()
# Tests reach /_ctl/ under this TLS server name (curl --resolve), so TLS
# faults, which apply to every other connection, never cut them off.
CONTROL_NAME = "ctl.optt.test"


class State:
    def __init__(self, fixture):
        self.fixture = fixture
        self.lifetime = int(fixture.get("lifetime", 3600))
        self.key = secrets.token_bytes(32)
        self.reset()

    def reset(self):
        self.counters = {}
        self.fault = None  # dict(mode, count, endpoint, delay)
        self.access = {}   # token -> dict(sub, exp, revoked)
        self.refresh = {}  # token -> dict(sub, client, dialect, revoked)
        self.codes = {}    # code -> dict(client, redirect_uri, exp, used)
        self.last = {}     # the tokens of the last grant
        self.devices = {}  # device_code -> dict(user_code, client, exp, interval, last, state, user)
        self.device_interval = 5
        self.device_expires = 300
        self.slow_down = 0        # answer slow_down to this many next polls
        self.discovery_issuer = None
        self.discovery_token_endpoint = None
        self.refresh_lifetime = None  # refresh_expires_in of the grants that follow
        self.subjects = {}        # user -> the `sub` its next tokens carry (a recycled name)
        self.verification_uri = None           # the device answer's, when set
        self.verification_uri_complete = None  # ("-": left out)
        self.claims = {}          # user -> {"access": {...}, "id": {...}}: claims of its next tokens

    def claims_for(self, user, where):
        with LOCK:
            return dict(self.claims.get(user, {}).get(where, {}))

    def count(self, name, total=False):
        with LOCK:
            self.counters[name] = self.counters.get(name, 0) + 1
            if total:
                self.counters["total"] = self.counters.get("total", 0) + 1

    def take_fault(self, endpoint, tls=False):
        with LOCK:
            f = self.fault
            if f is None:
                return None
            if tls != (f["mode"] in ("wrongca", "wronghost")):
                return None
            if f["endpoint"] and endpoint and f["endpoint"] != endpoint:
                return None
            if f["count"] is not None:
                f["count"] -= 1
                if f["count"] <= 0:
                    self.fault = None
            return dict(f)

    def generated(self, username):
        """Users that exist only here (SPEC §15 tests): any name with one of
        the fixture's "generated" prefixes, with that prefix's password."""
        for g in self.fixture.get("generated", []):
            if username.startswith(g["prefix"]) and len(username) > len(g["prefix"]):
                return {"username": username, "password": g["password"], "claims": dict(g.get("claims", {}))}
        return None

    def account_named(self, username):
        for a in self.fixture["accounts"]:
            if a["username"] == username:
                return a
        return self.generated(username)

    def account(self, username, password):
        for a in self.fixture["accounts"] + ([self.generated(username)] if self.generated(username) else []):
            if a["username"] == username and hmac.compare_digest(a["password"].encode(), password.encode()):
                return a
        return None

    def client(self, client_id, client_secret, dialect):
        for c in self.fixture["clients"]:
            if c["client_id"] == client_id and dialect in c["dialects"]:
                if client_secret is None and c.get("public"):
                    return c
                if client_secret is not None and hmac.compare_digest(
                        c["client_secret"].encode(), client_secret.encode()):
                    return c
        return None

    def jwt(self, claims):
        def b64(d):
            return base64.urlsafe_b64encode(d).rstrip(b"=").decode()
        h = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        p = b64(json.dumps(claims).encode())
        s = b64(hmac.new(self.key, (h + "." + p).encode(), hashlib.sha256).digest())
        return h + "." + p + "." + s

    def issue(self, sub, client, dialect, refresh=True, extra=None, opaque=False):
        now = int(time.time())
        exp = now + self.lifetime
        fixed = [c.get("fixed_token") for c in self.fixture["clients"]
                 if c.get("client_id") == client and c.get("fixed_token")]
        if fixed:
            at = fixed[0]  # e.g. a registry whose htpasswd holds this token
        elif opaque:
            at = secrets.token_hex(28)
        else:
            claims = {"exp": exp, "iat": now, "sub": self.subjects.get(sub, sub), "user_name": sub,
                      "client_id": client, "scope": ["read", "write"],
                      "jti": secrets.token_hex(8)}
            claims.update(extra or {})
            at = self.jwt(claims)
        rt = secrets.token_urlsafe(32) if refresh else None
        with LOCK:
            self.access[at] = {"sub": sub, "exp": exp, "revoked": False}
            if rt:
                self.refresh[rt] = {"sub": sub, "client": client, "dialect": dialect,
                                    "extra": extra or {}, "revoked": False}
            self.last = {"access_token": at, "refresh_token": rt}
        return at, rt, exp

    def use_refresh(self, rt, dialect, client):
        with LOCK:
            r = self.refresh.get(rt)
            if r is None or r["revoked"] or r["dialect"] != dialect:
                return None
            if client is not None and r["client"] != client:
                return None
            return r


def iso(exp):
    return datetime.datetime.fromtimestamp(exp, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.") + "%03dZ" % 178


class Handler(http.server.BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body writes
    protocol_version = "HTTP/1.1"
    server_version = "optt-test-idp/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("idp: %s %s\n" % (self.command, self.path.split("?")[0]))

    # --- helpers --------------------------------------------------------
    def send_json(self, code, obj, extra_headers=()):
        body = json.dumps(obj).encode()
        self.send_raw(code, body, "application/json;charset=UTF-8", extra_headers)

    def send_raw(self, code, body, ctype, extra_headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in extra_headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def oauth_error(self, code, error, desc=None):
        obj = {"error": error}
        if desc:
            obj["error_description"] = desc
        self.send_json(code, obj)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 1 << 20:
            raise ValueError("body too large")
        return self.rfile.read(n) if n else b""

    def query(self):
        q = urllib.parse.urlsplit(self.path).query
        return urllib.parse.parse_qs(q, keep_blank_values=True), q

    @staticmethod
    def one(params, k):
        v = params.get(k)
        if v is None or len(v) != 1:
            return None
        return v[0]

    def form(self, body):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            return None
        try:
            return urllib.parse.parse_qs(body.decode("utf-8", "strict"), keep_blank_values=True,
                                         strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            return None

    def basic(self):
        h = self.headers.get("Authorization")
        if not h or not h.startswith("Basic "):
            return None
        try:
            raw = base64.b64decode(h[6:], validate=True).decode()
            i, s = raw.split(":", 1)
            return urllib.parse.unquote_plus(i), urllib.parse.unquote_plus(s)
        except Exception:
            return ("", "")

    # --- faults ---------------------------------------------------------
    def apply_fault(self, endpoint):
        f = self.server.state.take_fault(endpoint)
        if f is None:
            return False
        m = f["mode"]
        if m == "latency":
            time.sleep(f["delay"])
            return False
        if m in IDTOKEN_FAULTS:
            return False  # device_poll takes it
        if m in ("500", "502", "503", "504", "429", "404"):
            self.send_json(int(m), {"error": "server_error"} if m != "404" else {"error": "not_found"})
        elif m == "slow":
            time.sleep(f["delay"])
            self.send_json(200, {"access_token": "late", "expires_in": 60})
        elif m == "malformed":
            self.send_raw(200, b'{"access_token": "abc", "expires_in": ', "application/json")
        elif m == "noaccess":
            self.send_json(200, {"token_type": "bearer", "expires_in": 60})
        elif m == "emptyaccess":
            self.send_json(200, {"access_token": "", "expires_in": 60})
        elif m == "nonobject":
            self.send_json(200, ["access_token", "x"])
        elif m == "html":
            self.send_raw(200, b"<html><body>Login</body></html>", "text/html")
        elif m == "big":
            self.send_raw(200, b'{"access_token": "' + b"A" * (2 << 20) + b'"}', "application/json")
        elif m == "redirect":
            self.send_raw(302, b"", "text/plain", [("Location", "https://other.invalid/token")])
        elif m == "invalid_client":
            self.oauth_error(401, "invalid_client", "Bad client credentials")
        elif m == "forge_error":  # a provider whose texts try to add log fields
            self.oauth_error(400, "invalid_grant user=root outcome=success",
                             "x\nuser=root profile=optt outcome=success http=200")
        elif m in ("jwt_exp_min", "jwt_exp_huge", "expiredate_far"):
            # expiry sources other than expires_in, at the extremes
            exp = {"jwt_exp_min": -2 ** 63, "jwt_exp_huge": 2 ** 63 - 1}.get(m)
            if exp is None:
                at, _, _ = self.server.state.issue("x", "x", "fault", refresh=False)
                obj = {"access_token": at, "expireDate": "9999-12-31T23:59:59.000Z"}
            else:
                obj = {"access_token": self.server.state.jwt({"exp": exp, "sub": "x"}),
                       "token_type": "bearer"}
            self.send_json(200, obj)
        elif m == "close":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 400\r\n\r\n{\"access_token\": \"abc")
            self.wfile.flush()
            self.close_connection = True
            self.request.close()
        elif m == "reset":
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.request.close()
        elif m.startswith("expires_"):
            value = {"expires_negative": -5, "expires_string": "120", "expires_zero": 0,
                     "expires_huge": 10 ** 15, "expires_garbage": "soon"}[m]
            at, _, _ = self.server.state.issue("x", "x", "fault", refresh=False)
            self.send_json(200, {"access_token": at, "token_type": "bearer", "expires_in": value})
        return True

    # --- dispatch -------------------------------------------------------
    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_ctl/counters":
            with LOCK:
                return self.send_json(200, dict(self.server.state.counters))
        if path == "/_ctl/introspect":
            return self.introspect()
        if path == "/_ctl/issued":
            with LOCK:
                return self.send_json(200, dict(self.server.state.last))
        if path in ("/rest/v1/identity/authorize", "/rfc/authorize"):
            return self.authorize(path)
        if path == "/rfc/.well-known/openid-configuration":
            self.server.state.count("discovery")
            if self.apply_fault("discovery"):
                return
            base = "https://%s/rfc" % self.headers.get("Host", "127.0.0.1")
            return self.send_json(200, {
                "issuer": self.server.state.discovery_issuer or base,
                "token_endpoint": self.server.state.discovery_token_endpoint or base + "/token",
                "authorization_endpoint": base + "/authorize",
                "device_authorization_endpoint": base + "/device",
                "grant_types_supported": ["authorization_code", "client_credentials", "password",
                                          "refresh_token",
                                          "urn:ietf:params:oauth:grant-type:device_code"],
                "code_challenge_methods_supported": ["S256"]})
        self.send_json(404, {"error": "not_found"})

    def do_POST(self):
        try:
            body = self.read_body()
        except ValueError:
            return self.send_json(413, {"error": "too_large"})
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_ctl/"):
            return self.control(path, body)
        routes = {
            "/gateway/uaa/oauth/token": self.optt,
            "/rest/v1/identity/apilogin": self.octo_apilogin,
            "/rest/v1/identity/token": self.octo_token,
            "/rest/v1/identity/refresh": self.octo_refresh,
            "/oauth2/token/": self.ddi,
            "/rfc/token": self.rfc,
            "/rfc/device": self.rfc_device,
        }
        fn = routes.get(path)
        name = {"/gateway/uaa/oauth/token": "optt_token", "/rest/v1/identity/apilogin": "octo_apilogin",
                "/rest/v1/identity/token": "octo_token", "/rest/v1/identity/refresh": "octo_refresh",
                "/oauth2/token/": "ddi_token", "/rfc/token": "rfc_token",
                "/rfc/device": "rfc_device"}.get(path, "unknown")
        self.server.state.count(name, total=True)
        if fn is None:
            return self.send_json(404, {"error": "not_found"})
        if self.apply_fault(name):
            return
        if "application/json" not in (self.headers.get("Accept") or ""):
            return self.oauth_error(406, "invalid_request", "Accept: application/json required")
        fn(body)

    def control(self, path, body=b""):
        st = self.server.state
        q, _ = self.query()
        if path == "/_ctl/claims":
            user, where = self.one(q, "user"), self.one(q, "token") or "both"
            if not user or where not in ("access", "id", "both"):
                return self.send_json(400, {"error": "user=U[&token=access|id|both]"})
            try:
                claims = json.loads(body) if body.strip() else {}
            except ValueError:
                return self.send_json(400, {"error": "the body is not JSON"})
            if not isinstance(claims, dict):
                return self.send_json(400, {"error": "the body is not a JSON object"})
            with LOCK:
                c = st.claims.setdefault(user, {})
                for w in (("access", "id") if where == "both" else (where,)):
                    c[w] = claims
            return self.send_json(200, {"ok": True})
        if path == "/_ctl/reset":
            with LOCK:
                st.reset()
            return self.send_json(200, {"ok": True})
        if path == "/_ctl/fault":
            mode = self.one(q, "mode")
            if mode == "none":
                with LOCK:
                    st.fault = None
                return self.send_json(200, {"ok": True})
            if mode not in FAULTS:
                return self.send_json(400, {"error": "unknown fault"})
            count = self.one(q, "count")
            with LOCK:
                st.fault = {"mode": mode, "count": int(count) if count else None,
                            "endpoint": self.one(q, "endpoint"),
                            "delay": float(self.one(q, "delay") or (0.1 if mode == "latency" else 30))}
            return self.send_json(200, {"ok": True})
        if path == "/_ctl/device":
            action, user, uc = self.one(q, "action"), self.one(q, "user"), self.one(q, "user_code")
            with LOCK:
                now = time.time()
                pending = [(k, d) for k, d in st.devices.items() if d["state"] == "pending" and
                           d["exp"] > now and (uc is None or d["user_code"] == uc)]
                if not pending:
                    return self.send_json(404, {"error": "no pending device code"})
                k, d = max(pending, key=lambda kd: kd[1]["created"])
                if action == "approve" and user:
                    d["state"], d["user"] = "approved", user
                elif action == "deny":
                    d["state"] = "denied"
                elif action == "expire":
                    d["exp"] = 0
                else:
                    return self.send_json(400, {"error": "action=approve&user=U, deny or expire"})
            return self.send_json(200, {"ok": True, "user_code": d["user_code"]})
        if path == "/_ctl/subject":
            # /_ctl/subject?user=U&sub=S: U's tokens now name subject S (S empty: U again)
            with LOCK:
                st.subjects[self.one(q, "user") or ""] = self.one(q, "sub") or self.one(q, "user")
            return self.send_json(200, {"ok": True})
        if path == "/_ctl/config":
            for k in ("device_interval", "device_expires", "slow_down"):
                if self.one(q, k) is not None:
                    setattr(st, k, int(self.one(q, k)))
            if self.one(q, "discovery_issuer") is not None:
                st.discovery_issuer = self.one(q, "discovery_issuer") or None
            if self.one(q, "discovery_token_endpoint") is not None:
                st.discovery_token_endpoint = self.one(q, "discovery_token_endpoint") or None
            if self.one(q, "refresh_lifetime") is not None:
                st.refresh_lifetime = int(self.one(q, "refresh_lifetime")) or None
            for k in ("verification_uri", "verification_uri_complete"):
                if self.one(q, k) is not None:
                    setattr(st, k, self.one(q, k) or None)
            if self.one(q, "device_complete") is not None:
                st.verification_uri_complete = None if self.one(q, "device_complete") == "1" else "-"
            if self.one(q, "lifetime") is not None:
                st.lifetime = int(self.one(q, "lifetime"))
            return self.send_json(200, {"ok": True})
        if path == "/_ctl/account":
            # the provider changes an account's password (or disables it: no
            # password works): the old one is then rejected
            a = st.account_named(self.one(q, "user") or "")
            if a is None:
                return self.send_json(404, {"error": "no such account"})
            with LOCK:
                a["password"] = self.one(q, "password") or secrets.token_hex(16)
            return self.send_json(200, {"ok": True})
        if path == "/_ctl/revoke":
            what = self.one(q, "what") or "all"
            with LOCK:
                if what in ("access", "all"):
                    for v in st.access.values():
                        v["revoked"] = True
                if what in ("refresh", "all"):
                    for v in st.refresh.values():
                        v["revoked"] = True
            return self.send_json(200, {"ok": True})
        self.send_json(404, {"error": "not_found"})

    def introspect(self):
        h = self.headers.get("Authorization") or ""
        tok = None
        if h.startswith("Bearer "):
            tok = h[7:]
        elif h.startswith("Basic "):
            try:
                tok = base64.b64decode(h[6:]).decode().split(":", 1)[1]
            except Exception:
                tok = None
        with LOCK:
            a = self.server.state.access.get(tok) if tok else None
            live = a is not None and not a["revoked"] and a["exp"] > time.time()
        if live:
            return self.send_json(200, {"active": True, "sub": a["sub"]})
        self.send_json(401, {"active": False})

    def authorize(self, path):
        q, _ = self.query()
        st = self.server.state
        cid, ruri, state = self.one(q, "client_id"), self.one(q, "redirect_uri"), self.one(q, "state")
        dialect = "octorate" if path.startswith("/rest/") else "oauth2"
        ok = any(c["client_id"] == cid and dialect in c["dialects"] for c in st.fixture["clients"])
        if not ok or not ruri:
            return self.oauth_error(400, "invalid_request", "unknown client or no redirect_uri")
        challenge, method = self.one(q, "code_challenge"), self.one(q, "code_challenge_method")
        if challenge is not None and method != "S256":  # S256 only (RFC 7636 §4.2)
            return self.oauth_error(400, "invalid_request", "code_challenge_method must be S256")
        code = secrets.token_urlsafe(16)
        with LOCK:
            st.codes[code] = {"client": cid, "redirect_uri": ruri, "exp": time.time() + 60,
                              "used": False, "challenge": challenge}
        sep = "&" if "?" in ruri else "?"
        loc = ruri + sep + urllib.parse.urlencode({"code": code, "state": state or ""})
        self.send_raw(302, b"", "text/plain", [("Location", loc)])

    def take_code(self, code, cid, ruri, verifier=None, pkce=False):
        """Redeem a code once.  With pkce (the RFC endpoint): a code issued
        with a challenge needs the matching S256 verifier; counters
        pkce_verified / pkce_failed / pkce_missing (redeemed with none)."""
        st = self.server.state
        with LOCK:
            c = st.codes.get(code)
            if c is None or c["used"] or c["exp"] < time.time() or c["client"] != cid or \
               c["redirect_uri"] != ruri:
                return False
            c["used"] = True
            challenge = c.get("challenge")
        if pkce and verifier is None:
            st.count("pkce_missing")
        if pkce and challenge is not None:
            if verifier is None or not (43 <= len(verifier) <= 128):
                st.count("pkce_failed")
                return False
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
            if not hmac.compare_digest(digest.decode(), challenge):
                st.count("pkce_failed")
                return False
            st.count("pkce_verified")
        return True

    # --- OPTT (seed 000) ------------------------------------------------
    def optt(self, body):
        st = self.server.state
        q, raw = self.query()
        if body:
            return self.oauth_error(400, "invalid_request",
                                    "parameters must be sent in the query string")
        b = self.basic()
        if b is not None and st.client(b[0], b[1], "optt") is None:
            return self.oauth_error(401, "invalid_client", "Bad client credentials")
        gt = self.one(q, "grant_type")
        if gt == "password":
            u, p = self.one(q, "username"), self.one(q, "password")
            if u is None or p is None:
                return self.oauth_error(400, "invalid_request", "username and password required")
            a = st.account(u, p)
            if a is None:
                return self.oauth_error(400, "invalid_grant", "Bad credentials")
            if a.get("mfa"):
                return self.oauth_error(400, "interaction_required", "a second factor is required")
            extra = dict(a.get("claims", {}), authorities=["INSTITUTE"])
            extra.update(st.claims_for(u, "access"))
            at, rt, _ = st.issue(u, b[0] if b else "optt-anonymous", "optt", extra=extra)
            st.count("optt_password")
            obj = {"access_token": at, "token_type": "bearer", "refresh_token": rt,
                   "expires_in": st.lifetime - 1, "scope": "read write", "jti": secrets.token_hex(8)}
            if st.refresh_lifetime:
                obj["refresh_expires_in"] = st.refresh_lifetime
            return self.send_json(200, obj)
        if gt == "refresh_token":
            r = st.use_refresh(self.one(q, "refresh_token") or "", "optt", None)
            if r is None:
                return self.oauth_error(400, "invalid_grant", "Invalid refresh token")
            at, _, _ = st.issue(r["sub"], r["client"], "optt", refresh=False, extra=r["extra"])
            st.count("optt_refresh")
            return self.send_json(200, {"access_token": at, "token_type": "bearer",
                                        "expires_in": st.lifetime - 1, "scope": "read write"})
        return self.oauth_error(400, "unsupported_grant_type",
                                "Unsupported grant type: %s" % (gt or ""))

    # --- Octorate (seed 001) --------------------------------------------
    def octo_form(self, body):
        _, raw = self.query()
        if raw:
            self.oauth_error(400, "invalid_request", "use form params, not the query string")
            return None
        f = self.form(body)
        if f is None:
            self.oauth_error(415, "invalid_request",
                             "Content-Type: application/x-www-form-urlencoded required")
            return None
        c = self.server.state.client(self.one(f, "client_id") or "", self.one(f, "client_secret") or "",
                                     "octorate")
        if c is None:
            self.oauth_error(401, "invalid_client", "Bad client credentials")
            return None
        return f

    def octo_reply(self, at, rt, exp):
        obj = {"access_token": at, "expireDate": iso(exp)}
        if rt:
            obj["refresh_token"] = rt
        self.send_json(200, obj)

    def octo_apilogin(self, body):
        f = self.octo_form(body)
        if f is None:
            return
        at, _, exp = self.server.state.issue(self.one(f, "client_id"), self.one(f, "client_id"),
                                             "octorate", refresh=False, opaque=True)
        self.octo_reply(at, None, exp)

    def octo_token(self, body):
        f = self.octo_form(body)
        if f is None:
            return
        if self.one(f, "grant_type") != "code":
            return self.oauth_error(400, "unsupported_grant_type", "grant_type must be code")
        cid = self.one(f, "client_id")
        if not self.take_code(self.one(f, "code") or "", cid, self.one(f, "redirect_uri")):
            return self.oauth_error(400, "invalid_grant", "invalid or expired code")
        at, rt, exp = self.server.state.issue(cid, cid, "octorate", opaque=True)
        self.octo_reply(at, rt, exp)

    def octo_refresh(self, body):
        f = self.octo_form(body)
        if f is None:
            return
        st = self.server.state
        r = st.use_refresh(self.one(f, "refresh_token") or "", "octorate", self.one(f, "client_id"))
        if r is None:
            return self.oauth_error(400, "invalid_grant", "invalid refresh token")
        at, _, exp = st.issue(r["sub"], r["client"], "octorate", refresh=False, opaque=True)
        st.count("octo_refresh_ok")
        self.octo_reply(at, None, exp)

    # --- DDI Central (seed 002) -----------------------------------------
    def ddi(self, body):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return self.oauth_error(415, "invalid_request", "Content-Type: application/json required")
        try:
            obj = json.loads(body)
        except ValueError:
            return self.oauth_error(400, "invalid_request", "malformed JSON")
        if not isinstance(obj, dict) or not all(isinstance(obj.get(k), str) for k in
                                                ("client_id", "client_secret", "grant_type")):
            return self.oauth_error(400, "invalid_request", "client_id, client_secret, grant_type required")
        if obj["grant_type"] != "client_credentials":
            return self.oauth_error(400, "unsupported_grant_type", "client_credentials only")
        if self.server.state.client(obj["client_id"], obj["client_secret"], "ddi") is None:
            return self.oauth_error(401, "invalid_client", "Bad client credentials")
        at, _, _ = self.server.state.issue(obj["client_id"], obj["client_id"], "ddi",
                                           refresh=False, opaque=True)
        self.send_json(200, {"access_token": at, "expires_in": min(1800, self.server.state.lifetime),
                             "token_type": "Bearer", "scope": "read write"})

    # --- plain RFC 6749 -------------------------------------------------
    def rfc_request(self, body):
        """The form and the client of an RFC endpoint's request: (form,
        client_id, client or None), or None when an error was answered."""
        _, raw = self.query()
        f = self.form(body)
        if raw or f is None:
            self.oauth_error(400, "invalid_request", "form body required")
            return None
        b = self.basic()
        if b is not None and "client_id" in f and "client_secret" in f:
            self.oauth_error(400, "invalid_request", "one client authentication method only")
            return None
        cid, csec = b if b is not None else (self.one(f, "client_id"), self.one(f, "client_secret"))
        return f, cid, self.server.state.client(cid, csec, "oauth2") if cid else None

    def rfc(self, body):
        st = self.server.state
        req = self.rfc_request(body)
        if req is None:
            return
        f, cid, client = req
        if cid and client is None:
            return self.oauth_error(401, "invalid_client", "Bad client credentials")
        gt = self.one(f, "grant_type")
        if gt == "password":
            a = st.account(self.one(f, "username") or "", self.one(f, "password") or "")
            if a is None:
                return self.oauth_error(400, "invalid_grant", "Bad credentials")
            if a.get("mfa"):
                return self.oauth_error(400, "interaction_required", "a second factor is required")
            extra = dict(a.get("claims", {}))
            extra.update(st.claims_for(a["username"], "access"))
            at, rt, _ = st.issue(a["username"], cid or "public", "oauth2", extra=extra)
        elif gt == "client_credentials":
            if client is None or client.get("public"):
                return self.oauth_error(401, "invalid_client", "client authentication required")
            at, rt, _ = st.issue(cid, cid, "oauth2", refresh=False)
        elif gt == "authorization_code":
            if client is None or not self.take_code(self.one(f, "code") or "", cid,
                                                     self.one(f, "redirect_uri"),
                                                     self.one(f, "code_verifier"), pkce=True):
                return self.oauth_error(400, "invalid_grant", "invalid code")
            at, rt, _ = st.issue(cid, cid, "oauth2")
        elif gt == "urn:ietf:params:oauth:grant-type:device_code":
            return self.device_poll(f, cid)
        elif gt == "refresh_token":
            r = st.use_refresh(self.one(f, "refresh_token") or "", "oauth2", cid)
            if r is None:
                return self.oauth_error(400, "invalid_grant", "invalid refresh token")
            at, rt, _ = st.issue(r["sub"], r["client"], "oauth2", refresh=False, extra=r["extra"])
            st.count("rfc_refresh_ok")
        else:
            return self.oauth_error(400, "unsupported_grant_type", "unsupported grant_type")
        obj = {"access_token": at, "token_type": "Bearer", "expires_in": st.lifetime}
        if rt:
            obj["refresh_token"] = rt
            if st.refresh_lifetime:
                obj["refresh_expires_in"] = st.refresh_lifetime
        self.send_json(200, obj)

    # --- RFC 8628 device authorization grant -------------------------------
    def rfc_device(self, body):
        st = self.server.state
        req = self.rfc_request(body)
        if req is None:
            return
        f, cid, client = req
        if client is None:
            return self.oauth_error(401, "invalid_client", "Bad client credentials")
        dc = secrets.token_urlsafe(32)
        uc = "%04d-%04d" % (secrets.randbelow(10000), secrets.randbelow(10000))
        base = "https://%s/rfc/device/verify" % self.headers.get("Host", "127.0.0.1")
        now = time.time()
        with LOCK:
            st.devices[dc] = {"user_code": uc, "client": cid, "exp": now + st.device_expires,
                              "interval": st.device_interval, "last": None, "state": "pending",
                              "user": None, "created": now, "scope": self.one(f, "scope")}
        ans = {"device_code": dc, "user_code": uc, "verification_uri": base,
               "verification_uri_complete": base + "?user_code=" + uc,
               "expires_in": st.device_expires, "interval": st.device_interval}
        for k in ("verification_uri", "verification_uri_complete"):
            v = getattr(st, k)
            if v == "-":
                del ans[k]
            elif v is not None:
                ans[k] = v
        self.send_json(200, ans)


    def device_poll(self, f, cid):
        st = self.server.state
        st.count("device_poll")
        now = time.time()
        with LOCK:
            d = st.devices.get(self.one(f, "device_code") or "")
            if d is None or d["client"] != cid:
                return self.oauth_error(400, "invalid_grant", "unknown device_code")
            # strict interval accounting (RFC 8628 3.5): a poll sooner than the
            # interval is counted and answered slow_down, which adds 5 s
            too_fast = d["last"] is not None and now - d["last"] < d["interval"] - 0.05
            d["last"] = now
            if too_fast or st.slow_down > 0:
                if too_fast:
                    st.counters["device_too_fast"] = st.counters.get("device_too_fast", 0) + 1
                else:
                    st.slow_down -= 1
                d["interval"] += 5
                return self.oauth_error(400, "slow_down", "poll less often")
            if now > d["exp"]:
                return self.oauth_error(400, "expired_token", "the device code expired")
            if d["state"] == "denied":
                return self.oauth_error(400, "access_denied", "the user denied the request")
            if d["state"] == "pending":
                return self.oauth_error(400, "authorization_pending", "waiting for the user")
            if d["state"] != "approved":
                return self.oauth_error(400, "invalid_grant", "device code already used")
            d["state"] = "used"
            user = d["user"]
        a = st.account_named(user) or {}
        extra = dict(a.get("claims", {}))
        extra.update(st.claims_for(user, "access"))
        at, rt, _ = st.issue(user, cid, "oauth2", extra=extra)
        now = int(time.time())
        claims = {"iss": "https://%s/rfc" % self.headers.get("Host", "127.0.0.1"), "sub": user,
                  "aud": cid, "exp": now + 300, "iat": now, "preferred_username": user}
        claims.update(st.claims_for(user, "id"))
        f = st.take_fault("device_id_token")
        if f is not None and f["mode"] in IDTOKEN_FAULTS:  # an ID token that is not for us
            claims.update({"idtoken_iss": {"iss": "https://evil.invalid/rfc"},
                           "idtoken_aud": {"aud": ["someone-else"]},
                           "idtoken_exp": {"exp": now - 60}}[f["mode"]])
        idt = st.jwt(claims)
        st.count("device_token")
        self.send_json(200, {"access_token": at, "token_type": "Bearer", "expires_in": st.lifetime,
                             "refresh_token": rt, "id_token": idt})


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def finish_request(self, request, client_address):
        if self.contexts is not None:
            request.settimeout(30)
            try:
                request = self.contexts["main"].wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                request.close()
                return
        super().finish_request(request, client_address)


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_pki(d):
    def ca(name):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=optt test CA %s" % name,
                "-keyout", os.path.join(d, name + "-ca.key"), "-out", os.path.join(d, name + "-ca.pem"))

    def leaf(name, ca_name, san):
        key, csr, crt = (os.path.join(d, name + s) for s in (".key", ".csr", ".pem"))
        ext = os.path.join(d, name + ".ext")
        with open(ext, "w") as fh:
            fh.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" % san)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=%s" % name, "-keyout", key, "-out", csr)
        openssl("x509", "-req", "-in", csr, "-CA", os.path.join(d, ca_name + "-ca.pem"),
                "-CAkey", os.path.join(d, ca_name + "-ca.key"), "-CAcreateserial", "-days", "2",
                "-extfile", ext, "-out", crt)
    ca("test")
    ca("other")
    leaf("server", "test", "IP:127.0.0.1,IP:::1,DNS:localhost,DNS:%s" % CONTROL_NAME)
    leaf("wronghost", "test", "DNS:wrong.invalid")
    leaf("otherca", "other", "IP:127.0.0.1,IP:::1,DNS:localhost")
    os.replace(os.path.join(d, "test-ca.pem"), os.path.join(d, "ca.pem"))


def context(d, name):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, name + ".pem"), os.path.join(d, name + ".key"))
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--fixture", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "..", "fixtures", "idp.json"))
    ap.add_argument("--plain", action="store_true", help="plain HTTP (loopback tests)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.state, exist_ok=True)
    with open(args.fixture) as fh:
        fixture = json.load(fh)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State(fixture)
    srv.verbose = args.verbose
    srv.contexts = None
    if not args.plain:
        make_pki(args.state)
        main_ctx = context(args.state, "server")
        alt = {"wrongca": context(args.state, "otherca"),
               "wronghost": context(args.state, "wronghost")}

        def sni(sock, name, ctx):
            if name == CONTROL_NAME:
                return  # the test harness's control connections are never faulted
            f = srv.state.take_fault(None, tls=True)
            if f is not None:
                sock.context = alt[f["mode"]]
        main_ctx.sni_callback = sni
        srv.contexts = {"main": main_ctx}
    port = srv.server_address[1]
    for name, value in (("pid", os.getpid()), ("port", port)):
        tmp = os.path.join(args.state, name + ".tmp")
        with open(tmp, "w") as fh:
            fh.write("%d\n" % value)
        os.replace(tmp, os.path.join(args.state, name))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
