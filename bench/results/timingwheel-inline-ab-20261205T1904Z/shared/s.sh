#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B='TimerBench.(scheduleCancelTimingWheel|scheduleCancelAgrona|touchTimingWheel)$'
for r in 4 5 6; do
  for v in due shared; do
    flock /tmp/netkit-bench.lock $J -jar $v.jar "$B" -f 1 -wi 3 -i 5 > s-$v-$r.log 2>&1
    echo "$(date -u +%T) $v-$r" >> s.log
  done
done
