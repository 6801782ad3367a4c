# Helpers for iso/smoke.sh: one QEMU guest at a time, its forwarded ports, and the checks.
# Sourced; expects $work (a private temp dir).

qemu_pid=""

# A free TCP port on loopback, chosen by the kernel.
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# qemu_start uefi|bios SERIAL-LOG [more qemu args]: starts the guest in the background with
# the API (8080), DNS (53, UDP and TCP) and SMTP (25) forwarded to fresh loopback ports.
qemu_start() {
  local fw=$1 log=$2
  shift 2
  http_port=$(free_port); dns_port=$(free_port); smtp_port=$(free_port)
  local firmware=()
  [ "$fw" = uefi ] && firmware=(-bios /usr/share/ovmf/OVMF.fd)
  : >"$log"
  serial_log=$log
  qemu-system-x86_64 -accel tcg -cpu qemu64 -smp 2 -m 2048 "${firmware[@]}" \
    -display none -no-reboot -serial "file:$log" \
    -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$http_port-:8080,hostfwd=tcp:127.0.0.1:$smtp_port-:25,hostfwd=udp:127.0.0.1:$dns_port-:53,hostfwd=tcp:127.0.0.1:$dns_port-:53" \
    "$@" >"$log.qemu" 2>&1 &
  qemu_pid=$!
}

# Stops the current guest (by its own pid) and waits for it.
qemu_stop() {
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
  fi
  qemu_pid=""
}

# wait_exit SECONDS: waits for the guest to power itself off.
wait_exit() {
  local deadline=$(( $(date +%s) + $1 ))
  while kill -0 "$qemu_pid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 2
  done
  wait "$qemu_pid" 2>/dev/null || true
  qemu_pid=""
}

# wait_healthy T0 SECONDS: polls /healthz until it answers 200 with status ok; prints the
# seconds since T0. Fails at the deadline or when the guest dies; health_why then says which
# and what /healthz last answered, for the failure report.
wait_healthy() {
  local t0=$1 deadline=$(( $1 + $2 )) code="" seen="" crc=0
  : >"$work/healthz.json"
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$qemu_pid" 2>/dev/null; then
      health_why="the guest exited after $(( $(date +%s) - t0 )) s ($(tail -c 300 "$serial_log.qemu" 2>/dev/null | tr -d '"\\' | tr '\n' ' '))"
      return 1
    fi
    crc=0
    code=$(curl -s -m 10 -o "$work/healthz.json" -w '%{http_code}' "http://127.0.0.1:$http_port/healthz") || crc=$?
    [ "$code" != 000 ] && [ -z "$seen" ] && seen=$(( $(date +%s) - t0 ))
    if [ "$code" = 200 ] && grep -q '"status":"ok"' "$work/healthz.json"; then
      echo $(( $(date +%s) - t0 ))
      return 0
    fi
    sleep 1
  done
  [ -n "$seen" ] && seen="after $seen s" || seen=never
  health_why="no ok within $2 s; first HTTP answer $seen, last HTTP $code (curl exit $crc): $(tr -d '"\\' <"$work/healthz.json" | cut -c1-600)"
  return 1
}

# The platform key from the last /healthz answer.
platform_key() { node -e 'const h=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if (!/^did:key:z6Mk/.test(h.platformKey ?? "")) process.exit(1); console.log(h.platformKey)' "$work/healthz.json"; }

# knotd answers a query through the forwarded port (REFUSED for a zone it does not serve
# is an answer: only a timeout fails). Polled for up to two minutes: /healthz turns ok as
# soon as knotd's control socket answers, and under TCG on a loaded host the guest can take
# a while longer to answer on the network (CI once saw one timed-out probe on the second boot
# from disk). The last kdig output is kept in $work/kdig.out for the failure report.
check_dns() {
  local deadline=$(( $(date +%s) + 120 ))
  while :; do
    kdig @127.0.0.1 -p "$dns_port" +tcp +timeout=5 +retry=1 nexus-smoke.invalid. SOA >"$work/kdig.out" 2>&1 || true
    grep -q 'status: ' "$work/kdig.out" && return 0
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 3
  done
}

# Haraka greets through the forwarded port (polled like knotd).
check_smtp() {
  local banner deadline=$(( $(date +%s) + 120 ))
  while :; do
    banner=$(timeout 20 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$smtp_port"'; head -c 4 <&3' 2>/dev/null) || true
    [ "$banner" = "220 " ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 3
  done
}

# The last lines of a failed guest's serial console, as one JSON-safe line.
failure_detail() { tail -n 15 "$1" 2>/dev/null | tr -d '\r"\\' | tr '\n' '|' | tr -cd '[:print:]' | cut -c1-1500; }

# check_banner KEY: the console banner (URL, platform key, each service's health) reached
# the serial console soon after the appliance answered (each `nexus-cos status` the guest
# runs starts node under TCG, which takes a while on a loaded host).
check_banner() {
  local deadline=$(( $(date +%s) + 300 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if tr -d '\r' <"$serial_log" | grep -a -q "platform key: $1" && tr -d '\r' <"$serial_log" | grep -a -q 'URL:  http://' \
      && tr -d '\r' <"$serial_log" | grep -a -q 'nexus-knot    active'; then
      return 0
    fi
    sleep 2
  done
  return 1
}
