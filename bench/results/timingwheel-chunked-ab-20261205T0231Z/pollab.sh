#!/usr/bin/env bash
# crude poll A/B (1M timers, hint, one poll, 12 rounds per JVM), old/new/old/new, under the bench lock
cd /tmp/h-tw/inl
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
flock /tmp/netkit-bench.lock bash -c "
for v in old new old new; do
  if [ \$v = old ]; then cp=/tmp/h-tw/old/classes; else cp=/work/h-tw/timingwheel/target/classes; fi
  echo \"== \$v \$(date -u +%H:%M:%S) load \$(cut -d' ' -f1-3 /proc/loadavg): \$($J -Xms2g -Xmx2g -cp \$cp:. Poll | tr '\n' ' ')\"
done"
