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
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. scripts/jdk.sh
[[ -f reactor/target/netkit-reactor.jar ]] || ./mvnw -B -q -ntp -pl reactor -am package -DskipTests
out="bench/results/reactor-fanout-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
echo "reactor-fanout: pubsub, $conns connections, $topics topics, $pubs publishers per topic, $runs runs, load args: $* ($(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1))" | tee "$out/README.txt"
port=7600
for i in $(seq "$runs"); do
    port=$((port + 1))
    "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar server --protocol pubsub --port $port \
        --max-connections 100000 > "$out/server-$port.log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null' EXIT
    for _ in $(seq 100); do grep -q "listening on port" "$out/server-$port.log" 2>/dev/null && break; sleep 0.1; done
    echo "== run $i (pid $pid, port $port)"
    "$JAVA_HOME/bin/java" -jar reactor/target/netkit-reactor.jar load --protocol pubsub --port $port -c "$conns" \
        --topics "$topics" --publishers "$pubs" --pid $pid --quiet --csv "$out/pubsub.csv" "$@" | sed 's/^/   /'
    kill $pid; wait $pid 2>/dev/null || true
    trap - EXIT
done
median() { # file column-name
    awk -F, -v col="$2" 'NR==1 {for (i=1;i<=NF;i++) if ($i==col) c=i; next} {print $c}' "$1" | sort -g \
        | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}
echo "== medians over $runs runs"
printf 'pubsub deliveries/s %12s  publishes/s %10s  p99 ns %10s  cpu us/delivery %8s  lost %s\n' \
    "$(median "$out/pubsub.csv" msgsPerSecond)" "$(median "$out/pubsub.csv" publishesPerSecond)" \
    "$(median "$out/pubsub.csv" p99Ns)" "$(median "$out/pubsub.csv" serverCpuMicrosPerMsg)" \
    "$(median "$out/pubsub.csv" lost)" | tee -a "$out/README.txt"
