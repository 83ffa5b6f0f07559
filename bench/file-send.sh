#!/usr/bin/env bash
# Runs FileSendBench: a file sent over loopback TCP by FileChannel.read + SocketChannel.write into a heap
# and a direct buffer, by FileChannel.transferTo (sendfile(2)), by FileChannel.map + write, and by the
# netkit reactor's file protocol (Conn.sendFile from its event loop), with the
# sender's CPU from /proc. Writes bench/results/file-send-<UTC timestamp>.md (a markdown table and the
# harness notes) and .json.
#
#   bench/file-send.sh [FileSendBench options...]
#   bench/file-send.sh                          # 100 MiB and 1 GiB, all four modes, 5 reps
#   bench/file-send.sh --sizes 100M --reps 2    # a smoke run
#   bench/file-send.sh --sizes 100M --verify    # CRC32C of every received stream against the file's
#
# Options (FileSendBench --help): --sizes 100M,1G --modes heap,direct,transferTo,mmap,netkit --reps 5 --warmup 5
# --verify --dir DIR --buffer 65536 --mmap-window 64M --sndbuf 0 --rcvbuf 0 --recv-buffer 262144.
# CPU placement: on a machine with 2 or more CPUs the receiver (this script's JVM) runs under
# taskset -c $RECEIVER_CPUS (default 1) and every sender under taskset -c $SENDER_CPUS (default 0), so that
# the two never share a core and the loopback TCP work lands the same way from one send to the next; set
# either variable empty (SENDER_CPUS= RECEIVER_CPUS= bench/file-send.sh ...) to leave placement to the
# scheduler.
# Prints a provenance header (date, JVM, cores, kernel) and the exact command; a figure quoted in a README
# must come from such a run, with that header and command beside it.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # to the repository root, a JDK >= 21, the shared helpers
bench_jar          # bench/target/benchmarks.jar, built when missing or older than the sources
reactor_jar        # reactor/target/netkit-reactor.jar, for the netkit mode (its file protocol)
jar=bench/target/benchmarks.jar

# --- CPU placement ---------------------------------------------------------------------------------------
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
  sender_cpus=${SENDER_CPUS-0}
  receiver_cpus=${RECEIVER_CPUS-1}
else
  sender_cpus=${SENDER_CPUS-}
  receiver_cpus=${RECEIVER_CPUS-}
fi
launcher=()
[[ -z $receiver_cpus ]] || launcher=(taskset -c "$receiver_cpus")
pin_args=()
[[ -z $sender_cpus ]] || pin_args=(--sender-cpus "$sender_cpus")

# --- run -----------------------------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
md=bench/results/file-send-$stamp.md
json=bench/results/file-send-$stamp.json

java_version=$(java_version)
date_line="date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
jvm_line="jvm: $java_version ($JAVA_HOME)"
host_line="host: nproc $(nproc), kernel $(uname -srm), load average $(cut -d' ' -f1-3 /proc/loadavg)"
quoted=
[[ $# -eq 0 ]] || quoted=$(printf ' %q' "$@")
command_line="command: SENDER_CPUS=$sender_cpus RECEIVER_CPUS=$receiver_cpus bench/file-send.sh$quoted"
java_cmd="${launcher[*]:+${launcher[*]} }$JAVA_HOME/bin/java -cp $jar dev.netkit.bench.reactor.FileSendBench --md $md --json $json${pin_args[*]:+ ${pin_args[*]}}$quoted"
echo "# $date_line"
echo "# $jvm_line"
echo "# $host_line"
echo "# $command_line"
echo "# java: $java_cmd"

rc=0
${launcher[@]+"${launcher[@]}"} "$JAVA_HOME/bin/java" -cp "$jar" dev.netkit.bench.reactor.FileSendBench \
  --md "$md" --json "$json" ${pin_args[@]+"${pin_args[@]}"} \
  --note "$date_line" --note "$jvm_line" --note "$host_line" --note "$command_line" --note "java: $java_cmd" \
  "$@" || rc=$?

echo "# $date_line | $java_version | nproc $(nproc)"
if [[ -s $md ]]; then
  echo "# results: $md $json"
else
  echo "# results: none written (FileSendBench exited with status $rc)"
fi
exit "$rc"
