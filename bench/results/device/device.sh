#!/usr/bin/env bash
# One device session: multi-actor jcstress tests and JMH thread-scaling runs. Logs go to $OUT.
set -u
tar xzf .devjdk/rt.tgz -C /tmp && J=/tmp/rt/bin/java
R=$PWD/.devjdk
{ echo "# $(date -u +%FT%TZ) | $($J -version 2>&1 | head -n 1) | nproc $(nproc) | $(uname -sm)"; } > $OUT/env.txt
mkdir -p /tmp/jc && (cd /tmp/jc && timeout 150 $J --enable-native-access=ALL-UNNAMED -jar $R/jcstress.jar -m quick -t 'dev.netkit.stressmany' > $OUT/jcstress-many.log 2>&1; echo "rc=$?" >> $OUT/jcstress-many.log)
B="$J -jar $R/benchmarks.jar"
{
for t in 4 8; do $B 'FalseSharingBench' -t $t -f 1 -wi 2 -i 3 -w 1s -r 1s 2>&1 | grep -v "^WARNING"; done
$B 'FalseSharingBench.(padded|striped|longAdder|sharedAtomic|adjacentAtomic|spaced)' -t 16 -f 1 -wi 2 -i 3 -w 1s -r 1s 2>&1 | grep -v "^WARNING"
} > $OUT/jmh-fsb.log 2>&1
{
for t in 1 4 16; do $B 'ConnMatrixBench.get' -t $t -f 1 -wi 2 -i 3 -w 1s -r 1s 2>&1 | grep -v "^WARNING"; done
} > $OUT/jmh-cm.log 2>&1
echo done >> $OUT/env.txt
