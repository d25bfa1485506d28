#!/bin/bash
# PID 1 inside User-Mode Linux (bench/uml/run.sh starts it): our own proc, sys, dev and tmp over
# the host's /, the descriptor limit raised, loopback up, then bench/run.sh; then power off.
mount -t proc proc /proc; mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null || mount -t tmpfs dev /dev
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp; mount -t tmpfs tmpfs /run
ip link set lo up
ulimit -Hn 1048576; ulimit -n 1048576
sysctl -q -w net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535 2>/dev/null
echo "uml: $(nproc) CPU, $(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo) MB, kernel $(uname -r), ulimit -n $(ulimit -n)"
cd "$SB_REPO"
mapfile -t args < "$SB_ARGS"
echo "uml: bench/run.sh ${args[*]}"
BENCH_STARTUP_S=180 bench/run.sh "${args[@]}"
echo $? > "$SB_ARGS.status"
sync
halt -f -p 2>/dev/null || echo o > /proc/sysrq-trigger
