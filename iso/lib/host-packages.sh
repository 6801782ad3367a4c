#!/usr/bin/env bash
# The Debian packages that building and booting the ISO needs on the build host. Kept apart
# from scripts/install.sh: the ~150 MB of QEMU and OVMF is only for `npm run iso[:smoke]`.
set -euo pipefail
HOST_PACKAGES=(live-build xorriso squashfs-tools ovmf qemu-system-x86 qemu-utils knot-dnsutils curl)
missing=()
for p in "${HOST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}"
fi
