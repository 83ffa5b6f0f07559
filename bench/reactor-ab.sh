#!/usr/bin/env bash
# Alternated A/B runs of echo servers under the reactor's load generator (the machine is noisy: compare
# only paired runs, as medians over the pairs).
#
#   bench/reactor-ab.sh A B CONNECTIONS PAIRS [extra load args...]
#   bench/reactor-ab.sh netkit netty-epoll 1000 3 -d 20 -w 5
#
# A, B: netkit | netkit-base | netty-nio | netty-epoll | netty-iouring | virtual | platform | naive-nio;
# netkit-base runs the reactor jar named by $NETKIT_BASE_JAR (an older build, for before/after pairs).
# $SERVER_ARGS (default empty): words appended to the netkit/netkit-base `server` command line, e.g.
#   SERVER_ARGS="--protocol relay" bench/reactor-ab.sh netkit netkit-base 1000 3 -d 10 -w 3 --protocol relay
# (peers take no server args); $BASE_SERVER_ARGS, if set, replaces them for netkit-base, so one jar can
# be compared with itself under other options, e.g. with and without a JFR recording:
#   NETKIT_BASE_JAR=reactor/target/netkit-reactor.jar SERVER_ARGS="--jfr /tmp/ab.jfr" BASE_SERVER_ARGS=" " \
#     bench/reactor-ab.sh netkit netkit-base 1000 3 -d 10 -w 3
# Each pair runs A then B (odd pairs) or B then A
# (even pairs), each on a fresh server process, closed loop, 64 B, 1 in flight unless the extra args say
# otherwise; the load gets --pid so server CPU per message and RSS are measured. Results:
# bench/results/reactor-ab-<UTC timestamp>/<kind>.csv and a median summary at the end.
# Needs: reactor/target/netkit-reactor.jar and bench/target/benchmarks.jar (built when missing).
set -euo pipefail
[[ $# -ge 4 ]] || { sed -n 2,16p "$0" >&2; exit 2; }
a=$1 b=$2 conns=$3 pairs=$4
shift 4
read -r -a server_args <<< "${SERVER_ARGS:-}"
read -r -a base_server_args <<< "${BASE_SERVER_ARGS-${SERVER_ARGS:-}}"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # to the repository root, a JDK >= 21, the shared helpers
reactor_jar
bench_jar
out=$(results_dir reactor-ab)
echo "reactor-ab: $a vs $b${NETKIT_BASE_JAR:+ (netkit-base: $NETKIT_BASE_JAR)}${SERVER_ARGS:+, netkit server args: $SERVER_ARGS}${BASE_SERVER_ARGS+, netkit-base server args: '$BASE_SERVER_ARGS'}, $conns connections, $pairs pairs, load args: $* ($(nproc) cores, $(java_version))" | tee "$out/README.txt"
port=7400

run_one() { # kind
    local kind=$1
    shift
    port=$((port + 1))
    if [[ $kind == netkit || $kind == netkit-base ]]; then
        local jar=reactor/target/netkit-reactor.jar
        local args=(${server_args[@]+"${server_args[@]}"})
        if [[ $kind == netkit-base ]]; then
            jar=${NETKIT_BASE_JAR:?netkit-base needs NETKIT_BASE_JAR}
            args=(${base_server_args[@]+"${base_server_args[@]}"})
        fi
        start_server "$out/server-$port.log" \
            "$JAVA_HOME/bin/java" -jar "$jar" server --port $port --max-connections 100000 ${args[@]+"${args[@]}"}
    else
        start_server "$out/server-$port.log" \
            "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar dev.netkit.bench.reactor.PeerEchoServer "$kind" $port
    fi
    echo "== $kind (pid $server_pid, port $port)"
    "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar load --port $port -c "$conns" --pid $server_pid --quiet \
        --csv "$out/$kind.csv" "$@" | sed 's/^/   /'
    stop_server
}

for i in $(seq "$pairs"); do
    if (( i % 2 == 1 )); then run_one "$a" "$@"; run_one "$b" "$@"; else run_one "$b" "$@"; run_one "$a" "$@"; fi
done

echo "== medians over $pairs pairs"
for k in "$a" "$b"; do
    printf '%-12s msgs/s %12s  p99 ns %10s  cpu us/msg %8s  busiest/median %6s\n' "$k" \
        "$(median "$out/$k.csv" msgsPerSecond)" "$(median "$out/$k.csv" p99Ns)" \
        "$(median "$out/$k.csv" serverCpuMicrosPerMsg)" "$(median "$out/$k.csv" fairness)"
done | tee -a "$out/README.txt"
