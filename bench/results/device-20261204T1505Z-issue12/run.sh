#!/bin/bash
# device run: JMH before/after (cores 0-5) and jcstress (cores 6-15) in parallel
set -u
tar xzf .devjdk/rt.tgz -C /tmp && J=/tmp/rt/bin/java
nproc > $OUT/info.txt; $J -version >> $OUT/info.txt 2>&1
B='TimerBench.(scheduleCancelTimingWheel|touchTimingWheel|scheduleCancelWheelTimerCallerSide)$|ExpiryBench.(pollTimingWheel|expireWheelTimer)$|ByteRingCopyBench.byteRingElastic$'
(
  for round in 1 2; do
    for v in old new; do
      echo "=== round $round $v"
      timeout 150 taskset -c 0-5 $J -jar .devjdk/bench-$v.jar "$B" -f 1 -wi 3 -i 5 -w 1s -r 1s -rf csv -rff $OUT/jmh-$v-$round.csv 2>&1 | grep -E "^Benchmark|^[A-Za-z]+Bench\." 
    done
  done
) > $OUT/jmh.log 2>&1 &
jmh=$!
mkdir -p /tmp/jc1 /tmp/jc2
( cd /tmp/jc1 && timeout 330 taskset -c 6-15 $J -XX:+UseParallelGC -jar $OLDPWD/.devjdk/jcstress.jar -m sanity -c 4 -t 'dev.netkit.stressmany' > $OUT/jcstress-many.log 2>&1 )
( cd /tmp/jc2 && timeout 150 taskset -c 6-15 $J -jar $OLDPWD/.devjdk/jcstress.jar -m quick -t 'InboxWakeup' > $OUT/jcstress-inbox.log 2>&1 )
wait $jmh
grep -E "Results:|planned" $OUT/jcstress-*.log | tail -4
cat $OUT/jmh.log | tail -40
