#!/bin/bash
R=$PWD
tar xzf .devjdk/rt.tgz -C /tmp && J=/tmp/rt/bin/java
ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn)
L=$OUT/reactor16.log
echo "nproc $(nproc), open files $(ulimit -n), $($J -version 2>&1 | head -1), $(date -u)" > $L
run() { kind=$1; port=$2
  if [ $kind = netkit ]; then $J -jar .devjdk/netkit-reactor.jar server --port $port --max-connections 100000 > /tmp/s$port.log 2>&1 &
  else $J -cp .devjdk/benchmarks.jar dev.netkit.bench.reactor.PeerEchoServer $kind $port > /tmp/s$port.log 2>&1 & fi
  sp=$!; sleep 2
  echo "== $kind (server on all cores, load: -c 10000 -t 8 -d 8 -w 3)" >> $L
  timeout 60 $J -jar .devjdk/netkit-reactor.jar load --port $port -c 10000 -t 8 -d 8 -w 3 --pid $sp --quiet >> $L 2>&1
  kill $sp; wait $sp 2>/dev/null
}
run netkit 7001; run netty-epoll 7002; run netty-epoll 7003; run netkit 7004
