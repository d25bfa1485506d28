#!/usr/bin/env bash
# The benchmark suite in one command (BENCHMARKS.md explains the method):
#
#   bench/run.sh                      # build, npm ci, 3 rounds of every scenario (about 18 minutes)
#   bench/run.sh --smoke              # seconds: one round, small counts, correctness only
#   bench/run.sh --rounds 5 --scenarios echo-ws-100,broadcast-1000-10
#   bench/run.sh --no-build ...       # reuse target/switchboard.jar and bench/node_modules
#   bench/run.sh --no-build --rounds 1 --scenarios c100k   # opt-in: 100 000 clients (BENCHMARKS.md, C100K)
#
# Results: bench/results/<timestamp>/raw.json and summary.md. Needs JDK 17, Maven, Node.js 20 + npm,
# taskset (util-linux) and two CPUs: servers run on CPU 0, the load generator on CPU 1.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

for cmd in java node npm; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "bench/run.sh: $cmd is missing (apt-get install -y openjdk-17-jdk-headless maven nodejs npm)" >&2; exit 2; }
done
[ "$build" = 1 ] && { command -v mvn >/dev/null 2>&1 || { echo "bench/run.sh: mvn is missing" >&2; exit 2; }; }

# 10 000 idle WebSocket connections need 10 000 descriptors in the server and as many in the
# generator (the limit is per process); c100k needs 100 000 in the server (its generator spreads
# them over several processes). Raise the soft limit as far as the hard one allows.
if [ "$(ulimit -Hn)" = unlimited ]; then ulimit -n 1048576 2>/dev/null || true; else ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 10240 ]; then
  echo "bench/run.sh: warning: ulimit -n is $(ulimit -n); idle-memory (10 000 connections) needs 10 240 per process" >&2
fi
case " $* " in *c100k*)
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 100200 ]; then
    echo "bench/run.sh: warning: ulimit -n is $(ulimit -n) (hard limit $(ulimit -Hn)): one server process can hold about $(( $(ulimit -n) - 200 )) clients," \
      "not 100 000. Raise the hard limit (limits.conf, systemd LimitNOFILE, docker --ulimit nofile=...; needs CAP_SYS_RESOURCE)" \
      "or run fewer: --set c100k.clients=N" >&2
  fi;;
esac

if [ "$build" = 1 ]; then
  echo "== building target/switchboard.jar (mvn -q -B package -DskipTests)"
  mvn -q -B package -DskipTests
fi
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  echo "== npm ci in bench/ (socket.io, socket.io-client, ws pinned by bench/package-lock.json)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

if command -v taskset >/dev/null 2>&1 && [ "$(nproc --all)" -ge 2 ]; then
  exec taskset -c 1 node bench/run.mjs ${args[@]+"${args[@]}"}
fi
echo "bench/run.sh: warning: no taskset or fewer than 2 CPUs; running unpinned" >&2
exec node bench/run.mjs --no-pin ${args[@]+"${args[@]}"}
