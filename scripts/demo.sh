#!/usr/bin/env bash
# The README's main-job command: install what is needed, build, and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run build
npx tsx examples/offline-verify.ts
