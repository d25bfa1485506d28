#!/usr/bin/env bash
# bench/run.sh inside User-Mode Linux, for a host whose open-file limit is too low for c100k.
#
#   bench/uml/run.sh [--mem 8G] -- --no-build --rounds 1 --scenarios c100k --servers java
#
# Why: one server process holds one descriptor per client, so 100 000 clients need a hard
# RLIMIT_NOFILE above 100 000, and raising it needs CAP_SYS_RESOURCE. A container without that
# capability (ours: hard limit 20 000) cannot, not even as root. A User-Mode Linux kernel is an
# ordinary process of the host: inside it we are root of our own kernel and set the limit freely.
# Its root filesystem is the host's / (hostfs), so the repository, JDK, Node.js and node_modules
# are the host's own, and results land in bench/results/ as usual.
# (Only there: the guest has its own /tmp, so an --out under /tmp is lost when it stops.)
#
# What it costs: UML has one CPU, and every system call and page fault of a process inside it is
# a round trip through the host kernel (ptrace), many times dearer than native. Memory figures
# (heap after GC, RSS) are the JVM's and Node's own and hold; anything measured in time (connect
# rate, CPU per operation, broadcast time, heartbeat lateness) is the emulation's, far slower than
# the same box natively. BENCHMARKS.md ("C100K") says which figures come from where.
#
# Needs: linux.uml (apt-get install user-mode-linux), and memory for --mem (shared memory backs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
mem=8G
while [ $# -gt 0 ]; do
  case "$1" in
    --mem) mem="$2"; shift 2;;
    --) shift; break;;
    *) break;;
  esac
done
command -v linux.uml >/dev/null 2>&1 || { echo "bench/uml/run.sh: linux.uml is missing (apt-get install -y user-mode-linux)" >&2; exit 2; }
[ -f target/switchboard.jar ] || { echo "bench/uml/run.sh: build first: mvn -q -B package -DskipTests" >&2; exit 2; }
[ -d bench/node_modules ] || { echo "bench/uml/run.sh: run npm ci in bench/ first (UML has no network)" >&2; exit 2; }
# UML maps the guest's memory into the host processes that carry its processes page by page, so a
# server of a few hundred MB needs more mappings than the host's default limit (65 530): past it,
# UML reports "ran out of memory on the host side" and the guest's process is killed.
maps=$(cat /proc/sys/vm/max_map_count)
if [ "$maps" -lt 4000000 ]; then
  sysctl -q -w vm.max_map_count=4000000 2>/dev/null || {
    echo "bench/uml/run.sh: vm.max_map_count is $maps; UML needs about one mapping per guest page: sysctl -w vm.max_map_count=4000000" >&2; exit 2; }
fi
touch bench/node_modules/.package-lock.json   # run.sh inside must not try npm ci: UML has no network
args_file=$(mktemp "$PWD/bench/results/.uml-args.XXXXXX" 2>/dev/null || { mkdir -p bench/results; mktemp "$PWD/bench/results/.uml-args.XXXXXX"; })
printf '%s\n' "$@" > "$args_file"
trap 'rm -f "$args_file"' EXIT
# umid names the instance (its control files under ~/.uml); con0 is the console on our stdio.
linux.uml umid="switchboard-bench-$$" mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ rw \
  init="$PWD/bench/uml/init.sh" con=null con0=fd:0,fd:1 \
  SB_REPO="$PWD" SB_ARGS="$args_file" < /dev/null 2>&1 | tr -d '\r' | grep -E '^(uml|bench|\[|wrote|SMOKE)' || true
status=$(cat "$args_file.status" 2>/dev/null || echo 1)
rm -f "$args_file.status"
exit "$status"
