#!/usr/bin/env bash
# `npm run iso`: builds the appliance ISO (hybrid: BIOS via isolinux, UEFI via grub-efi)
# with Debian live-build, from this repository alone. Everything it makes lives under
# .cache/iso (git-ignored); live-build's package cache is kept there between runs, so a
# second build skips the base-system download. Prints the ISO's path, size and build time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
cache=${NEXUS_ISO_CACHE:-$root/.cache/iso}
iso_out=${NEXUS_ISO_OUT:-$cache/nexus-cos-amd64.iso}
# The mirror apt uses here; live-build's default security mirror answers 400 (PLATFORM-NOTES).
mirror=${NEXUS_ISO_MIRROR:-http://deb.debian.org/debian/}
security=${NEXUS_ISO_SECURITY_MIRROR:-http://deb.debian.org/debian-security/}

[ "$(id -u)" -eq 0 ] || { echo "iso: live-build needs root (chroot and mounts)" >&2; exit 1; }
bash iso/lib/host-packages.sh

echo "iso: building the appliance and staging its production tree"
npm run build >/dev/null
stage=$cache/stage
bash iso/lib/stage.sh "$stage"

lb=$cache/lb
mkdir -p "$lb"
cd "$lb"
# `lb clean` keeps cache/ (the downloaded packages); `lb config` must run again after it.
lb clean >/dev/null 2>&1 || true
rm -rf config
# Squashfs in zstd rather than the default xz: much faster to make on two cores and to read
# under TCG, for a slightly larger image. Recommends are off to keep the image small.
lb config \
  --distribution bookworm --architectures amd64 \
  --binary-images iso-hybrid --bootloaders syslinux,grub-efi \
  --debian-installer none --memtest none \
  --archive-areas main --firmware-binary false --firmware-chroot false \
  --apt-recommends false --apt-indices false \
  --chroot-squashfs-compression-type zstd \
  --cache true --cache-packages true --cache-stages bootstrap \
  --mirror-bootstrap "$mirror" --mirror-chroot "$mirror" --mirror-binary "$mirror" \
  --parent-mirror-bootstrap "$mirror" --parent-mirror-chroot "$mirror" --parent-mirror-binary "$mirror" \
  --mirror-chroot-security "$security" --mirror-binary-security "$security" \
  --parent-mirror-chroot-security "$security" --parent-mirror-binary-security "$security" \
  --iso-application "Nexus COS appliance" --iso-volume "NEXUS_COS" \
  --bootappend-live "boot=live components hostname=nexus-cos username=nexus console=tty0 console=ttyS0,115200n8" \
  >/dev/null

# Our overlay: package list, hook, units and scripts, boot menus (serial, short timeouts).
cp -a "$root"/iso/live/package-lists/. config/package-lists/
cp -a "$root"/iso/live/hooks/normal/. config/hooks/normal/
cp -a "$root"/iso/live/includes.chroot/. config/includes.chroot/
for b in isolinux syslinux_common grub-pc; do
  mkdir -p config/bootloaders/$b
  cp -a /usr/share/live/build/bootloaders/$b/. config/bootloaders/$b/
  cp -a "$root"/iso/live/bootloaders/$b/. config/bootloaders/$b/
done
mkdir -p config/includes.chroot/opt
cp -a "$stage"/. config/includes.chroot/opt/nexus-cos/

# lb writes its own build.log in this directory; ours is beside it, under another name.
log=$cache/lb-build.log
echo "iso: lb build (log: $log)"
rm -f "$lb"/*.hybrid.iso
status=0
lb build >"$log" 2>&1 || status=$?
built=$(ls "$lb"/*.hybrid.iso 2>/dev/null | head -n 1 || true)
if [ "$status" -ne 0 ] || [ -z "$built" ] || ! grep -q '^P: Build completed successfully' "$log"; then
  tail -n 40 "$log" >&2
  echo "iso: lb build failed (exit $status)" >&2
  exit 1
fi
mkdir -p "$(dirname "$iso_out")"
mv -f "$built" "$iso_out"
size=$(stat -c %s "$iso_out")
elapsed=$(( $(date +%s) - started ))
echo "iso: $iso_out"
echo "iso: size $size bytes ($(( size / 1048576 )) MiB), build time ${elapsed} s"
printf '{"suite":"iso-build","isoBytes":%s,"buildSeconds":%s}\n' "$size" "$elapsed"
