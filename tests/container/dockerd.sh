#!/bin/sh
# A private Docker daemon for the container test, kept apart from any system one: its own data
# root (images and build cache survive between runs), socket, exec root and pidfile, all under
# STATE_DIR. No iptables and no bridge, so it needs no network setup; containers use
# `--network host` (build) or `--network none` (run).
#
# usage: dockerd.sh start STATE_DIR   prints the DOCKER_HOST to use once the daemon answers
#        dockerd.sh stop STATE_DIR    stops the daemon named in STATE_DIR/dockerd.pid
set -eu

cmd=${1:?usage: dockerd.sh start|stop STATE_DIR}
state=${2:?usage: dockerd.sh start|stop STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
pidfile=$state/dockerd.pid
sock=$state/docker.sock
# The exec root holds containerd's sockets, whose paths must stay short (108 bytes at most).
exec_root=/tmp/testrelay-dockerd-$(printf %s "$state" | cksum | cut -d' ' -f1)

running_pid() {
    [ -f "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop() {
    if pid=$(running_pid); then
        kill "$pid"
        i=0
        while kill -0 "$pid" 2>/dev/null; do
            i=$((i + 1))
            if [ "$i" -gt 100 ]; then
                kill -9 "$pid" 2>/dev/null || :
                break
            fi
            sleep 0.2
        done
    fi
    rm -f "$pidfile" "$sock"
    # dockerd leaves its default network namespace bind-mounted in the exec root.
    grep -o " $exec_root/[^ ]*" /proc/mounts 2>/dev/null | while read -r mnt; do umount "$mnt" || :; done
    rm -rf "$exec_root"
}

case $cmd in
start)
    command -v dockerd >/dev/null 2>&1 || { echo "dockerd not installed (run tests/container/setup.sh)" >&2; exit 1; }
    # A daemon left behind by an interrupted run of this test holds the data root; it is ours to stop.
    stop
    rm -f "$sock"
    dockerd --iptables=false --ip-masq=false --bridge=none \
        --data-root "$state/data" --exec-root "$exec_root" \
        --host "unix://$sock" --pidfile "$pidfile" \
        >"$state/dockerd.log" 2>&1 </dev/null &
    daemon=$!
    i=0
    until docker -H "unix://$sock" version >/dev/null 2>&1; do
        if ! kill -0 "$daemon" 2>/dev/null; then
            echo "dockerd exited at start:" >&2
            tail -n 5 "$state/dockerd.log" >&2
            exit 1
        fi
        i=$((i + 1))
        if [ "$i" -gt 150 ]; then
            echo "dockerd did not answer within 30 s:" >&2
            tail -n 5 "$state/dockerd.log" >&2
            kill "$daemon" 2>/dev/null || :
            exit 1
        fi
        sleep 0.2
    done
    echo "unix://$sock"
    ;;
stop)
    stop
    ;;
*)
    echo "usage: dockerd.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
