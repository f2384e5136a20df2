"""Doberman's inbound token checks against Microsoft's own: the Bot Framework Python SDK's validator
(botframework-connector, pinned in requirements.txt) and `doberman serve` judge the same token matrix.

A local server publishes the test keys (tests/fixtures/keys) as the OpenID metadata and JWKS, and stands in for
the token endpoint and the connector. Each case is a token and an activity; Microsoft's validator says accept or
reject, Doberman answers 200 or 401, and both must give the expected verdict. Where Doberman deliberately
differs from this SDK the case says why, and the SDK's own verdict is still checked, so a change on either side
shows up.

Usage: python token_conformance.py path/to/doberman
"""
import asyncio
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity

KEYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "keys")
APP_ID = "00000000-0000-4000-8000-00000000d0be"
ISSUER = "https://api.botframework.com"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def key(name):
    with open(os.path.join(KEYS, f"{name}.pem")) as f:
        return f.read()


JWKS = json.load(open(os.path.join(KEYS, "public_jwks.json")))
PUBLISHED = [
    dict(JWKS["primary"], kid="primary", endorsements=["msteams"]),
    dict(JWKS["unendorsed"], kid="unendorsed", endorsements=["webchat"]),
]
PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
SERVICE_URL = f"{BASE}/"


class Peer(BaseHTTPRequestHandler):
    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/openid":
            self._json(200, {"issuer": ISSUER, "jwks_uri": f"{BASE}/keys"})
        elif self.path == "/keys":
            self._json(200, {"keys": PUBLISHED})
        else:
            self._json(404, {})

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path == "/token":
            self._json(200, {"token_type": "Bearer", "expires_in": 3600, "access_token": "t"})
        else:
            self._json(201, {"id": "reply"})

    def log_message(self, *args):
        pass


class Config:
    """Public-cloud settings with the OpenID metadata pointed at the local server."""

    APP_ID = APP_ID
    APP_PASSWORD = "conformance-secret"
    APP_TYPE = "MultiTenant"
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = f"{BASE}/openid"
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = ISSUER
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = "https://api.botframework.com"
    TO_CHANNEL_FROM_BOT_LOGIN_URL = "https://login.microsoftonline.com/botframework.com"
    OAUTH_URL = "https://api.botframework.com"
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = (
        "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration"
    )


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(**changes):
    now = int(time.time())
    c = {"iss": ISSUER, "aud": APP_ID, "exp": now + 3600, "nbf": now - 60, "serviceurl": SERVICE_URL}
    for name, value in changes.items():
        if value is None:
            c.pop(name, None)
        else:
            c[name] = value
    return c


def rs256(c, signer="primary", kid="primary"):
    return jwt.encode(c, key(signer), algorithm="RS256", headers={"kid": kid})


def activity(service_url=SERVICE_URL, channel_id="msteams"):
    return {
        "type": "message",
        "id": "1",
        "channelId": channel_id,
        "serviceUrl": service_url,
        "from": {"id": "29:user", "aadObjectId": "aad-user"},
        "recipient": {"id": f"28:{APP_ID}"},
        "conversation": {"id": "a:conformance", "conversationType": "personal", "tenantId": "t"},
        "text": "help",
    }


now = int(time.time())
with open(os.path.join(KEYS, "primary.pub.pem"), "rb") as f:
    PUBLIC_PEM = f.read()


def hs256_confusion():
    header = {"alg": "HS256", "typ": "JWT", "kid": "primary"}
    body = f"{b64(header)}.{b64(claims())}"
    import hashlib
    import hmac

    sig = hmac.new(PUBLIC_PEM, body.encode(), hashlib.sha256).digest()
    return f"{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


