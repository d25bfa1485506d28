#!/usr/bin/env bash
# Starts Switchboard with the production JVM flags (README, "Memory: the JVM flags"); arguments
# go to the server unchanged, and the JVM replaces this shell (same pid: systemd, jcmd, kill).
#
#   deploy/switchboard.sh                      # the chat server, as `java -jar target/switchboard.jar`
#   deploy/switchboard.sh --port 8080          # any option or command of the jar
#   JAVA_OPTS="-XX:+UseParallelGC -Xms64m -Xmx2g" deploy/switchboard.sh   # your own flags instead
#
# The flags, and why (BENCHMARKS.md measures them):
#   -XX:+UseSerialGC          the collector the JVM picks itself on one CPU; on 1-2 cores nothing can run
#                             beside a concurrent collector, and G1 halved broadcast throughput there.
#                             With 4+ cores, -XX:+UseParallelGC gives the same throughput with shorter pauses.
#   -Xms64m -Xmx512m          start small, grow with the load, bounded. An idle authenticated client
#                             holds about 4 KB of heap (C100K in BENCHMARKS.md): 100 000 took 386
#                             MB of the old generation's 416 (MaxNewSize below); for that many per node,
#                             raise -Xmx (768m). Plain `java -jar` lets the heap grow to a quarter of the
#                             machine's memory and, with G1, keeps what it touched.
#   -XX:MaxNewSize=96m        the young generation at most 96 MB (the benchmark tables' 256 MB heap
#                             has 85 MB): by default it may take a third of the heap, which would
#                             leave the old generation 341 MB, less than 100 000 clients need. It
#                             binds only once the heap has grown past 288 MB.
#   -XX:+ExitOnOutOfMemoryError   a server out of heap stops (and is restarted by its supervisor)
#                             rather than limping on with failed allocations in random threads.
#   -XX:TrimNativeHeapInterval=1000   (JDK 17.0.9+, left out on an older JVM) gives the C heap's free
#                             pages back to the OS each second: memory the JIT compiler freed
#                             would otherwise stay resident.
# Settings (environment): JAR (default target/switchboard.jar next to this script's directory),
# JAVA (default java), JAVA_OPTS (replaces the flags above entirely).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=${JAR:-$(dirname "$here")/target/switchboard.jar}
JAVA=${JAVA:-java}
[[ -f $JAR ]] || { echo "switchboard.sh: $JAR is missing: mvn -q -B package -DskipTests (or set JAR)" >&2; exit 2; }

if [[ -n ${JAVA_OPTS:-} ]]; then
  read -r -a flags <<<"$JAVA_OPTS"
else
  flags=(-XX:+UseSerialGC -Xms64m -Xmx512m -XX:MaxNewSize=96m -XX:+ExitOnOutOfMemoryError)
  # an unknown -XX option stops the JVM, so the trim interval only where this JVM knows it
  if "$JAVA" -XX:TrimNativeHeapInterval=1000 -version >/dev/null 2>&1; then flags+=(-XX:TrimNativeHeapInterval=1000); fi
fi
exec "$JAVA" "${flags[@]}" -jar "$JAR" "$@"
