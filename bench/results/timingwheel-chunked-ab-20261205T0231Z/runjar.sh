#!/usr/bin/env bash
# runjar.sh LABEL JAR REGEX [jmh args]: bench/run's header and invocation, for a given jar
set -euo pipefail
label=$1; jar=$2; regex=$3; shift 3
cd /work/h-tw
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
name=$(printf '%s' "$regex" | tr -c 'A-Za-z0-9._-' '_' | sed -e 's/__*/_/g' -e 's/^[_.]*//' -e 's/[_.]*$//' | cut -c1-60)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
json=bench/results/$name-$label-$stamp.json
java_version=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
header="# $(date -u +%Y-%m-%dT%H:%M:%SZ) | $java_version | nproc $(nproc) | $(uname -sm) | load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$header"
echo "# jar: $jar ($label)"
echo "# java: $JAVA_HOME/bin/java -jar $jar $(printf '%q ' "$regex" "$@")-rf json -rff $json"
"$JAVA_HOME/bin/java" -jar "$jar" "$regex" -rf json -rff "$json" "$@"
echo "$header"; echo "# results: $json"
