#!/usr/bin/env bash
# Holds as many idle connections as the open-file limit allows on one netkit echo server: the reactor's
# `idle` mode opens CONNECTIONS connections (default: the limit minus 25), checks that every one answers a
# one-byte echo before and after a HOLD_S hold, and prints the server's RSS per connection and the
# projection to 100,000. Then it tries EXTRA connections past the server's limit (default 300) with a
# second client and samples the server's CPU time while the acceptor meets EMFILE, and prints the
# server's stats (accept errors, closes) at its graceful shutdown.
#
#   bench/reactor-hold.sh [CONNECTIONS] [HOLD_S] [EXTRA]
#
# Logs: bench/results/reactor-hold-<UTC timestamp>/. Needs reactor/target/netkit-reactor.jar.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # to the repository root, a JDK >= 21, the shared helpers
reactor_jar
limit=$(ulimit -n)
conns=${1:-$((limit - 25))}
hold=${2:-10}
extra=${3:-300}
out=$(results_dir reactor-hold)
J="$JAVA_HOME/bin/java"
port=7650
start_server "$out/server.log" "$J" -jar reactor/target/netkit-reactor.jar server --port $port
pid=$server_pid
sleep 1
base=$(ls /proc/$pid/fd | wc -l)
echo "reactor-hold: open-file limit $limit per process, server holds $base files before the first connection, requesting $conns ($(nproc) cores, $(java_version))" | tee "$out/README.txt"
# the holding client keeps its connections for HOLD_S + 20 s; the overflow client starts once they are open
"$J" -jar reactor/target/netkit-reactor.jar idle --port $port -c "$conns" --hold-s "$((hold + 20))" --pid $pid > "$out/hold.txt" 2>&1 &
hp=$!
while ! [[ $(ls /proc/$pid/fd 2>/dev/null | wc -l) -ge $((base + conns)) ]] && kill -0 $hp 2>/dev/null; do sleep 0.5; done
sleep 2
echo "server files while holding: $(ls /proc/$pid/fd | wc -l)" | tee -a "$out/README.txt"
ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
t0=$(ticks)
# past the limit: the kernel completes these handshakes into the backlog, the acceptor gets EMFILE
timeout 10 "$J" -jar reactor/target/netkit-reactor.jar idle --port $port -c "$extra" --hold-s 1 > "$out/overflow.txt" 2>&1 || true
sleep 5
t1=$(ticks)
echo "server CPU while $extra connections waited past the limit for ~15 s: $(( (t1 - t0) * 10 )) ms" | tee -a "$out/README.txt"
wait $hp || true
sed 's/^/   /' "$out/hold.txt" | tee -a "$out/README.txt"
stop_server
echo "server stats at shutdown: $(tail -n 1 "$out/server.log")" | tee -a "$out/README.txt"
