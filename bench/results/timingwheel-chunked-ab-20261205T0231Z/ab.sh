#!/usr/bin/env bash
# A/B: old = 9ce04fc (flat arrays grown by half), new = 7204ade (chunked). Each JMH run under the bench lock.
set -uo pipefail
cd /work/h-tw
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
OLD=/tmp/h-tw/benchmarks-old-9ce04fc.jar
TB='TimerBench.(scheduleCancel(TimingWheel|Agrona.*)|touch.*)'
EB='ExpiryBench.poll'
out=/tmp/h-tw/ab
run_old() { flock /tmp/netkit-bench.lock /tmp/h-tw/runjar.sh old-9ce04fc "$OLD" "$1" -prof gc > "$out/$2" 2>&1; }
run_new() { flock /tmp/netkit-bench.lock bench/run "$1" -prof gc > "$out/$2" 2>&1; }
fp() {   # label jar
  { echo "date: $(date -u)"; echo "nproc: $(nproc)"; "$JAVA_HOME/bin/java" -version 2>&1 | head -1; echo "load: $(cat /proc/loadavg)";
    echo "cmd: java -Xms3g -Xmx3g -XX:+UseSerialGC -cp bench/target/benchmarks.jar dev.netkit.bench.timingwheel.TimerFootprint   (jar: $2, $1)";
    flock /tmp/netkit-bench.lock "$JAVA_HOME/bin/java" -Xms3g -Xmx3g -XX:+UseSerialGC -cp "$2" dev.netkit.bench.timingwheel.TimerFootprint; } > "$out/TimerFootprint-$1.txt" 2>&1
}
run_old "$TB" TimerBench-r1-old.log
run_new "$TB" TimerBench-r1-new.log
run_old "$EB" ExpiryBench.poll-r1-old.log
run_new "$EB" ExpiryBench.poll-r1-new.log
fp old-9ce04fc "$OLD"
fp new-7204ade bench/target/benchmarks.jar
run_new "$TB" TimerBench-r2-new.log
run_old "$TB" TimerBench-r2-old.log
run_new "$EB" ExpiryBench.poll-r2-new.log
run_old "$EB" ExpiryBench.poll-r2-old.log
echo done > "$out/DONE"
