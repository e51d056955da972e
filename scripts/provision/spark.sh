#!/usr/bin/env bash
# Provisions the Spark engine for tests and local use: a Python venv with pinned pyspark (which ships
# spark-submit and the Spark jars) and sqlglot, plus the PostgreSQL JDBC driver jar, checksum-verified.
# Idempotent: a complete install (marked by a stamp holding the requirements' hash) is left alone.
# Prints `export` lines for the FStore settings on stdout; progress goes to stderr.
#   bash scripts/provision/spark.sh            # install if needed, print the env
#   eval "$(bash scripts/provision/spark.sh)"  # ... and use it in this shell
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${FSTORE_SERVICES_DIR:-$HOME/.cache/fstore-services}"
DIR="${FSTORE_SPARK_DIR:-$STATE/spark}"
VENV="$DIR/venv"
REQUIREMENTS="$HERE/spark-requirements.txt"
PG_JDBC_VERSION="42.7.8"
PG_JDBC_SHA256="2a32a9dcbc42d67a50ad3a0de5efd102c8d2be46720045f2cbd6689f160ab7c7"
JAR="$DIR/postgresql-$PG_JDBC_VERSION.jar"

log() { printf '[spark] %s\n' "$*" >&2; }
die() {
  printf '[spark] ERROR: %s\n' "$*" >&2
  exit 1
}

command -v java >/dev/null 2>&1 || die "java is not installed; Spark 4 needs Java 17 (Debian: apt-get install -y openjdk-17-jre-headless)"
java_major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
[ "${java_major:-0}" -ge 17 ] || die "java ${java_major:-?} found; Spark 4 needs Java 17 or newer"
PYTHON="${FSTORE_SPARK_PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found; set FSTORE_SPARK_PYTHON to a Python 3.9+ interpreter"

mkdir -p "$DIR"
stamp="$VENV/.fstore-requirements.sha256"
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/spark-submit" ]; then
  log "venv up to date at $VENV"
else
  log "creating venv at $VENV (pyspark is ~430 MB; the first install takes a few minutes)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$REQUIREMENTS" >&2 ||
    die "pip install of $REQUIREMENTS failed"
  [ -x "$VENV/bin/spark-submit" ] || die "pyspark installed but $VENV/bin/spark-submit is missing"
  echo "$want" >"$stamp"
  log "venv ready"
fi

if [ -f "$JAR" ] && [ "$(sha256sum "$JAR" | cut -d' ' -f1)" = "$PG_JDBC_SHA256" ]; then
  log "PostgreSQL JDBC driver $PG_JDBC_VERSION present"
else
  log "downloading the PostgreSQL JDBC driver $PG_JDBC_VERSION from Maven Central"
  url="https://repo1.maven.org/maven2/org/postgresql/postgresql/$PG_JDBC_VERSION/postgresql-$PG_JDBC_VERSION.jar"
  curl -sSfL --retry 3 -o "$JAR.part" "$url" || die "download of $url failed"
  got="$(sha256sum "$JAR.part" | cut -d' ' -f1)"
  [ "$got" = "$PG_JDBC_SHA256" ] || {
    rm -f "$JAR.part"
    die "checksum mismatch for $url: expected $PG_JDBC_SHA256, got $got"
  }
  mv "$JAR.part" "$JAR"
fi

echo "export FSTORE_SPARK_SUBMIT=$VENV/bin/spark-submit"
echo "export FSTORE_SPARK_JDBC_JAR=$JAR"
