#!/usr/bin/env bash
# Runs dist/index.js the way a GitHub runner does (INPUT_* variables, GITHUB_OUTPUT and
# GITHUB_STEP_SUMMARY files) on Node 24 against the database in $CUTOVER_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE="$PWD/node_modules/.bin/node"
"$NODE" --version | grep -q '^v24\.' || { echo "expected Node 24, got $("$NODE" --version)" >&2; exit 1; }
DB="cutover_smoke_$$"
psql "$CUTOVER_TEST_PG_URL" -qc "CREATE DATABASE $DB"
TARGET="${CUTOVER_TEST_PG_URL%/*}/$DB"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; psql "$CUTOVER_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT

run_mode() {
  : >"$WORK/output"; : >"$WORK/summary"
  env -i PATH="$PATH" HOME="$HOME" RUNNER_TEMP="$WORK" GITHUB_ACTIONS=true GITHUB_OUTPUT="$WORK/output" \
    GITHUB_STEP_SUMMARY="$WORK/summary" "INPUT_MODE=$1" "INPUT_TARGET-URL=$TARGET" "INPUT_MIGRATIONS-DIR=migrations" \
    "INPUT_COMMENT=false" "$NODE" dist/index.js >"$WORK/log" 2>&1 || { cat "$WORK/log"; echo "dist/index.js mode=$1 failed" >&2; exit 1; }
  echo "mode=$1: $(grep -A1 '^applied<<' "$WORK/output" | tail -n 1) applied; $(grep -A1 '^pending<<' "$WORK/output" | tail -n 1) pending"
}
run_mode status
grep -q '"001_' "$WORK/output" || { echo "status did not list pending migrations" >&2; exit 1; }
run_mode migrate
[ "$(psql "$TARGET" -tAc 'SELECT count(*) FROM cutover_migrations')" -gt 0 ] || { echo "migrate applied nothing" >&2; exit 1; }
run_mode rollback
grep -q 'cutover' "$WORK/summary" || { echo "no step summary written" >&2; exit 1; }
echo "dist/ smoke run on Node 24: ok"
