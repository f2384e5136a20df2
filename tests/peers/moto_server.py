"""The moto server (pinned in requirements.txt) as Doberman's tests need it: AWS APIs on loopback, plus what
stock moto lacks. Stock moto returns everything in one page for Glue GetDatabases/GetTables/GetPartitions and
Athena ListQueryExecutions/GetQueryResults, and has no Athena BatchGetQueryExecution; here those page by MaxResults/NextToken
(with AWS's default page sizes), query executions are listed newest first as AWS does, and
BatchGetQueryExecution exists, so paging code is really exercised.

Glue Data Quality, which moto lacks entirely: CreateDataQualityRuleset, GetDataQualityRuleset,
ListDataQualityRulesets (Filter.TargetTable, Created*/LastModified*), ListDataQualityResults (Filter.DataSource
GlueTable or DataQualityGlueTable, StartedAfter/StartedBefore, JobName, JobRunId, EvaluationRunMode,
DataQualityEvaluationConfig), GetDataQualityResult and BatchGetDataQualityResult. Requests are checked against
botocore's model of the operation (required members, types, lengths, ranges, enums: InvalidInputException) and
answers go through moto's model-driven serializer, so names, nesting and epoch-second timestamps are the documented
shapes. Lists page by MaxResults/NextToken (100 when MaxResults is absent; AWS documents no default) in the order
things were created or seeded (AWS promises no order). Nothing evaluates a ruleset: results are seeded with

    POST /moto-api/static/glue/data-quality-result
    {"account_id": "123456789012", "region": "us-east-1",
     "result": {...a GetDataQualityResult response: ResultId (generated when absent), Score, DataSource.GlueTable,
                RulesetName, StartedOn, CompletedOn (epoch seconds or ISO 8601), RuleResults, ...}}

which checks "result" against the response shape (400 with the reasons; 409 for a ResultId already seeded) and
answers 201 {"ResultId": ...}. Rulesets and results live on moto's Glue backend of that account and region, so they
are as separate per account as the catalog is, and POST /moto-api/reset clears them with everything else.

Usage: python moto_server.py PORT   (binds 127.0.0.1; POST /moto-api/reset clears all state)
"""
import json
import re
import sys
import uuid
from datetime import datetime, timezone

from botocore.utils import parse_to_aware_datetime
from botocore.validate import ParamValidator
from moto.athena.responses import AthenaResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.core.utils import get_service_model
from moto.glue.exceptions import AlreadyExistsException, EntityNotFoundException, InvalidInputException
from moto.glue.models import glue_backends
from moto.glue.responses import GlueResponse
from moto.moto_api._internal import urls as moto_api_urls
from moto.server import main


def page(items, max_results, token, default_size):
    start = int(token) if token else 0
    size = int(max_results) if max_results else default_size
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def paged(key, default_size, fetch):
    def handler(self):
        items, token = page(fetch(self), self.parameters.get("MaxResults"), self.parameters.get("NextToken"), default_size)
        result = {key: items}
        if token:
            result["NextToken"] = token
        return ActionResult(result)

    return handler


GlueResponse.get_databases = paged("DatabaseList", 100, lambda self: [d.as_dict() for d in self.glue_backend.get_databases()])
GlueResponse.get_tables = paged(
    "TableList",
    100,
    lambda self: [
        t.as_dict()
        for t in self.glue_backend.get_tables(self.parameters.get("DatabaseName"), self.parameters.get("Expression"))
    ],
)
GlueResponse.get_partitions = paged(
    "Partitions",
    1000,
    lambda self: [
        p.as_dict()
        for p in self.glue_backend.get_partitions(
            self.parameters.get("DatabaseName"), self.parameters.get("TableName"), self.parameters.get("Expression")
        )
    ],
)


def list_query_executions(self):
    # AWS lists the newest first (undocumented but observed); moto keeps insertion order.
    ids = list(self.athena_backend.list_query_executions(self._get_param("WorkGroup")).keys())[::-1]
    items, token = page(ids, self._get_param("MaxResults"), self._get_param("NextToken"), 50)
    result = {"QueryExecutionIds": items}
    if token:
        result["NextToken"] = token
    return json.dumps(result)


