#!/usr/bin/env bash
# The README's main-job command: install, build, start the appliance on its embedded
# defaults (data in ./.nexus, HTTP on 127.0.0.1:8080, its own knotd and Haraka), run the
# SDK quickstart against it, then the ledger and offline-verification demos, and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run build

DATA_DIR="$PWD/.nexus"
PORT="${NEXUS_COS_HTTP_PORT:-8080}"
NEXUS_COS=(node appliance/dist/cli/nexus-cos.js)
if [ ! -f "$DATA_DIR/platform.key" ]; then
  "${NEXUS_COS[@]}" init --data-dir "$DATA_DIR"
fi

# Domain claims are checked against the "public" DNS; here that is a registrar knotd the
# DNS demo starts on this port.
REGISTRAR_PORT="${NEXUS_COS_DEMO_REGISTRAR_PORT:-5399}"
KNOT_PORT=${NEXUS_COS_KNOT_PORT:-$(node -e 'const c=require(process.argv[1]);process.stdout.write(String(c.knot?.port??5300))' "$DATA_DIR/config.json")}
node -e '
  const fs = require("fs"); const [file, port] = process.argv.slice(1);
  const c = JSON.parse(fs.readFileSync(file, "utf8"));
  c.dns = { ...(c.dns ?? {}), resolvers: ["127.0.0.1:" + port] };
  fs.writeFileSync(file, JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
' "$DATA_DIR/config.json" "$REGISTRAR_PORT"

log="$DATA_DIR/serve.log"
"${NEXUS_COS[@]}" serve --data-dir "$DATA_DIR" --http-port "$PORT" >"$log" 2>&1 &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || true
    echo "appliance stopped (log: $log)"
  fi
}
trap stop_server EXIT

# Wait (up to 30 s) until /healthz reports every component healthy.
for _ in $(seq 1 150); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "demo: nexus-cos serve exited; its log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  if "${NEXUS_COS[@]}" status --data-dir "$DATA_DIR" --http-port "$PORT" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
"${NEXUS_COS[@]}" status --data-dir "$DATA_DIR" --http-port "$PORT"

echo; echo "== quickstart: the SDK against the running appliance =="
NEXUS_COS_URL="http://127.0.0.1:$PORT" npx tsx examples/quickstart.ts
echo; echo "== DNS: claim, bind, change, drift, reconcile =="
npx tsx appliance/src/demo/dns-demo.ts "http://127.0.0.1:$PORT" "$KNOT_PORT" "$REGISTRAR_PORT" "$DATA_DIR"
echo; echo "== the ledger: metering, revenue, statements =="
ledger_out=$(npx tsx appliance/src/demo/ledger-demo.ts)
echo "$ledger_out"
demo_dir=$(sed -n 's/^DEMO_DIR=//p' <<<"$ledger_out")
owner=$(sed -n 's/^OWNER=//p' <<<"$ledger_out")
echo "-- an auditor checks the evidence offline:"
node sdk/dist/cli/imvu-verify.js slice "$demo_dir/slice.json" --trust "$demo_dir/trusted-root.json"
node sdk/dist/cli/imvu-verify.js statement "$demo_dir/statement.json" --trust "$demo_dir/trusted-root.json" --owner "$owner"
echo; echo "== offline verification with imvu-verify =="
npx tsx examples/offline-verify.ts
