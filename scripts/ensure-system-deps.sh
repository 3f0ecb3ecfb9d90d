#!/usr/bin/env bash
# System packages some tests use (real engines, not mocks). Installed only when missing,
# and only where we may (root with apt); elsewhere the tests that need them say so.
set -euo pipefail
needed=()
for tool in "$@"; do
  command -v "$tool" >/dev/null 2>&1 || needed+=("$tool")
done
[ "${#needed[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[tiercache] installing ${needed[*]} with apt-get" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
else
  echo "[tiercache] missing ${needed[*]}; install them with your package manager" >&2
fi
