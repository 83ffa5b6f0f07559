#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
cd /tmp/exp
for r in 1 2 3; do for j in packed lean; do
  s=$(flock /tmp/netkit-bench.lock $JAVA_HOME/bin/java -jar $j.jar 'ConnMatrixBench.churnConnMatrixOwner$' -t 1 -f 1 -wi 3 -i 5 -jvmArgsAppend "-Xms4g -Xmx4g -Dnetkit.entries=4096" -rf json -rff /tmp/exp/l-$j-4096-$r.json 2>&1 | grep -E "^ConnMatrixBench" | awk '{print $4, $5, $6}')
  echo "r$r [$j] $s"
done; done
