#!/usr/bin/env bash
# Installs the Debian packages the test suites need (Chromium for end-to-end tests, kcat for Kafka tests), only when
# missing. Runs as root on CI and dev machines of this project; elsewhere it prints what to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium)
# kcat: an independent Kafka client, so stream tests do not only talk to FStore's own client.
command -v kcat >/dev/null 2>&1 || missing+=(kcat)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Installing ${missing[*]} with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi
