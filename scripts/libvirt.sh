#!/usr/bin/env bash
# Starts or stops the libvirt daemons the compute tests need, on a machine without
# systemd (CI, a container). `start` is idempotent and waits until libvirtd answers;
# `stop` stops only the daemons this script started (their pids are kept in $STATE).
set -euo pipefail
STATE=${NEXUS_LIBVIRT_STATE:-/run/nexus-cos-libvirt}
mkdir -p "$STATE"

answers() { virt-admin -c libvirtd:///system version >/dev/null 2>&1; }
running() { pgrep -x "$1" >/dev/null 2>&1; }

start() {
  # libvirt keeps each bridge's MAC map in its dnsmasq state directory, but creates that
  # directory only when it starts a DHCP or DNS server, which our bridges (addressed, no DHCP,
  # no DNS) never do: on a machine where no such network ever ran, starting a VM then fails
  # with "Failed to create file '/var/lib/libvirt/dnsmasq/<bridge>.macs.new'".
  mkdir -p /var/lib/libvirt/dnsmasq
  # virtlogd first: without it `virsh start` fails.
  if ! running virtlogd; then
    virtlogd -d
    pgrep -xn virtlogd >"$STATE/virtlogd.pid"
  fi
  if ! running libvirtd; then
    if [ -e /dev/kvm ] && ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
      # /dev/kvm exists but the CPU cannot virtualize. libvirt then finds KVM "usable" yet
      # absent from QEMU's capabilities, calls its cache stale and re-probes QEMU (40 s
      # here) on every define. libvirtd gets its own mount namespace in which /dev/kvm is
      # an unreadable file; nothing else on the host is affected. In that namespace QEMU's
      # own private /dev (which would try to carry the bind mount along) is turned off.
      : >"$STATE/no-kvm"
      chmod 000 "$STATE/no-kvm"
      { cat /etc/libvirt/qemu.conf; echo 'namespaces = []'; } >"$STATE/qemu.conf"
      unshare -m --propagation private sh -c "mount --bind '$STATE/no-kvm' /dev/kvm && mount --bind '$STATE/qemu.conf' /etc/libvirt/qemu.conf && exec libvirtd -d"
    else
      libvirtd -d
    fi
    for _ in $(seq 1 50); do pgrep -xn libvirtd >"$STATE/libvirtd.pid" && break; sleep 0.1; done
  fi
  for _ in $(seq 1 100); do
    if answers; then
      echo "libvirt: libvirtd answers"
      return 0
    fi
    sleep 0.2
  done
  echo "libvirt: libvirtd did not answer within 20 s" >&2
  return 1
}

stop() {
  # libvirtd before virtlogd, the reverse of start; only pids we recorded.
  for d in libvirtd virtlogd; do
    f="$STATE/$d.pid"
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$d" ]; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$f"
  done
  echo "libvirt: stopped what this script started"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
