"""A small stand-in for Amazon MWAA's InvokeRestApi, for the Airflow collector's MWAA path: what no real peer offers
here (MWAA is not on loopback and moto does not implement InvokeRestApi).

    python mwaa_standin.py PORT AIRFLOW_URL USERNAME PASSWORD ENVIRONMENT ACCESS_KEY SECRET_KEY LOG

It answers `POST /restapi/{ENVIRONMENT}` as MWAA's API documents it: the request is JSON {Path, Method,
QueryParameters, Body}; it checks the SigV4 signature (service `airflow`) with botocore, AWS's own signer, for the
given keys, refuses a Path over 64 characters as MWAA does, and forwards the call to the real Airflow 2 at
AIRFLOW_URL (`/api/v1` + Path, basic auth). Airflow's answer comes back as {RestApiStatusCode, RestApiResponse}:
HTTP 200 when Airflow said 200, else HTTP 400 with `RestApiClientException` (4xx) or `RestApiServerException`
(5xx). An unknown environment is a 404 `ResourceNotFoundException`, a bad signature a 403
`AccessDeniedException`. Every Path asked is appended to LOG as a JSON line.
Runs with the pinned Python of tests/peers/requirements.txt (botocore comes with moto)."""
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

port, airflow, user, password, environment, access_key, secret_key, log = sys.argv[1:9]
basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def signature_ok(handler, body):
    header = handler.headers.get("Authorization", "")
    try:
        algorithm, rest = header.split(" ", 1)
        fields = dict(part.strip().split("=", 1) for part in rest.split(","))
        key, date, region, service, _ = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
    except ValueError:
        return False, "no SigV4 Authorization header"
    if algorithm != "AWS4-HMAC-SHA256" or key != access_key or service != "airflow":
        return False, f"not signed for airflow with the expected key ({fields.get('Credential')})"
    headers = {name: handler.headers[name] for name in signed if handler.headers.get(name) is not None}
    request = AWSRequest(method="POST", url=f"http://{handler.headers['host']}{handler.path}", data=body, headers=headers)
    request.context["timestamp"] = handler.headers.get("x-amz-date", "")
    auth = SigV4Auth(Credentials(access_key, secret_key), "airflow", region)
    expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    if expected != fields.get("Signature"):
        return False, "the signature does not match"
    return True, ""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        name = urllib.parse.unquote(self.path.split("?")[0].removeprefix("/restapi/"))
        if not self.path.startswith("/restapi/"):
            return self.answer(404, {"__type": "UnknownOperationException"})
        ok, why = signature_ok(self, body)
        if not ok:
            return self.answer(403, {"__type": "AccessDeniedException", "Message": why})
        if name != environment:
            return self.answer(404, {"__type": "ResourceNotFoundException", "Message": f"Environment {name} not found"})
        call = json.loads(body)
        path, method = call["Path"], call["Method"]
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"Path": path, "Method": method}, ensure_ascii=False) + "\n")
        if len(path) > 64:
            return self.answer(400, {"__type": "ValidationException", "Message": "Path must be at most 64 characters"})
        query = urllib.parse.urlencode(call.get("QueryParameters") or {})
        url = f"{airflow}/api/v1{path}" + (f"?{query}" if query else "")
        data = json.dumps(call["Body"]).encode() if "Body" in call else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Authorization": basic, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                status, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        try:
            response = json.loads(text)
        except ValueError:
            response = {"detail": text.decode(errors="replace")}
        if status == 200:
            return self.answer(200, {"RestApiStatusCode": status, "RestApiResponse": response})
        kind = "RestApiClientException" if status < 500 else "RestApiServerException"
        return self.answer(400, {"__type": kind, "RestApiStatusCode": status, "RestApiResponse": response})


ThreadingHTTPServer(("127.0.0.1", int(port)), Handler).serve_forever()
