# Shared by the gateway's benchmarks (sourced): a state folder removed on exit with the processes
# started into `pids`, a throwaway PostgreSQL cluster (as the postgres user when root), and the
# start lines of ventia-server and ventia-gateway.
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
state=$(mktemp -d)
chmod 755 "$state"
as_owner=()
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); chown postgres "$state"; fi
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$state/pg" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT

wait_for_line() { for _ in $(seq 1 400); do [ -s "$1" ] && return 0; sleep 0.05; done; echo "no start line in $1" >&2; exit 1; }
port_of() { sed -E 's/.*"port":([0-9]+).*/\1/' "$1"; }

# Starts the cluster and exports DATABASE_URL.
start_postgres() {
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "${as_owner[@]}" "$pgbin/initdb" -A trust -U ventia -D "$state/pg" >/dev/null
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$state/pg" -l "$state/pg.log" -w -o "-p $port -k $state -c listen_addresses=127.0.0.1" start >/dev/null
    export DATABASE_URL="postgres://ventia@127.0.0.1:$port/postgres"
}
