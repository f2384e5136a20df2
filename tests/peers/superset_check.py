"""`doberman superset-bundle` against Apache Superset itself (pinned in superset-requirements.txt).

1. A fresh MariaDB database gets Doberman's migrations and the demo data (`doberman demo`).
2. The bundle's structure: every file is YAML; every chart's dataset and every dashboard's chart is in the bundle;
   every physical dataset column exists in the migrated database (information_schema) and every virtual dataset's
   query yields its declared columns; every column and metric a chart names is its dataset's.
3. Superset on SQLite (offline): `superset db upgrade`, an admin, `superset init`, then the bundle imported with
   Superset's own CLI, twice (the second import must not duplicate anything).
4. `superset run` serves the REST API: the dashboards exist with their slugs and charts, and every chart's saved
   query runs against the MariaDB through `/api/v1/chart/{id}/data/` (rows per chart printed; charts on data the
   demo fills must return rows).
5. The `--assets` bundle through `POST /api/v1/assets/import/` replaces what the first import made (the database
   URI changes) without adding objects.

Usage: python superset_check.py path/to/doberman [--keep-running]
Environment: DOBERMAN_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306). With --keep-running Superset stays up
(its URL and login printed) until Ctrl-C, for docs/screenshots.mjs.
"""
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

import pymysql
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.path.join(ROOT, "target", "superset-check")
DATABASE = "doberman_superset_check"
# Datasets on tables `doberman demo` leaves empty (no job ran): their charts' queries must run, but may return no
# rows. (The demo takes one catalog snapshot, today's.)
EMPTY_IN_DEMO = {"job_run"}

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(label, argv, env):
    started = time.monotonic()
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-8000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"{label} failed (exit {result.returncode})")
    print(f"ok    {label} ({took:.1f} s)", flush=True)
    return result


def read_bundle(path):
    files = {}
    with zipfile.ZipFile(path) as z:
        roots = set()
        for name in z.namelist():
            root, _, rest = name.partition("/")
            roots.add(root)
            files[rest] = yaml.safe_load(z.read(name).decode("utf-8"))
    check(roots == {"doberman_dashboards"}, f"the bundle's {len(files)} YAML files parse and sit in one folder")
    return files


