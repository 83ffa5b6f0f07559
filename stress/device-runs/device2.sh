#!/usr/bin/env bash
# Second device session: the multi-actor jcstress tests (dev.netkit.stressmany) to completion.
set -u
tar xzf .devjdk/rt.tgz -C /tmp && J=/tmp/rt/bin/java
R=$PWD/.devjdk
echo "# $(date -u +%FT%TZ) | $($J -version 2>&1 | head -n 1) | nproc $(nproc) | $(uname -sm)" > $OUT/env.txt
mkdir -p /tmp/jc && cd /tmp/jc && timeout 300 $J --enable-native-access=ALL-UNNAMED -jar $R/jcstress.jar -m quick -t 'dev.netkit.stressmany' > $OUT/jcstress-many.log 2>&1
echo "rc=$?" >> $OUT/jcstress-many.log
