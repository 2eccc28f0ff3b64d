#!/usr/bin/env bash
# What masking costs on compare.sh's result-heavy workload (rows-1000: 1000 rows of an id, a name,
# an e-mail address and a note per transaction), measured in one run: two gateways from the same
# build, one with the sample policy (content detectors on every value: each row's e-mail is found
# and cut) and one with the same policy minus its masking section, take turns run by run
# (A B B A ...) so that drift of the machine hits both alike. Prints each run and, per client count,
# the mean TPS of each and masked/unmasked. compare-warden.sh gives the ratios to pgbouncer.
#
#   BENCH_DIR=../shared/bench bench/masking-ab.sh      (run compare.sh once first: it creates bench_rows)
#
# Settings (environment): CLIENTS ("1 8 32"), ROUNDS (3, each one A and one B run per client count),
# DURATION (10 s), JVM_WARMUP (20 s per gateway), STORE_URL, WARDEN_JAVA_OPTS.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=${BENCH_DIR:-$here/../shared/bench}
jar=$here/target/warden.jar
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
clients=${CLIENTS:-1 8 32}
rounds=${ROUNDS:-3}
duration=${DURATION:-10}
masked_port=${MASKED_PORT:-6543}
unmasked_port=${UNMASKED_PORT:-6544}

"$bench_dir/pg-up.sh" >/dev/null
rows=$(PGPASSWORD=${APP_PASSWORD:-app-secret} psql -h 127.0.0.1 -p "${PG_PORT:-55432}" -U "${APP_USER:-app}" \
    -d "${APP_DB:-appdb}" -tAc 'SELECT count(*) FROM bench_rows' 2>/dev/null || echo 0)
[ "$rows" = 10000 ] || { echo "bench_rows is missing: run $bench_dir/compare.sh once (it creates it)" >&2; exit 2; }

# shellcheck source=warden-lib.sh
. "$here/bench/warden-lib.sh"
trap stop_wardens EXIT
policy=$here/src/main/resources/policy/sample-policy.yaml
unmasked_policy=$(mktemp /tmp/warden-unmasked-policy-XXXXXX.yaml)
warden_works+=("$unmasked_policy")
# The sample policy without its top-level masking section: everything else (rules, approvals) the same.
awk '/^masking:/ { skip = 1; next } /^[^ #]/ { skip = 0 } !skip' "$policy" >"$unmasked_policy"
! grep -q '^masking:' "$unmasked_policy"

start_warden "$masked_port" "$policy"
masked_token=$warden_token
start_warden "$unmasked_port" "$unmasked_policy"
unmasked_token=$warden_token
warm_warden "$masked_port" "$masked_token" "${JVM_WARMUP:-20}" rows
warm_warden "$unmasked_port" "$unmasked_token" "${JVM_WARMUP:-20}" rows

# run PORT TOKEN CLIENTS: one measured pgbench run; prints its TPS (0 when it failed).
run() {
    local tps
    tps=$(PGPASSWORD=$2 timeout $((duration + 30)) pgbench -n -h 127.0.0.1 -p "$1" -U bench -M simple \
        -f "$bench_dir/rows-1000.sql" -c "$3" -j "$(( $3 < 2 ? 1 : 2 ))" -T "$duration" "${APP_DB:-appdb}" 2>&1 \
        | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
    echo "${tps:-0}"
}

summary=()
for c in $clients; do
    masked_sum=0
    unmasked_sum=0
    for ((r = 1; r <= rounds; r++)); do
        if ((r % 2)); then order="masked unmasked"; else order="unmasked masked"; fi
        for which in $order; do
            if [ "$which" = masked ]; then tps=$(run "$masked_port" "$masked_token" "$c"); masked_sum=$(echo "$masked_sum + $tps" | bc -l)
            else tps=$(run "$unmasked_port" "$unmasked_token" "$c"); unmasked_sum=$(echo "$unmasked_sum + $tps" | bc -l); fi
            echo "masking-ab.sh: c=$c round $r $which: $tps tps"
        done
    done
    summary+=("$(printf '%6s | %12.0f | %12.0f | %6.2f' "$c" "$(echo "$masked_sum / $rounds" | bc -l)" \
        "$(echo "$unmasked_sum / $rounds" | bc -l)" "$(echo "$masked_sum / $unmasked_sum" | bc -l)")")
done
echo
echo "rows-1000, $rounds rounds of ${duration}s, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$here" rev-parse --short HEAD)"
echo "clients | masked tps | unmasked tps | masked/unmasked"
printf '%s\n' "${summary[@]}"
