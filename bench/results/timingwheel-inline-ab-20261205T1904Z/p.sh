#!/bin/bash
# alternating A/B: one fork per jar per round
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B='TimerBench.(scheduleCancelTimingWheel|scheduleCancelAgrona|scheduleCancelLinkFloor|touchTimingWheel)$'
for r in 1 2 3; do
  for v in old new; do
    flock /tmp/netkit-bench.lock $J -jar $v.jar "$B" -f 1 -wi 3 -i 5 -rf json -rff $v-$r.json > $v-$r.log 2>&1
    echo "$(date -u +%T) $v-$r" >> p.log
  done
done
