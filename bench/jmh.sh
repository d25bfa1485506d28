#!/usr/bin/env bash
# JMH microbenchmarks for the codecs (src/test/java/dev/switchboard/bench/jmh):
#
#   bench/jmh.sh                       # all of them: 1 fork, 3 × 1 s warm-up, 5 × 1 s measurement
#   bench/jmh.sh SocketIo              # a regex over benchmark names
#   bench/jmh.sh WebSocket -f 3 -wi 5 -i 10   # JMH options after the regex replace the defaults
#
# Pinned to CPU 0 when taskset is there; prints JMH's table and writes target/jmh-result.json.
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-dev.switchboard.bench.jmh}"
[ $# -gt 0 ] && shift
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/jmh.classpath)"
pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc --all)" -ge 2 ]; then pin=(taskset -c 0); fi
jmh_opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
[ $# -gt 0 ] && jmh_opts=("$@")
exec ${pin[@]+"${pin[@]}"} java -cp "$cp" org.openjdk.jmh.Main "$filter" "${jmh_opts[@]}" -rf json -rff target/jmh-result.json
