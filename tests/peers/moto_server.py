"""The moto server (pinned in requirements.txt) as Doberman's tests need it: AWS APIs on loopback, plus what
stock moto lacks. Stock moto returns everything in one page for Glue GetDatabases/GetTables/GetPartitions and
Athena ListQueryExecutions/GetQueryResults, and has no Athena BatchGetQueryExecution; here those page by MaxResults/NextToken
(with AWS's default page sizes), query executions are listed newest first as AWS does, and
BatchGetQueryExecution exists, so paging code is really exercised.

Usage: python moto_server.py PORT   (binds 127.0.0.1; POST /moto-api/reset clears all state)
"""
import json
import sys

from moto.athena.responses import AthenaResponse
from moto.core.responses import ActionResult
from moto.glue.responses import GlueResponse
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

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
