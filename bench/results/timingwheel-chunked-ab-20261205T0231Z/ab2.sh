#!/usr/bin/env bash
# touch / schedule+cancel A/B, 2 forks each, alternating old, new, old, new
set -uo pipefail
cd /work/h-tw
while [ ! -f /tmp/h-tw/ab/DONE ]; do sleep 5; done
OLD=/tmp/h-tw/benchmarks-old-9ce04fc.jar
R='TimerBench.(touchTimingWheel|scheduleCancelTimingWheel|touchAgronaCancelSchedule)$'
out=/tmp/h-tw/ab
flock /tmp/netkit-bench.lock /tmp/h-tw/runjar.sh old-9ce04fc "$OLD" "$R" -f 2 > $out/TimerBench.touch-r3-old.log 2>&1
flock /tmp/netkit-bench.lock bench/run "$R" -f 2 > $out/TimerBench.touch-r3-new.log 2>&1
flock /tmp/netkit-bench.lock /tmp/h-tw/runjar.sh old-9ce04fc "$OLD" "$R" -f 2 > $out/TimerBench.touch-r4-old.log 2>&1
flock /tmp/netkit-bench.lock bench/run "$R" -f 2 > $out/TimerBench.touch-r4-new.log 2>&1
echo done > $out/DONE2