def batch_get_query_execution(self):
    found, missing = [], []
    get_param = self._get_param
    for exec_id in get_param("QueryExecutionIds") or []:
        if exec_id not in self.athena_backend.executions:
            missing.append({"QueryExecutionId": exec_id, "ErrorCode": "InvalidRequestException",
                            "ErrorMessage": "QueryExecution not found"})
            continue
        self._get_param = lambda name, default=None, _id=exec_id: _id if name == "QueryExecutionId" else get_param(name, default)
        try:
            found.append(json.loads(AthenaResponse.get_query_execution(self))["QueryExecution"])
        finally:
            self._get_param = get_param
    return json.dumps({"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing})


def get_query_results(self):
    result = self.athena_backend.get_query_results(self._get_param("QueryExecutionId")).to_dict()
    rows, token = page(result["ResultSet"]["Rows"], self._get_param("MaxResults"), self._get_param("NextToken"), 1000)
    result["ResultSet"]["Rows"] = rows
    if token:
        result["NextToken"] = token
    return json.dumps(result)


AthenaResponse.list_query_executions = list_query_executions
AthenaResponse.get_query_results = get_query_results
AthenaResponse.batch_get_query_execution = batch_get_query_execution


# Glue Data Quality ---------------------------------------------------------------------------------------------------

GLUE_MODEL = get_service_model("glue")
DQ_PAGE = 100


def dq_state(backend):
    # On the backend object itself: moto's reset rebuilds every backend (`__dict__ = {}`), which clears this too.
    return backend.__dict__.setdefault("doberman_data_quality", {"rulesets": {}, "results": {}})


def shape_errors(value, shape, name):
    """What botocore's client-side validator leaves out: maximum lengths and values, and enums."""
    kind = shape.type_name
    limit = shape.metadata.get("max")
    if kind == "structure" and isinstance(value, dict):
        for key, member in value.items():
            if key in shape.members:
                yield from shape_errors(member, shape.members[key], f"{name}.{key}")
    elif kind == "list" and isinstance(value, list):
        if limit is not None and len(value) > limit:
            yield f"{name}: {len(value)} items, at most {limit} allowed"
        for i, member in enumerate(value):
            yield from shape_errors(member, shape.member, f"{name}[{i}]")
    elif kind == "map" and isinstance(value, dict):
        for key, member in value.items():
            yield from shape_errors(member, shape.value, f"{name}.{key}")
    elif kind == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            yield f"{name}: {value!r} is not one of {shape.enum}"
        if limit is not None and len(value) > limit:
            yield f"{name}: {len(value)} characters, at most {limit} allowed"
    elif kind in ("integer", "long", "double", "float") and isinstance(value, (int, float)):
        if limit is not None and value > limit:
            yield f"{name}: {value} is above the maximum {limit}"


def shape_problems(value, shape):
    report = ParamValidator().validate(value, shape)
    problems = [report.generate_report()] if report.has_errors() else []
    return problems + list(shape_errors(value, shape, shape.name))


def checked(operation, params):
    problems = shape_problems(params, GLUE_MODEL.operation_model(operation).input_shape)
    if problems:
        raise InvalidInputException(operation, "; ".join(problems))
    return params


def timestamp(value):
    return parse_to_aware_datetime(value) if value is not None else None


def dq_page(operation, key, items, params):
    try:
        items, token = page(items, params.get("MaxResults"), params.get("NextToken"), DQ_PAGE)
    except ValueError:
        raise InvalidInputException(operation, "Invalid pagination token")
    result = {key: items}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def rule_count(dqdl):
    """Top-level entries of `Rules = [...]`, as AWS counts them for RuleCount; None when there is no such list."""
    start = re.search(r"\bRules\s*=\s*\[", dqdl)
    if not start:
        return None
    depth, count, filled, quote = 1, 0, False, None
    for ch in dqdl[start.end():]:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote, filled = ch, True
        elif ch in "[(":
            depth, filled = depth + 1, True
        elif ch in "])":
            depth -= 1
            if depth == 0:
                break
        elif ch == "," and depth == 1:
            count, filled = count + int(filled), False
        elif not ch.isspace():
            filled = True
    return count + int(filled)


def same_table(wanted, source):
    return (
        source is not None
        and source.get("DatabaseName") == wanted.get("DatabaseName")
        and source.get("TableName") == wanted.get("TableName")
    )


def in_range(value, after, before):
    value = timestamp(value)
    if (after or before) and value is None:
        return False
    return (after is None or value > timestamp(after)) and (before is None or value < timestamp(before))


def create_data_quality_ruleset(self):
    params = checked("CreateDataQualityRuleset", self.parameters)
    rulesets = dq_state(self.glue_backend)["rulesets"]
    name = params["Name"]
    if name in rulesets:
        raise AlreadyExistsException(f"Data Quality ruleset {name}")
    now = datetime.now(timezone.utc)
    ruleset = {key: params[key] for key in ("Name", "Description", "Ruleset", "TargetTable", "Tags",
                                            "DataQualitySecurityConfiguration") if key in params}
    ruleset.update(CreatedOn=now, LastModifiedOn=now)
    count = rule_count(params["Ruleset"])
    if count is not None:
        ruleset["RuleCount"] = count
    rulesets[name] = ruleset
    return ActionResult({"Name": name})


def get_data_quality_ruleset(self):
    params = checked("GetDataQualityRuleset", self.parameters)
    ruleset = dq_state(self.glue_backend)["rulesets"].get(params["Name"])
    if ruleset is None:
        raise EntityNotFoundException(f"Data Quality ruleset {params['Name']} not found.")
    return ActionResult(ruleset)


def list_data_quality_rulesets(self):
    params = checked("ListDataQualityRulesets", self.parameters)
    criteria = params.get("Filter") or {}
    # How AWS matches Name, Description and Tags (exact, prefix, contains?) is undocumented: refuse rather than guess.
    unsupported = [key for key in ("Name", "Description") if key in criteria] + (["Tags"] if params.get("Tags") else [])
    if unsupported:
        raise InvalidInputException("ListDataQualityRulesets", f"the stand-in does not filter by {unsupported}")
    target = criteria.get("TargetTable")
    rulesets = [
        r for r in dq_state(self.glue_backend)["rulesets"].values()
        if (target is None or same_table(target, r.get("TargetTable")))
        and in_range(r["CreatedOn"], criteria.get("CreatedAfter"), criteria.get("CreatedBefore"))
        and in_range(r["LastModifiedOn"], criteria.get("LastModifiedAfter"), criteria.get("LastModifiedBefore"))
    ]
    return dq_page("ListDataQualityRulesets", "Rulesets", rulesets, params)


def result_table(result):
    source = result.get("DataSource") or {}
    return source.get("GlueTable") or source.get("DataQualityGlueTable")


def list_data_quality_results(self):
    params = checked("ListDataQualityResults", self.parameters)
    criteria = params.get("Filter") or {}
    source = criteria.get("DataSource") or {}
    table = source.get("GlueTable") or source.get("DataQualityGlueTable")
    exact = [key for key in ("JobName", "JobRunId", "EvaluationRunMode", "DataQualityEvaluationConfig") if key in criteria]
    results = [
        r for r in dq_state(self.glue_backend)["results"].values()
        if (table is None or same_table(table, result_table(r)))
        and in_range(r.get("StartedOn"), criteria.get("StartedAfter"), criteria.get("StartedBefore"))
        and all(r.get(key) == criteria[key] for key in exact)
    ]
    # The serializer keeps only DataQualityResultDescription's members (ResultId, DataSource, JobName, StartedOn, ...).
    return dq_page("ListDataQualityResults", "Results", results, params)


def get_data_quality_result(self):
    params = checked("GetDataQualityResult", self.parameters)
    result = dq_state(self.glue_backend)["results"].get(params["ResultId"])
    if result is None:
        raise EntityNotFoundException(f"Data Quality result {params['ResultId']} not found.")
    return ActionResult(result)


def batch_get_data_quality_result(self):
    params = checked("BatchGetDataQualityResult", self.parameters)
    stored = dq_state(self.glue_backend)["results"]
    found = [stored[i] for i in params["ResultIds"] if i in stored]
    missing = [i for i in params["ResultIds"] if i not in stored]
    result = {"Results": found}
    if missing:
        result["ResultsNotFound"] = missing
    return ActionResult(result)


def seed_data_quality_result(request, full_url, headers):
    json_headers = {"Content-Type": "application/json"}
    try:
        body = json.loads(request.data or b"{}")
    except ValueError as e:
        return 400, json_headers, json.dumps({"message": f"the body is not JSON: {e}"})
    result = body.get("result") if isinstance(body, dict) else None
    if not isinstance(result, dict):
        return 400, json_headers, json.dumps({"message": 'expected {"account_id", "region", "result": {...}}'})
    result = dict(result)
    result.setdefault("ResultId", f"dqresult-{uuid.uuid4().hex}")
    problems = shape_problems(result, GLUE_MODEL.operation_model("GetDataQualityResult").output_shape)
    if problems:
        return 400, json_headers, json.dumps({"message": "; ".join(problems)})
    for key in ("StartedOn", "CompletedOn"):
        if key in result:
            result[key] = timestamp(result[key])
    backend = glue_backends[body.get("account_id", DEFAULT_ACCOUNT_ID)][body.get("region", "us-east-1")]
    results = dq_state(backend)["results"]
    if result["ResultId"] in results:
        return 409, json_headers, json.dumps({"message": f"result {result['ResultId']} is already seeded"})
    results[result["ResultId"]] = result
    return 201, json_headers, json.dumps({"ResultId": result["ResultId"]})


GlueResponse.create_data_quality_ruleset = create_data_quality_ruleset
GlueResponse.get_data_quality_ruleset = get_data_quality_ruleset
GlueResponse.list_data_quality_rulesets = list_data_quality_rulesets
GlueResponse.list_data_quality_results = list_data_quality_results
GlueResponse.get_data_quality_result = get_data_quality_result
GlueResponse.batch_get_data_quality_result = batch_get_data_quality_result
# moto builds the /moto-api/ Flask app from this table on the first request to it, so an entry added before
# `main` is routed like moto's own /moto-api/static/... seeding endpoints.
moto_api_urls.url_paths["{0}/moto-api/static/glue/data-quality-result"] = seed_data_quality_result

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
