# Sourced by bench's scripts (bench/run, bench/file-send.sh, bench/reactor-*.sh): moves to the repository
# root, picks a JDK >= 21 the way CI does (scripts/jdk.sh: $JAVA_HOME if it is one, else the newest under
# /usr/lib/jvm), and defines the helpers they share.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. scripts/jdk.sh

# bench_build JAR MODULE PATH...: builds MODULE (with the modules it needs) when JAR is missing or a file
# under one of the PATHs is newer than it, so that a result never comes from code other than the tree's.
bench_build() {
    local jar=$1 module=$2 stale=
    shift 2
    if [[ -f $jar ]]; then
        stale=$(find "$@" -newer "$jar" -type f -not -path './stress/*' -print -quit 2>/dev/null || true)
    fi
    if [[ ! -f $jar || -n $stale ]]; then
        [[ -z $stale ]] || echo "bench/${0##*/}: $stale is newer than $jar; rebuilding" >&2
        echo "bench/${0##*/}: building: ./mvnw -B -q -ntp -pl $module -am package -DskipTests" >&2
        ./mvnw -B -q -ntp -pl "$module" -am package -DskipTests
    fi
}

# The two jars the scripts run: JMH's (with the peers' servers and FileSendBench) and the reactor's CLI.
bench_jar() {
    bench_build bench/target/benchmarks.jar bench pom.xml ./*/pom.xml ./*/src/main
}
reactor_jar() {
    local m=(padding ring timingwheel pool connmatrix reactor)
    bench_build reactor/target/netkit-reactor.jar reactor pom.xml "${m[@]/%//pom.xml}" "${m[@]/%//src/main}"
}

# results_dir NAME: creates and prints bench/results/NAME-<UTC timestamp>.
results_dir() {
    local dir
    dir="bench/results/$1-$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "$dir"
    echo "$dir"
}

# start_server LOG COMMAND...: runs a server in the background with its output in LOG, sets server_pid,
# kills it if the script exits before stop_server, and waits up to 10 s for its "listening on port" line.
start_server() {
    local log=$1
    shift
    "$@" > "$log" 2>&1 &
    server_pid=$!
    trap 'kill $server_pid 2>/dev/null' EXIT
    for _ in $(seq 100); do
        grep -q "listening on port" "$log" 2>/dev/null && break
        sleep 0.1
    done
}

# stop_server: stops the server start_server started (SIGTERM: a graceful shutdown) and waits for it.
stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    trap - EXIT
}

# median FILE COLUMN: the median of a CSV column (by its header name).
median() {
    awk -F, -v col="$2" 'NR==1 {for (i=1;i<=NF;i++) if ($i==col) c=i; next} {print $c}' "$1" | sort -g \
        | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}

# The JVM's version line, for the headers of results.
java_version() {
    "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1
}

# provenance_header: the first line of every result's output: date, JVM, cores, machine.
provenance_header() {
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) | $(java_version) | nproc $(nproc) | $(uname -sm)"
}

# result_name REGEX MAX: a file-name stem from a benchmark regex (package prefix dropped, other characters
# made '_', at most MAX characters; "bench" if nothing is left), as bench/run and bench/interleave name results.
result_name() {
    local name=$1
    while [[ $name =~ ^[a-z_][a-z0-9_]*\.(.+)$ ]]; do name=${BASH_REMATCH[1]}; done
    name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_' | sed -e 's/__*/_/g' -e 's/^[_.]*//' -e 's/[_.]*$//' | cut -c1-"$2")
    echo "${name:-bench}"
}
