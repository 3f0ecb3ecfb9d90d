#!/usr/bin/env bash
# System packages some tests use (real engines and servers, not mocks). Installed only when
# missing, and only where we may (root with apt); elsewhere the tests that need them say so.
# Each argument is a command, or `command:package` when the Debian package has another name.
# PostgreSQL's server binaries live outside PATH, in /usr/lib/postgresql/<version>/bin.
set -euo pipefail
found() {
  command -v "$1" >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null
}
needed=()
for spec in "$@"; do
  tool="${spec%%:*}"
  found "$tool" || needed+=("${spec#*:}")
done
[ "${#needed[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[tiercache] installing ${needed[*]} with apt-get" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
else
  echo "[tiercache] missing ${needed[*]}; install them with your package manager" >&2
fi
