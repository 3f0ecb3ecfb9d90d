#!/usr/bin/env bash
# Installs the workspace with a pinned pnpm on a machine that has only Node 20 and npm.
# Runs on every `npm run demo` / `npm test`; pnpm returns in about a second when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 CI="${CI:-true}"
want="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  echo "[tiercache] installing pnpm $want" >&2
  npm install --global --silent --no-fund --no-audit "pnpm@$want" >/dev/null
fi
pnpm install --frozen-lockfile --reporter=silent
