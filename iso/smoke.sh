#!/usr/bin/env bash
# `npm run iso:smoke`: builds the ISO (reusing live-build's cache) and proves it under QEMU
# TCG (-cpu qemu64; KVM does not work here):
#   1. live boot, UEFI (OVMF): /healthz answers 200 through a forwarded port; knotd answers
#      a DNS query and Haraka an SMTP banner on theirs;
#   2. the same, BIOS (SeaBIOS);
#   3. unattended install (kernel parameter nexus.install=/dev/vda) to a blank qcow2 disk,
#      after the live boot made the platform key and reported it on /healthz;
#   4. boot from that disk alone (no ISO), BIOS then UEFI: healthy, same platform key.
# Prints one JSON line per step with its start-to-healthy time, and a closing pass/fail line.
# NEXUS_ISO=path skips the build and tests that ISO.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash iso/lib/host-packages.sh
if [ -z "${NEXUS_ISO:-}" ]; then
  bash iso/build.sh
  NEXUS_ISO=$root/.cache/iso/nexus-cos-amd64.iso
fi
iso=$NEXUS_ISO
[ -f "$iso" ] || { echo "smoke: no ISO at $iso" >&2; exit 1; }
work=$(mktemp -d /tmp/nexus-iso-smoke.XXXXXX)
source "$root/iso/lib/qemu.sh"
# Serial logs are kept in .cache/iso/smoke-logs for a look after a failure.
trap 'qemu_stop; mkdir -p "$root/.cache/iso/smoke-logs"; cp "$work"/*.log "$root/.cache/iso/smoke-logs/" 2>/dev/null || true; rm -rf "$work"' EXIT

passed=0
failed=0
retried=0
result() { # step ok seconds detail (made JSON-safe here)
  local detail
  detail=$(printf '%s' "$4" | tr -d '"\\' | tr '\n\t' '  ' | tr -cd '[:print:]')
  printf '{"suite":"iso-smoke","step":"%s","ok":%s,"secondsToHealthy":%s,"detail":"%s"}\n' "$1" "$2" "$3" "$detail"
  if [ "$2" = true ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# boot_once NAME LOG FIRMWARE EXPECTED-KEY [qemu args]: boots, waits for /healthz 200, checks
# knotd and Haraka through their forwarded ports, the console banner on the serial port and,
# when EXPECTED-KEY is given, that the platform key is that one. Sets step_secs and
# step_detail; fails when a check did.
boot_once() {
  local name=$1 log=$2 fw=$3 expect=$4 t0 key="" failed_check=""
  shift 4
  step_secs=""
  t0=$(date +%s)
  qemu_start "$fw" "$log" "$@"
  health_why=""
  if ! wait_healthy "$t0" 600 >"$work/secs"; then failed_check="healthz: $health_why"
  elif ! step_secs=$(cat "$work/secs") || ! key=$(platform_key); then failed_check="platform key on healthz"
  elif [ -n "$expect" ] && [ "$key" != "$expect" ]; then failed_check="platform key $key, want $expect"
  elif ! check_dns; then failed_check="knotd ($(tr '\n' ' ' <"$work/kdig.out" | tr -d '"\\' | cut -c1-200))"
  elif ! check_smtp; then failed_check="Haraka"
  elif ! check_banner "$key"; then failed_check="serial banner"
  fi
  qemu_stop
  if [ -z "$failed_check" ]; then
    step_detail="healthz 200, knotd and Haraka answer, serial banner, platform key $key"
    return 0
  fi
  step_detail="failed: $failed_check; $(failure_detail "$log")"
  return 1
}

# boot_step NAME FIRMWARE EXPECTED-KEY [qemu args]: boot_once, and once more if it failed.
# A boot under TCG on a shared 2-core host can miss a deadline for the host's reasons. The
# failed attempt is printed in full, with "retried": true, never hidden, and the summary
# counts retries; two failures in a row fail the step. (A fault in the product is expected
# to repeat: the stale knot.pid that failed CI's boots from disk was still on the disk for
# the retry, and the first attempt's detail already named knot as unreachable.)
boot_step() {
  local name=$1
  if boot_once "$name" "$work/$name.log" "${@:2}"; then
    result "$name" true "$step_secs" "$step_detail"
    return
  fi
  printf '{"suite":"iso-smoke","step":"%s","attempt":1,"ok":false,"retried":true,"detail":"%s"}\n' "$name" \
    "$(printf '%s' "$step_detail" | tr -d '"\\' | tr '\n\t' '  ' | tr -cd '[:print:]')"
  retried=$((retried + 1))
  if boot_once "$name" "$work/$name.retry.log" "${@:2}"; then
    result "$name" true "$step_secs" "$step_detail (second attempt)"
  else
    result "$name" false "${step_secs:-null}" "$step_detail"
  fi
}

# Through the ISO's own boot menus: grub-efi under OVMF, isolinux under SeaBIOS.
boot_step live-uefi uefi "" -cdrom "$iso"
boot_step live-bios bios "" -cdrom "$iso"

# Unattended install: boot the ISO's kernel with the extra parameter, the ISO as the CD.
qemu-img create -q -f qcow2 "$work/disk.qcow2" 8G
xorriso -osirrox on -indev "$iso" -extract /live/vmlinuz "$work/vmlinuz" -extract /live/initrd.img "$work/initrd.img" >/dev/null 2>&1
append="boot=live components hostname=nexus-cos username=nexus console=tty0 console=ttyS0,115200n8 nexus.install=/dev/vda"
t0=$(date +%s)
qemu_start bios "$work/install.log" -cdrom "$iso" -drive "file=$work/disk.qcow2,if=virtio,format=qcow2" \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.img" -append "$append"
before=""
health_why=""
if wait_healthy "$t0" 600 >"$work/secs" && secs=$(cat "$work/secs") && before=$(platform_key) && [ -n "$before" ]; then
  # The live boot made the key; the installer powers the machine off when it is done.
  if wait_exit 900 && grep -q 'NEXUS-INSTALL-OK /dev/vda' "$work/install.log"; then
    result install true "$secs" "live key $before; installed in $(( $(date +%s) - t0 - secs )) s after healthy, powered off"
  else
    result install false "$secs" "$(failure_detail "$work/install.log")"
  fi
else
  result install false "${secs:-null}" "${health_why:+healthz: $health_why; }$(failure_detail "$work/install.log")"
fi
qemu_stop

# Boot from the disk alone (no ISO), through the GRUB the installer put there for each firmware.
if [ -n "$before" ]; then
  boot_step disk-bios bios "$before" -drive "file=$work/disk.qcow2,if=virtio,format=qcow2"
  boot_step disk-uefi uefi "$before" -drive "file=$work/disk.qcow2,if=virtio,format=qcow2"
else
  result disk-bios false null "no platform key from the installing boot"
  result disk-uefi false null "no platform key from the installing boot"
fi

echo "iso: $passed passed, $failed failed, $retried boot(s) retried"
[ "$failed" -eq 0 ]