# (name, Authorization header, activity, expected verdict, Microsoft SDK's verdict if it differs, why)
CASES = [
    ("valid", f"Bearer {rs256(claims())}", activity(), True, None, None),
    ("expired 2 min ago (within the 5 min skew)", f"Bearer {rs256(claims(exp=now - 120, nbf=now - 3600))}", activity(), True, None, None),
    ("expired 10 min ago", f"Bearer {rs256(claims(exp=now - 600, nbf=now - 3600))}", activity(), False, None, None),
    ("valid from 2 min from now (within the skew)", f"Bearer {rs256(claims(nbf=now + 120))}", activity(), True, None, None),
    ("valid from 10 min from now", f"Bearer {rs256(claims(nbf=now + 600))}", activity(), False, None, None),
    ("wrong audience", f"Bearer {rs256(claims(aud='someone-else'))}", activity(), False, None, None),
    ("wrong issuer", f"Bearer {rs256(claims(iss='https://sts.windows.net/x/'))}", activity(), False, None, None),
    ("signed by another key", f"Bearer {rs256(claims(), signer='attacker')}", activity(), False, None, None),
    ("key not endorsed for msteams", f"Bearer {rs256(claims(), signer='unendorsed', kid='unendorsed')}", activity(), False, None, None),
    ("alg none", f"Bearer {b64({'alg': 'none', 'typ': 'JWT', 'kid': 'primary'})}.{b64(claims())}.", activity(), False, None, None),
    ("HS256 keyed with the public key", f"Bearer {hs256_confusion()}", activity(), False, None, None),
    ("serviceurl differs from the activity", f"Bearer {rs256(claims(serviceurl='https://smba.trafficmanager.net/amer/'))}", activity(), False, None, None),
    ("serviceurl without slash, other case", f"Bearer {rs256(claims(serviceurl=SERVICE_URL.rstrip('/').upper().replace('HTTP://', 'http://')))}", activity(), True, False,
     "newer Teams SDKs compare service URLs case-insensitively and ignore a trailing slash; this SDK compares exactly"),
    ("no Authorization header", None, activity(), False, None, None),
    ("lower-case bearer", f"bearer {rs256(claims())}", activity(), False, None, None),
    ("Basic scheme", f"Basic {rs256(claims())}", activity(), False, None, None),
    ("api:// audience", f"Bearer {rs256(claims(aud=f'api://{APP_ID}'))}", activity(), True, False,
     "newer Teams SDKs accept api://{appId} and api://botid-{appId}; this SDK only the bare app id"),
    ("no serviceurl claim", f"Bearer {rs256(claims(serviceurl=None))}", activity(), False, None, None),
    ("no exp claim", f"Bearer {rs256(claims(exp=None))}", activity(), False, True,
     "Doberman requires an expiry; PyJWT checks exp only when present"),
]


async def microsoft_accepts(auth, header, act):
    try:
        await auth.authenticate_request(Activity().deserialize(act), header or "")
        return True
    except Exception:  # the SDK signals rejection by raising
        return False


def doberman_status(port, header, act):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/messages",
        data=json.dumps(act).encode(),
        headers={"content-type": "application/json", **({"authorization": header} if header else {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def main():
    doberman = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Peer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bot_port = free_port()
    work = tempfile.mkdtemp()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOBERMAN_")},
        "DOBERMAN_DATABASE__URL": f"sqlite://{work}/doberman.db",
        "DOBERMAN_SCHEDULE__ENABLED": "false",
        "AWS_EC2_METADATA_DISABLED": "true",
        "DOBERMAN_HTTP__LISTEN": f"127.0.0.1:{bot_port}",
        "DOBERMAN_TEAMS__APP_ID": APP_ID,
        "DOBERMAN_TEAMS__APP_PASSWORD": "conformance-secret",
        "DOBERMAN_TEAMS__OPENID_METADATA_URL": f"{BASE}/openid",
        "DOBERMAN_TEAMS__TOKEN_URL": f"{BASE}/token",
        "DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS": SERVICE_URL,
        "RUST_LOG": "error",
    }
    bot = subprocess.Popen([doberman, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    passed = failed = 0
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{bot_port}/readyz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        auth = ConfigurationBotFrameworkAuthentication(Config())
        for name, header, act, expected, sdk_expected, why in CASES:
            sdk_expected = expected if sdk_expected is None else sdk_expected
            sdk = asyncio.run(microsoft_accepts(auth, header, act))
            status = doberman_status(bot_port, header, act)
            ours = {200: True, 401: False}.get(status)
            verdict = lambda accepted: "accept" if accepted else "reject"
            ok = ours == expected and sdk == sdk_expected
            passed += ok
            failed += not ok
            note = f" (differs on purpose: {why})" if why else ""
            print(
                f"{'ok  ' if ok else 'FAIL'} {name}: expected {verdict(expected)}, "
                f"Microsoft {verdict(sdk)}, Doberman {verdict(ours) if ours is not None else status}{note}"
            )
    finally:
        bot.terminate()
        bot.wait(timeout=10)
        server.shutdown()
    print(f"token conformance: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)


if __name__ == "__main__":
    main()
