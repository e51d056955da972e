#!/usr/bin/env bash
# Runs the Python SDK tests against a real FStore service (started by tests/conftest.py).
# Creates sdk/python/.venv on first use and reinstalls only when pyproject.toml changes.
# Needs the service build (dist/): run `npm run build` first. Exits with pytest's exit code.
set -euo pipefail

SDK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SDK_DIR/../.." && pwd)"
VENV="$SDK_DIR/.venv"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.fstore-sdk-installed"

if [ ! -x "$VENV/bin/python" ]; then
  echo "python-sdk: creating $VENV" >&2
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

want="$( (cat "$SDK_DIR/pyproject.toml"; "$VENV/bin/python" -V) | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "python-sdk: installing fstore-sdk with test extras into $VENV" >&2
  rm -f "$STAMP"
  (cd "$REPO_DIR" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e 'sdk/python[pandas,test]')
  echo "$want" > "$STAMP"
fi

mkdir -p "$REPO_DIR/test-results"
cd "$SDK_DIR"
set +e
"$VENV/bin/python" -m pytest -q --junitxml="$REPO_DIR/test-results/python-sdk.xml" tests "$@"
status=$?
set -e
exit "$status"
