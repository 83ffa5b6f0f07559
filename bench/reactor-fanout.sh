#!/usr/bin/env bash
# Pub/sub fan-out runs of the netkit reactor: a fresh `server --protocol pubsub` per run, loaded by the
# reactor's load generator in pubsub mode; medians over the runs.
#
#   bench/reactor-fanout.sh CONNECTIONS TOPICS PUBLISHERS RUNS [extra load args...]
#   bench/reactor-fanout.sh 1000 1 1 3 -d 10 -w 3        # 1,000 subscribers on one topic, one publisher
#
# Every connection subscribes to its topic (CONNECTIONS / TOPICS subscribers per topic); the first
# PUBLISHERS of each topic publish (closed loop, 64 B, 1 publish in flight per publisher unless the extra
# args say otherwise). msgs/s counts deliveries, latency is per delivery, server CPU is per delivery; every
# delivery is checked (sequence, CRC, exactly once per subscriber). Results:
# bench/results/reactor-fanout-<UTC timestamp>/pubsub.csv, the server logs and a median summary.
# Needs reactor/target/netkit-reactor.jar (built when missing).
set -euo pipefail
[[ $# -ge 4 ]] || { sed -n 2,14p "$0" >&2; exit 2; }
conns=$1 topics=$2 pubs=$3 runs=$4
shift 4
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # to the repository root, a JDK >= 21, the shared helpers
reactor_jar
out=$(results_dir reactor-fanout)
echo "reactor-fanout: pubsub, $conns connections, $topics topics, $pubs publishers per topic, $runs runs, load args: $* ($(nproc) cores, $(java_version))" | tee "$out/README.txt"
port=7600
for i in $(seq "$runs"); do
    port=$((port + 1))
    start_server "$out/server-$port.log" "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar server \
        --protocol pubsub --port $port --max-connections 100000
    echo "== run $i (pid $server_pid, port $port)"
    "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar load --protocol pubsub --port $port -c "$conns" \
        --topics "$topics" --publishers "$pubs" --pid $server_pid --quiet --csv "$out/pubsub.csv" "$@" | sed 's/^/   /'
    stop_server
done
echo "== medians over $runs runs"
printf 'pubsub deliveries/s %12s  publishes/s %10s  p99 ns %10s  cpu us/delivery %8s  lost %s\n' \
    "$(median "$out/pubsub.csv" msgsPerSecond)" "$(median "$out/pubsub.csv" publishesPerSecond)" \
    "$(median "$out/pubsub.csv" p99Ns)" "$(median "$out/pubsub.csv" serverCpuMicrosPerMsg)" \
    "$(median "$out/pubsub.csv" lost)" | tee -a "$out/README.txt"
