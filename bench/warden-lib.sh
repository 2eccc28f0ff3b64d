# Sourced by the bench scripts: starts Warden gateways in front of ../shared/bench's PostgreSQL.
# Needs here (the repository), bench_dir (../shared/bench) and jar set by the caller.

warden_pids=()
warden_works=()

stop_wardens() {
    local pid work
    for pid in "${warden_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for work in "${warden_works[@]}"; do
        rm -rf "$work"
    done
}

# start_warden PORT POLICY_FILE: a gateway on 127.0.0.1:PORT enforcing POLICY_FILE, recording to
# STORE_URL (default sqlite:warden.db in its own folder), as identity "bench" with a fresh service
# token; sets warden_token. The caller traps EXIT with stop_wardens.
start_warden() {
    local port=$1 policy=$2 work verifier
    work=$(mktemp -d /tmp/warden-bench-XXXXXX)
    warden_works+=("$work")
    # A fresh service token for this run; the config holds only its verifier.
    java -jar "$jar" token create bench --access read_only >"$work/token.txt"
    warden_token=$(sed -n '3p' "$work/token.txt" | tr -d ' ')
    verifier=$(grep 'verifier:' "$work/token.txt" | sed 's/.*verifier: *//')
    printf '%s' "${APP_PASSWORD:-app-secret}" >"$work/upstream-password"
    chmod 600 "$work/upstream-password"
    cp "$policy" "$work/policy.yaml"
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
    (cd "$work" && exec java ${WARDEN_JAVA_OPTS:-} -jar "$jar" start --config "$work/warden.yaml" >"$work/warden.log" 2>&1) &
    warden_pids+=($!)
    for _ in $(seq 50); do
        grep -q 'listening on' "$work/warden.log" && break
        sleep 0.2
    done
    grep -q 'listening on' "$work/warden.log" || { cat "$work/warden.log"; return 2; }
}

# warm_warden PORT TOKEN SECONDS [WORKLOADS]: a fresh JVM interprets, then compiles its hot paths
# (with one C2 thread on a 2-core box that takes tens of seconds under load), so each workload runs
# SECONDS unmeasured first, as a gateway in service would have. WORKLOADS: simple, prepared, rows.
warm_warden() {
    local port=$1 token=$2 seconds=$3 workload
    [ "$seconds" -gt 0 ] || return 0
    for workload in ${4:-simple prepared rows}; do
        case $workload in
            rows) set -- -M simple -f "$bench_dir/rows-1000.sql" ;;
            *) set -- -S -M "$workload" ;;
        esac
        PGPASSWORD=$token timeout $((seconds + 30)) pgbench -n -h 127.0.0.1 -p "$port" -U bench "$@" \
            -c 8 -j 2 -T "$seconds" "${APP_DB:-appdb}" >/dev/null 2>&1 || true
    done
}
