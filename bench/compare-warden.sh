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

work=$(mktemp -d /tmp/warden-bench-XXXXXX)
trap 'kill "$warden_pid" 2>/dev/null || true; wait "$warden_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A fresh service token for this run; the config holds only its verifier.
java -jar "$jar" token create bench --access read_only >"$work/token.txt"
token=$(sed -n '3p' "$work/token.txt" | tr -d ' ')
verifier=$(grep 'verifier:' "$work/token.txt" | sed 's/.*verifier: *//')
printf '%s' "${APP_PASSWORD:-app-secret}" >"$work/upstream-password"
cp "${POLICY:-$here/src/main/resources/policy/sample-policy.yaml}" "$work/policy.yaml"
chmod 600 "$work/upstream-password"

cat >"$work/warden.yaml" <<YAML
listeners:
  - host: 127.0.0.1
    port: $port
targets:
  - name: ${TARGET_DB:-appdb}
    host: 127.0.0.1
    port: ${PG_PORT:-55432}
    database: ${APP_DB:-appdb}
    credentials:
      read_only: { user: ${APP_USER:-app}, password: "file:$work/upstream-password" }
identities:
  - name: bench
    verifier: $verifier
policy: policy.yaml
store:
  url: ${STORE_URL:-sqlite:warden.db}
YAML

# The sample policy masks personal data; its hash strategy takes its key from the environment.
export WARDEN_MASKING_KEY=${WARDEN_MASKING_KEY:-$(head -c 24 /dev/urandom | base64)}
java ${WARDEN_JAVA_OPTS:-} -jar "$jar" start --config "$work/warden.yaml" >"$work/warden.log" 2>&1 &
warden_pid=$!
for _ in $(seq 50); do
    grep -q 'listening on' "$work/warden.log" && break
    sleep 0.2
done
grep -q 'listening on' "$work/warden.log" || { cat "$work/warden.log"; exit 2; }

# A fresh JVM interprets, then compiles its hot paths (with one C2 thread on this 2-core box that
# takes tens of seconds under load): warm the gateway up on every workload before measuring, as a
# gateway in service would be. compare.sh's own per-cell warm-up (2 s) is too short for that. Skipped
# when the data is not there yet (compare.sh creates it; its first cells then run on a cold JVM).
warmup=${JVM_WARMUP:-20}
if [ "$warmup" -gt 0 ]; then
    for mode in simple prepared; do
        PGPASSWORD=$token timeout $((warmup + 30)) pgbench -n -h 127.0.0.1 -p "$port" -U bench -S -M $mode \
            -c 8 -j 2 -T "$warmup" "${APP_DB:-appdb}" >/dev/null 2>&1 || true
    done
    PGPASSWORD=$token timeout $((warmup + 30)) pgbench -n -h 127.0.0.1 -p "$port" -U bench -M simple \
        -f "$bench_dir/rows-1000.sql" -c 8 -j 2 -T "$warmup" "${APP_DB:-appdb}" >/dev/null 2>&1 || true
fi

TARGET_PASSWORD=$token "$bench_dir/compare.sh" "127.0.0.1:$port" bench
