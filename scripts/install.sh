#!/usr/bin/env bash
# Installs everything this repository needs on a fresh Debian 12 machine (root), then
# the exact npm dependency tree from package-lock.json. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the code and its tests use. Kept in one list so CI, the demo and a
# developer's first run install the same things.
APT_PACKAGES=(ca-certificates knot knot-dnsutils knot-dnssecutils)
# iproute2: the exit-bundle test verifies inside a network namespace with no network (ip netns).
APT_PACKAGES+=(iproute2)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install: need root to apt-get install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "install: Node.js 20 or later is required (found $(node --version))" >&2
  exit 1
fi

npm ci --no-audit --no-fund
