#!/usr/bin/env bash
# Idle-connection memory of echo servers: for each server kind, a fresh server process, then the reactor's
# `idle` mode opens CONNECTIONS connections, checks that each answers a one-byte echo, holds them HOLD_S
# seconds, checks again, and prints the server's RSS per idle connection (RSS while holding minus RSS
# before the first connection, divided by the connections held) and the projection to 100,000.
#
#   bench/reactor-idle.sh CONNECTIONS HOLD_S KIND...
#   bench/reactor-idle.sh 10000 10 netkit netty-nio netty-epoll virtual platform naive-nio
#
# KIND: netkit | netkit-relay | netty-nio | netty-epoll | virtual | platform | naive-nio (see PeerEchoServer);
# netkit-relay is netkit's relay server (`server --protocol relay`, pinged with `idle --protocol relay`:
# each connection relays a frame to itself, so every connection has used its inbox). Every server
# runs with the same JVM defaults. Logs: bench/results/reactor-idle-<UTC timestamp>/<kind>.txt, and a
# summary table at the end (also in README.txt there).
# Needs: reactor/target/netkit-reactor.jar and bench/target/benchmarks.jar (built when missing).
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n 2,13p "$0" >&2; exit 2; }
conns=$1 hold=$2
shift 2
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # to the repository root, a JDK >= 21, the shared helpers
reactor_jar
bench_jar
out=$(results_dir reactor-idle)
echo "reactor-idle: $conns idle connections held ${hold} s, kinds: $* ($(nproc) cores, open files $(ulimit -n), $(java_version))" | tee "$out/README.txt"
port=7600
for kind in "$@"; do
    port=$((port + 1))
    proto=()
    if [[ $kind == netkit-relay ]]; then
        proto=(--protocol relay)
    fi
    if [[ $kind == netkit || $kind == netkit-relay ]]; then
        start_server "$out/server-$kind.log" \
            "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar server "${proto[@]}" --port $port --max-connections 100000
    else
        start_server "$out/server-$kind.log" \
            "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar dev.netkit.bench.reactor.PeerEchoServer "$kind" $port
    fi
    sleep 1
    echo "== $kind (pid $server_pid, port $port, $(ls /proc/$server_pid/fd | wc -l) open files before the first connection)"
    "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar idle "${proto[@]}" --port $port -c "$conns" --hold-s "$hold" \
        --pid $server_pid > "$out/$kind.txt" 2>&1 || true
    sed 's/^/   /' "$out/$kind.txt"
    stop_server
done
echo "== summary: $conns idle connections" | tee -a "$out/README.txt"
printf '%-12s %-22s %-26s %-14s %s\n' kind opened answering "RSS/conn" "RSS at 100k" | tee -a "$out/README.txt"
for kind in "$@"; do
    f="$out/$kind.txt"
    printf '%-12s %-22s %-26s %-14s %s\n' "$kind" \
        "$(grep -m1 'idle connections opened' "$f" | sed 's/.*opened *//; s/ requested.*//')" \
        "$(grep -m1 'answering a ping' "$f" | sed 's/.*ping *//')" \
        "$(grep -m1 'RSS per idle' "$f" | awk '{print $(NF-1), $NF}')" \
        "$(grep -m1 'projected RSS' "$f" | awk '{print $(NF-1), $NF}')" | tee -a "$out/README.txt"
done
