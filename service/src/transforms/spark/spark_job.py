"""FStore's Spark job, run by spark-submit (see docs/spark.md).

    spark-submit --master <master> spark_job.py <spec.json>

The spec (written by FStore) says what to do:
  {"mode": "transform", "sources": [...], "sql": "<DuckDB SQL>", "output": "<dir>"}
  {"mode": "point_in_time", "labels": "<parquet>", "groups": [{"history": {...}, "features": [...]}], "output": "<dir>"}

Sources are {"name", "type": "parquet" | "csv" | "jdbc", "path"} or, for jdbc, {"url_env", "table" |
"query"}: the PostgreSQL URL (with its password) comes from the environment variable named by
url_env, never from the spec file or the command line.

The job writes Parquet to "output" and talks to FStore on stdout with one-line records:
  FSTORE_PROGRESS {"phase": ..., "done": n, "total": m}   tasks done / known tasks of active stages
  FSTORE_SQL <the Spark SQL that ran>
  FSTORE_ERROR {"code": ..., "message": ...}             then exits with status 2
Everything else Spark prints is log text.
"""

import json
import os
import sys
import threading
from urllib.parse import unquote, urlparse

import sqlglot
from sqlglot.errors import ParseError

EXIT_USER_ERROR = 2


class JobError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def emit(kind, payload):
    text = payload if isinstance(payload, str) else json.dumps(payload)
    sys.stdout.write(f"{kind} {text}\n")
    sys.stdout.flush()


def to_spark_sql(sql):
    """One DuckDB SELECT, translated to Spark SQL; a JobError names what cannot be translated."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise JobError("SQL", "The SQL is empty; write one SELECT over the sources")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        where = f" (line {first.get('line')}, column {first.get('col')})" if first.get("line") else ""
        raise JobError("SQL", f"Parser error{where}: {first.get('description') or str(err).splitlines()[0]}") from None
    if len(statements) != 1:
        raise JobError("SQL", f"The SQL has {len(statements)} statements; a transform is exactly one SELECT")
    statement = statements[0]
    if not isinstance(statement, sqlglot.exp.Query):
        raise JobError("SQL", f"Only SELECT statements can be transforms (got {statement.key.upper()})")
    try:
        return statement.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.UnsupportedError as err:
        raise JobError("SQL", f"The SQL uses something Spark SQL has no translation for: {err}") from None


def jdbc_options(url):
    """postgres://user:password@host:port/db?params -> Spark JDBC options."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise JobError("SOURCE", "the connection is not a postgres:// URL")
    host = parsed.hostname or "localhost"
    port = parsed.port or 5432
    database = (parsed.path or "/").lstrip("/") or "postgres"
    query = f"?{parsed.query}" if parsed.query else ""
    options = {"url": f"jdbc:postgresql://{host}:{port}/{database}{query}", "driver": "org.postgresql.Driver"}
    if parsed.username:
        options["user"] = unquote(parsed.username)
    if parsed.password:
        options["password"] = unquote(parsed.password)
    return options


def read_source(spark, source):
    kind = source["type"]
    name = source["name"]
    try:
        if kind == "parquet":
            return spark.read.parquet(source["path"])
        if kind == "csv":
            return spark.read.option("header", True).option("inferSchema", True).csv(source["path"])
        if kind == "jdbc":
            url = os.environ.get(source["url_env"])
            if not url:
                raise JobError("SOURCE", f"Source '{name}': the connection URL was not passed to the job")
            reader = spark.read.format("jdbc").options(**jdbc_options(url))
            reader = reader.option("query", source["query"]) if source.get("query") else reader.option("dbtable", source["table"])
            return reader.load()
    except JobError:
        raise
    except Exception as err:  # Spark raises AnalysisException, Py4JJavaError, ...; the message is what the user needs
        raise JobError("SOURCE", f"Source '{name}' could not be read: {first_line(err)}") from None
    raise JobError("SOURCE", f"Source '{name}': unsupported type {kind}")


