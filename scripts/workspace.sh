#!/usr/bin/env bash
# What `npm run demo|test|bench` do. npm starts this through `npm exec --package=pnpm@<pinned>`,
# so a machine with only Node 20 and npm gets the pinned pnpm on PATH (turbo runs package
# scripts with it) without a global install or corepack.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1
# The AWS SDK warns on Node 20 about its releases from 2027 on: noise in test and bench output.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=1
task="${1:?usage: workspace.sh demo|test|soak|bench|docs|release [bench filter]}"
shift

# Installs in about a second when nothing changed; the first time it also builds the
# better-sqlite3 native addon (about a minute).
CI=true pnpm install --frozen-lockfile --reporter=silent

run_tests() {
  # espeak-ng: the media-service tests run both eSpeak NG backends when it is installed.
  # chromium: the dashboard page test renders the page in headless Chromium (/usr/bin/chromium).
  # postgresql: the @tiercache/postgres and farm tests start throwaway clusters (initdb + pg_ctl).
  # ffmpeg: the reference app assembles MP4 videos; its tests check them with ffprobe.
  bash scripts/ensure-system-deps.sh espeak-ng chromium initdb:postgresql ffmpeg
  pnpm exec turbo run build typecheck lint --output-logs=errors-only
  pnpm exec vitest run
}

case "$task" in
  demo)
    # eSpeak NG speaks the narration, FFmpeg assembles the MP4s (without it: WAVs and PNGs only).
    bash scripts/ensure-system-deps.sh espeak-ng ffmpeg
    pnpm exec turbo run build --output-logs=errors-only >/dev/null
    # The reference app on the embedded default (memory + SQLite + disk), in a fresh folder:
    # the same three videos twice; the second run is served from the cache.
    demo=.tiercache-demo/media-service
    rm -rf "$demo"
    for run in 1 2; do
      echo "Run $run: media-service generate --channel momentum_mindset --count 3"
      TIERCACHE_CACHE_DIR="$demo/cache" TIERCACHE_OUTPUT_DIR="$demo/output" \
        node apps/media-service/dist/cli.js generate --channel momentum_mindset --count 3
      echo
    done
    echo "Videos, narration and manifests: $demo/output/momentum_mindset; the library example: node examples/quick-start.mjs"
    ;;
  test)
    run_tests
    ;;
  release)
    # Publishes the versions `changeset version` wrote (see docs/guide/releasing.md), only after a clean
    # build and a green test run; packages whose version is already on the registry are skipped.
    run_tests
    pnpm exec changeset publish
    ;;
  docs)
    # The site in docs/.vitepress/dist: guides, the package READMEs, the API reference from TSDoc
    # (built from the packages, so they are built first). Needs no network once installed.
    pnpm exec turbo run build --output-logs=errors-only >/dev/null
    pnpm --filter @tiercache/docs run docs
    echo "Site: docs/.vitepress/dist (preview: pnpm --filter @tiercache/docs exec vitepress preview)"
    ;;
  soak)
    # The reliability suite with 20 crash rounds instead of npm test's 3 (a few minutes).
    pnpm exec turbo run build --output-logs=errors-only >/dev/null
    TIERCACHE_SOAK_ROUNDS="${TIERCACHE_SOAK_ROUNDS:-20}" pnpm exec vitest run apps/media-service/src/reliability
    ;;
  bench)
    pnpm exec turbo run build --output-logs=errors-only >/dev/null
    cd benchmarks && node --expose-gc --max-old-space-size=4096 --import tsx src/run-all.ts "$@"
    ;;
  *)
    echo "unknown task: $task" >&2
    exit 2
    ;;
esac