def check_structure(files, conn, schema):
    check(files["metadata.yaml"]["type"] == "Dashboard", "metadata.yaml declares a Dashboard bundle")
    databases = {v["uuid"]: v for k, v in files.items() if k.startswith("databases/")}
    datasets = {v["uuid"]: v for k, v in files.items() if k.startswith("datasets/")}
    charts = {v["uuid"]: (k, v) for k, v in files.items() if k.startswith("charts/")}
    dashboards = {k: v for k, v in files.items() if k.startswith("dashboards/")}
    check(len(databases) == 1, "one database entry")
    for db in databases.values():
        uri = urllib.parse.urlsplit(db["sqlalchemy_uri"])
        check(uri.password in (None, "XXXXXXXXXX"), "no password in the bundle")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = %s",
            (schema,),
        )
        live = {}
        for table, column, data_type in cur.fetchall():
            live.setdefault(table, {})[column] = data_type
    for d in datasets.values():
        name = d["table_name"]
        check(d["database_uuid"] in databases, f"dataset {name}: its database is in the bundle")
        declared = [c["column_name"] for c in d["columns"]]
        if d.get("sql"):
            with conn.cursor() as cur:
                cur.execute(f"SELECT * FROM ({d['sql']}) AS d LIMIT 0")
                got = [c[0] for c in cur.description]
            physical = [c["column_name"] for c in d["columns"] if not c.get("expression")]
            check(got == physical, f"virtual dataset {name}: its query yields {physical} (got {got})")
        else:
            check(name in live, f"dataset {name}: the migrations create the table")
            for c in d["columns"]:
                if c.get("expression"):
                    continue
                column = c["column_name"]
                data_type = live.get(name, {}).get(column)
                check(data_type is not None, f"dataset {name}: column {column} exists in the migrated schema")
                if data_type is not None:
                    check(
                        c["type"].lower().startswith(data_type.lower()),
                        f"dataset {name}: column {column} is {c['type']} as in the schema ({data_type})",
                    )
        if d.get("main_dttm_col"):
            check(d["main_dttm_col"] in declared, f"dataset {name}: its time column is one of its columns")
    for file_name, chart in charts.values():
        d = datasets.get(chart["dataset_uuid"])
        check(d is not None, f"{file_name}: its dataset is in the bundle")
        if d is None:
            continue
        columns = {c["column_name"] for c in d["columns"]}
        metrics = {m["metric_name"] for m in d["metrics"]}
        p = chart["params"]
        named_columns = list(p.get("groupby", [])) + list(p.get("all_columns", []))
        if isinstance(p.get("x_axis"), str):
            named_columns.append(p["x_axis"])
        named_columns += [json.loads(o)[0] for o in p.get("order_by_cols", [])]
        named_columns += [f["subject"] for f in p.get("adhoc_filters", []) if f.get("subject")]
        named_metrics = list(p.get("metrics", [])) + [p[k] for k in ("metric", "timeseries_limit_metric") if p.get(k)]
        for c in named_columns:
            check(c in columns, f"{file_name}: column {c} is a column of {d['table_name']}")
        for m in named_metrics:
            check(m in metrics, f"{file_name}: metric {m} is a metric of {d['table_name']}")
        qc = json.loads(chart["query_context"])
        check(qc["form_data"] == p, f"{file_name}: the saved query was built from the chart's own form data")
    placed = []
    for file_name, dash in dashboards.items():
        for node in dash["position"].values():
            if isinstance(node, dict) and node.get("type") == "CHART":
                placed.append(node["meta"]["uuid"])
                check(node["meta"]["uuid"] in charts, f"{file_name}: chart {node['meta']['sliceName']} is in the bundle")
    check(sorted(placed) == sorted(charts), "every chart is on exactly one dashboard")
    return datasets, charts, dashboards