def first_line(err):
    """Spark's own message without the Java stack trace or the query plan that follow it."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def run_transform(spark, spec):
    for source in spec["sources"]:
        read_source(spark, source).createOrReplaceTempView(source["name"])
    spark_sql = to_spark_sql(spec["sql"])
    emit("FSTORE_SQL", spark_sql.replace("\n", " "))
    try:
        frame = spark.sql(spark_sql)
    except Exception as err:
        raise JobError("SQL", f"Spark could not run the translated SQL: {first_line(err)}") from None
    emit("FSTORE_PROGRESS", {"phase": "running the transform on Spark", "done": 0, "total": None})
    frame.write.mode("overwrite").parquet(spec["output"])


def run_point_in_time(spark, spec):
    """For each label row, each feature's latest value at or before the label time, within its TTL.

    Same rule as the offline stores' point-in-time joins, on the same tables: one join per feature
    group table, whose rows are full states (event_time, each feature's value as of that time and,
    for a carried value, the time it was written at). The output is (row_idx, f0, f1, ...).
    """
    spark.read.parquet(spec["labels"]).createOrReplaceTempView("fstore_labels")
    selects = ["l.row_idx"]
    joins = []
    for g, group in enumerate(spec["groups"]):
        history = group["history"]
        if history["type"] == "jdbc":
            frame = read_source(spark, {"name": "offline store", **history})
        else:
            frame = spark.read.parquet(history["path"])
        view = f"fstore_group_{g}"
        frame.createOrReplaceTempView(view)
        alias = f"g{g}"
        columns = []
        for feature in group["features"]:
            column = feature["column"]
            columns.append(f"h.`{feature['name']}` AS `v_{column}`")
            columns.append(f"unix_millis(coalesce(h.`{feature['carried']}`, h.event_time)) AS `t_{column}`")
        joins.append(
            f"""LEFT JOIN (
              SELECT * FROM (
                SELECT l.row_idx, {', '.join(columns)},
                       row_number() OVER (PARTITION BY l.row_idx ORDER BY h.event_time DESC) AS rn
                FROM fstore_labels l JOIN {view} h
                  ON h.entity_key = l.entity_key AND unix_millis(h.event_time) <= l.t)
              WHERE rn = 1) {alias} ON {alias}.row_idx = l.row_idx"""
        )
        for feature in group["features"]:
            column = feature["column"]
            ttl = feature.get("ttl_ms")
            value = f"{alias}.`v_{column}`"
            if ttl is not None:
                value = f"CASE WHEN l.t - {alias}.`t_{column}` <= {int(ttl)} THEN {value} END"
            selects.append(f"{value} AS `{column}`")
    sql = f"SELECT {', '.join(selects)} FROM fstore_labels l {' '.join(joins)}"
    emit("FSTORE_SQL", " ".join(sql.split()))
    spark.sql(sql).write.mode("overwrite").parquet(spec["output"])


def watch_progress(spark, phase, stop):
    """Polls the status tracker: tasks done / tasks of the active stages, once a second."""
    tracker = spark.sparkContext.statusTracker()
    last = None
    while not stop.wait(1.0):
        done = total = 0
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info:
                done += info.numCompletedTasks
                total += info.numTasks
        if total and (done, total) != last:
            last = (done, total)
            emit("FSTORE_PROGRESS", {"phase": phase, "done": done, "total": total})


def main(argv):
    if len(argv) != 2:
        print("usage: spark_job.py <spec.json>", file=sys.stderr)
        return EXIT_USER_ERROR
    with open(argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    from pyspark.sql import SparkSession  # imported late: the translation helpers are testable without a JVM

    spark = SparkSession.builder.appName(spec.get("app_name", "fstore")).getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    stop = threading.Event()
    phase = "running the transform on Spark" if spec["mode"] == "transform" else "point-in-time join on Spark"
    watcher = threading.Thread(target=watch_progress, args=(spark, phase, stop), daemon=True)
    watcher.start()
    try:
        if spec["mode"] == "transform":
            run_transform(spark, spec)
        elif spec["mode"] == "point_in_time":
            run_point_in_time(spark, spec)
        else:
            raise JobError("SPEC", f"unknown mode {spec['mode']}")
        return 0
    except JobError as err:
        emit("FSTORE_ERROR", {"code": err.code, "message": err.message})
        return EXIT_USER_ERROR
    except Exception as err:
        emit("FSTORE_ERROR", {"code": "SPARK", "message": first_line(err)})
        return EXIT_USER_ERROR
    finally:
        stop.set()
        spark.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
