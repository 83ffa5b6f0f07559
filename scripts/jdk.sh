# Sourced by netkit's scripts: exports JAVA_HOME pointing at a JDK >= 21 and puts its java first on PATH.
# Order: $JAVA_HOME if it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm (then /opt/java, /opt).
# Fails with a clear message when none is found.

netkit_java_major() { # $1 = a JDK home; prints its feature version, or nothing
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

netkit_pick_jdk() {
    local home major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(netkit_java_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    for home in /usr/lib/jvm/* /opt/java/* /opt/*; do
        [ -d "$home" ] || continue
        major=$(netkit_java_major "$home")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$home"
            best_major="$major"
        fi
    done
    [ -n "$best" ] && echo "$best"
}

NETKIT_JDK=$(netkit_pick_jdk) || true
if [ -z "${NETKIT_JDK:-}" ]; then
    echo "netkit: no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
    echo "netkit: install JDK 21 or newer and point JAVA_HOME at it." >&2
    return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$NETKIT_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
