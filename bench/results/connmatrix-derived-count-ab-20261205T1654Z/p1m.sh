#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
cd /tmp/exp
for r in 1 2 3 4; do for j in base packed; do
  echo "== round $r jar $j $(date -u +%H:%M:%S)"
  flock /tmp/netkit-bench.lock $JAVA_HOME/bin/java -jar $j.jar 'ConnMatrixBench.(churnArray|churnArrayPlusGen|churnConnMatrixOwner)$' -t 1 -f 1 -wi 3 -i 5 -jvmArgsAppend "-Xms4g -Xmx4g" -rf json -rff /tmp/exp/p-$j-1000000-$r.json 2>&1 | grep -E "^ConnMatrixBench"
done; done