class Api:
    def __init__(self, base):
        self.base = base
        self.token = None

    def call(self, method, path, body=None, headers=None):
        data = None
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif body is not None:
            data = body
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                return e.code, json.loads(text)
            except ValueError:
                return e.code, text

    def get(self, path):
        return self.call("GET", path)

    def listing(self, resource):
        q = urllib.parse.quote("(page:0,page_size:100)")
        status, body = self.get(f"/api/v1/{resource}/?q={q}")
        assert status == 200, (resource, status, body)
        return body["result"]


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/zip\r\n\r\n".encode()
        )
        out.write(content)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    keep_running = "--keep-running" in sys.argv
    if len(args) != 1:
        raise SystemExit(__doc__)
    doberman = os.path.abspath(args[0])
    mysql = urllib.parse.urlsplit(os.environ.get("DOBERMAN_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306"))
    host, port = mysql.hostname or "127.0.0.1", mysql.port or 3306
    user, password = urllib.parse.unquote(mysql.username or "root"), urllib.parse.unquote(mysql.password or "")
    started = time.monotonic()

    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    conn = pymysql.connect(host=host, port=port, user=user, password=password, charset="utf8mb4", autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cur.execute(f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    conn.select_db(DATABASE)
    auth = urllib.parse.quote(user, safe="") + (":" + urllib.parse.quote(password, safe="") if password else "")
    env = dict(os.environ)
    env.update(
        DOBERMAN_DATABASE__URL=f"mysql://{auth}@{host}:{port}/{DATABASE}",
        DOBERMAN_SCHEDULE__ENABLED="false",
        # The demo records freshness alerts by the configured rules (its tables have one snapshot each, too few
        # to learn an interval from): a rule gives the Alerts chart its rows, as run-playground.sh does.
        DOBERMAN_ALERTS__FRESHNESS='[{"tables": "*", "every": "2d"}]',
        RUST_LOG="warn",
    )
    timed("doberman demo: migrations and the demo data in MariaDB", [doberman, "demo"], env)
    # Superset connects as the test user; a real install gives the XXXXXXXXXX placeholder and types the password in.
    superset_uri = f"mysql://{auth}@{host}:{port}/{DATABASE}"
    bundle = os.path.join(WORK, "doberman-dashboards.zip")
    timed("doberman superset-bundle", [doberman, "superset-bundle", "--database-uri", superset_uri, "--out", bundle], env)
    assets = os.path.join(WORK, "doberman-assets.zip")
    moved_uri = f"mysql://{auth}@localhost:{port}/{DATABASE}"
    timed(
        "doberman superset-bundle --assets (another host name for the same server)",
        [doberman, "superset-bundle", "--assets", "--database-uri", moved_uri, "--out", assets],
        env,
    )
    refused = subprocess.run(
        [doberman, "superset-bundle", "--database-uri", f"mysql://u:hunter2@{host}/{DATABASE}", "--out",
         os.path.join(WORK, "refused.zip")],
        env=env, capture_output=True, text=True,
    )
    check(
        refused.returncode == 2 and "XXXXXXXXXX" in refused.stderr and "hunter2" not in refused.stderr
        and not os.path.exists(os.path.join(WORK, "refused.zip")),
        "a URI with a password is refused, the password not echoed, no bundle written",
    )

    files = read_bundle(bundle)
    datasets, charts, dashboards = check_structure(files, conn, DATABASE)

    # Superset, offline, on SQLite.
    config = os.path.join(WORK, "superset_config.py")
    with open(config, "w") as f:
        f.write(
            f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
            f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{os.path.join(WORK, 'superset.db')}'\n"
            "WTF_CSRF_ENABLED = False\n"
            "TALISMAN_ENABLED = False\n"
            "RATELIMIT_ENABLED = False\n"
            "AUTH_RATE_LIMITED = False\n"
            "SCARF_ANALYTICS = False\n"
            "SUPERSET_WEBSERVER_TIMEOUT = 120\n"
            "# Superset's MySQL support imports MySQLdb (mysqlclient, a C extension needing the client headers);\n"
            "# PyMySQL stands in for it, so the bundle's plain mysql:// URI is the one a production install uses.\n"
            "import pymysql\n"
            "pymysql.install_as_MySQLdb()\n"
        )
    senv = dict(os.environ)
    senv.update(SUPERSET_CONFIG_PATH=config, SUPERSET_HOME=WORK, FLASK_APP="superset", PYTHONWARNINGS="ignore")
    superset = os.path.join(os.path.dirname(sys.executable), "superset")
    admin_password = secrets.token_urlsafe(16)
    timed("superset db upgrade", [superset, "db", "upgrade"], senv)
    timed(
        "superset fab create-admin",
        [superset, "fab", "create-admin", "--username", "admin", "--firstname", "Doberman", "--lastname", "Check",
         "--email", "admin@example.com", "--password", admin_password],
        senv,
    )
    timed("superset init", [superset, "init"], senv)
    timed("superset import-dashboards (first)", [superset, "import-dashboards", "-p", bundle, "-u", "admin"], senv)
    timed("superset import-dashboards (again)", [superset, "import-dashboards", "-p", bundle, "-u", "admin"], senv)

    port_ = free_port()
    log = open(os.path.join(WORK, "superset-run.log"), "w")
    server = subprocess.Popen(
        [superset, "run", "-h", "127.0.0.1", "-p", str(port_), "--with-threads"],
        env=senv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port_}"
        api = Api(base)
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("superset run did not answer /health; see target/superset-check/superset-run.log")
        status, body = api.call(
            "POST", "/api/v1/security/login",
            {"username": "admin", "password": admin_password, "provider": "db", "refresh": True},
        )
        assert status == 200, (status, body)
        api.token = body["access_token"]

        got_dashboards = api.listing("dashboard")
        by_slug = {d["slug"]: d for d in got_dashboards}
        for file_name, dash in dashboards.items():
            d = by_slug.get(dash["slug"])
            check(d is not None, f"dashboard {dash['slug']} exists in Superset")
            if d is None:
                continue
            status, body = api.get(f"/api/v1/dashboard/{dash['slug']}/charts")
            want = sum(
                1 for n in dash["position"].values() if isinstance(n, dict) and n.get("type") == "CHART"
            )
            check(
                status == 200 and len(body["result"]) == want,
                f"dashboard {dash['slug']}: its {want} charts (got {len(body['result']) if status == 200 else status})",
            )
        check(len(got_dashboards) == len(dashboards), f"{len(dashboards)} dashboards after two imports, no copies")
        got_charts = api.listing("chart")
        check(len(got_charts) == len(charts), f"{len(charts)} charts after two imports, no copies (got {len(got_charts)})")
        check(len(api.listing("dataset")) == len(datasets), f"{len(datasets)} datasets, no copies")
        got_databases = api.listing("database")
        check(len(got_databases) == 1, "one database")

        dataset_of = {c["slice_name"]: datasets[c["dataset_uuid"]]["table_name"] for _, c in charts.values()}
        print(f"\n{'chart':48} {'dataset':28} {'rows':>6} {'ms':>7}")
        for chart in sorted(got_charts, key=lambda c: c["slice_name"]):
            t = time.monotonic()
            status, body = api.get(f"/api/v1/chart/{chart['id']}/data/")
            ms = (time.monotonic() - t) * 1000
            name = chart["slice_name"]
            table = dataset_of.get(name, "?")
            ok = status == 200 and all(r.get("status") == "success" and not r.get("error") for r in body["result"])
            rows = body["result"][0]["rowcount"] if ok else -1
            print(f"{name[:48]:48} {table[:28]:28} {rows:>6} {ms:>7.0f}")
            check(ok, f"chart {name}: its query runs ({status}: {str(body)[:300] if not ok else 'success'})")
            if ok and table not in EMPTY_IN_DEMO:
                check(rows > 0, f"chart {name}: rows from the demo data")
        print()

        # An upgrade: the assets import replaces what exists (here the database's URI) and adds nothing.
        with open(assets, "rb") as f:
            body_bytes, content_type = multipart({"passwords": "{}"}, {"bundle": ("doberman-assets.zip", f.read())})
        status, body = api.call("POST", "/api/v1/assets/import/", body_bytes, {"Content-Type": content_type})
        check(status == 200, f"POST /api/v1/assets/import/ takes the --assets bundle ({status}: {str(body)[:300]})")
        status, body = api.get(f"/api/v1/database/{got_databases[0]['id']}/connection")
        if status != 200:
            status, body = api.get(f"/api/v1/database/{got_databases[0]['id']}")
        uri = body.get("result", {}).get("sqlalchemy_uri", "") if isinstance(body, dict) else ""
        check("@localhost:" in uri, f"the assets import updated the database entry in place ({uri})")
        check(len(api.listing("chart")) == len(charts), "and added no chart")
        check(len(api.listing("dashboard")) == len(dashboards), "and no dashboard")

        print(f"superset check took {time.monotonic() - started:.0f} s")
        if keep_running and not failures:
            print(f"Superset is up at {base} (admin / {admin_password}); Ctrl-C stops it", flush=True)
            try:
                server.wait()
            except KeyboardInterrupt:
                pass
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        conn.close()
    if failures:
        print(f"{len(failures)} checks failed:", *failures, sep="\n  ", file=sys.stderr)
        raise SystemExit(1)
    print("superset bundle: all checks passed")


if __name__ == "__main__":
    main()
