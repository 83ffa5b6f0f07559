#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
B='ExpiryBench.(expireWheelTimer|expireNetty)$'
for r in 1 2 3; do
  for v in old due; do
    flock /tmp/netkit-bench.lock $J -jar $v.jar "$B" -f 1 > d-$v-$r.log 2>&1
    echo "$(date -u +%T) $v-$r" >> d.log
  done
done
