#!/usr/bin/env bash
# Runs ../shared/bench/compare.sh (direct PostgreSQL vs pgbouncer vs Warden) with Warden in front
# of the harness's PostgreSQL, enforcing a policy (default: the sample policy, the realistic case;
# POLICY=/path/to/policy.yaml to choose another) and recording every session (STORE_URL, default
# sqlite:warden.db with an fsync per commit). Builds nothing: run `mvn -q -DskipTests package`
# first. Extra environment (DURATION, ROUNDS, WORKLOADS, CLIENTS ...) is passed to compare.sh;
# JVM_WARMUP (seconds per warm-up workload, default 20, 0 for none) warms the gateway's JIT first.
#
#   BENCH_DIR=../shared/bench bench/compare-warden.sh
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=${BENCH_DIR:-$here/../shared/bench}
port=${WARDEN_PORT:-6543}
jar=$here/target/warden.jar
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }

"$bench_dir/pg-up.sh" >/dev/null
"$bench_dir/pgbouncer-up.sh" >/dev/null

# shellcheck source=warden-lib.sh
. "$here/bench/warden-lib.sh"
trap stop_wardens EXIT
start_warden "$port" "${POLICY:-$here/src/main/resources/policy/sample-policy.yaml}"
token=$warden_token

# compare.sh's own per-cell warm-up (2 s) is too short for a fresh JVM. Skipped when the data is not
# there yet (compare.sh creates it; its first cells then run on a cold JVM).
warm_warden "$port" "$token" "${JVM_WARMUP:-20}"

TARGET_PASSWORD=$token "$bench_dir/compare.sh" "127.0.0.1:$port" bench
