#!/usr/bin/env bash
# Many targets on one agent (issue 13): `eng/bench.sh targets 100 1000` runs this.
#   eng/bench-targets.sh [N…]            default 100 1000
#   BENCH_TARGET_NAMESPACES=10 BENCH_TARGET_INTERVAL=60 BENCH_REST_SECONDS=30 eng/bench-targets.sh 1000
#   BENCH_TARGET_CONCURRENCY=20 eng/bench-targets.sh 1000   (the agent's `concurrency`; default: its own)
#   BENCH_GITOPS=/path/to/gitops eng/bench-targets.sh 1000    (a prebuilt agent, e.g. NativeAOT; default: publish R2R)
#   BENCH_QUIET_INTERVALS=3 eng/bench-targets.sh 1000         (quiet intervals measured one after another; default 1)
# One repository served over HTTP (lighttpd + git-http-backend, access log kept) with N folders,
# each a ConfigMap, a Deployment (replicas 0: no kubelet here) and a Service, spread over
# BENCH_TARGET_NAMESPACES namespaces; an agent config with N targets on that branch (interval
# BENCH_TARGET_INTERVAL s). Measured for the agent process: seconds from start to every target
# Synced at the head (gitops_last_synced_revision), peak RSS (VmHWM) and CPU seconds then, RSS
# BENCH_REST_SECONDS later (VmRSS), API requests (the agent's gitops_api_requests_total; Lease
# renewals apart), and for one quiet interval after that: API requests and git requests by kind
# from the access log (ls-remote = GET info/refs of upload-pack, fetch = POST upload-pack,
# push = receive-pack). BENCH_GCDUMP=1: the heap at rest by type, with dotnet-gcdump (a dotnet tool). Results: eng/bench-results/targets-<time>/results.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
require_dotnet
SIZES=${*:-"100 1000"}
NSCOUNT=${BENCH_TARGET_NAMESPACES:-10}
INTERVAL=${BENCH_TARGET_INTERVAL:-60}
REST=${BENCH_REST_SECONDS:-30}
TIMEOUT=${BENCH_TARGET_TIMEOUT:-900}
QUIET=${BENCH_QUIET_INTERVALS:-1}
export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-/tmp/gitops-bench}
out=$root/eng/bench-results/targets-$(date -u +%Y%m%dT%H%M%SZ)
work=$GITOPS_TESTENV_DIR-targets
mkdir -p "$out"; rm -rf "$work"; mkdir -p "$work"
log() { printf 'bench-targets: %s\n' "$*" >&2; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ "${BENCH_KEEP_ENV:-0}" = 1 ] || "$root/eng/testenv.sh" down; rm -rf "$work"; }
trap cleanup EXIT
eval "$("$root/eng/testenv.sh" up)"
kubectl=$(kubectl_bin)

if [ -n "${BENCH_GITOPS:-}" ]; then
  gitops=$BENCH_GITOPS; log "agent: $gitops (prebuilt)"
else
  log "building (Release, ReadyToRun as the image ships it)"
  dotnet publish "$root/src/Agent" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -v q -nologo -o "$work/bin" >/dev/null
  gitops=$work/bin/gitops
fi

# --- the git server --------------------------------------------------------------------------
port_free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
git_port=$(port_free)
mkdir -p "$work/repos"
cat >"$work/lighttpd.conf" <<CFG
server.document-root = "$work/repos"
server.bind = "127.0.0.1"
server.port = $git_port
server.errorlog = "$work/lighttpd-error.log"
server.modules = ("mod_alias", "mod_cgi", "mod_setenv", "mod_accesslog")
accesslog.filename = "$work/access.log"
alias.url = ("/git" => "$(git --exec-path)/git-http-backend")
\$HTTP["url"] =~ "^/git" {
  cgi.assign = ("" => "")
  setenv.set-environment = ("GIT_PROJECT_ROOT" => "$work/repos", "GIT_HTTP_EXPORT_ALL" => "1")
}
CFG
/usr/sbin/lighttpd -D -f "$work/lighttpd.conf" &
pids+=($!)
until (exec 3<>"/dev/tcp/127.0.0.1/$git_port") 2>/dev/null; do sleep 0.2; done

metric() { curl -s "localhost:$1/metrics"; }
requests() { awk -v lease="$2" '/^gitops_api_requests_total/ { if ((index($0, "lease") > 0) == (lease == 1)) s += $NF } END { print s + 0 }' <<<"$1"; }
synced_at() { grep -c "^gitops_last_synced_revision{.*revision=\"$2\"" <<<"$1" || true; }
git_kinds() { # access-log lines → "ls-remote fetch push"
  awk '/info\/refs\?service=git-upload-pack/ {l++} /POST [^ ]*git-upload-pack/ {f++} /git-receive-pack/ {p++} END {printf "%d %d %d", l, f, p}'
}

mem_breakdown() { # resident memory by kind (smaps), the managed heap as the runtime counts it, threads
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]"; if (name ~ /^\/memfd:doublemapper/) name = "[doublemapper]" }
       /^Rss:/ { rss[name] += $2; total += $2 } /^Anonymous:/ { anon += $2 }
       END { printf "%7d MB  RSS (anonymous %d MB)\n", total / 1024, anon / 1024; for (k in rss) if (rss[k] >= 1024) printf "%7d MB  %s\n", rss[k] / 1024, k }' "/proc/$1/smaps" | sort -k1,1nr
  echo "threads: $(ls "/proc/$1/task" | wc -l)"
}

# --- one size --------------------------------------------------------------------------------
bench() {
  local n=$1 repo=$work/repos/bench-$n.git src=$work/src-$n i ns
  log "N=$n: generating $n folders"
  rm -rf "$src" "$repo"; mkdir -p "$src"
  # Namespaces of this run's own (targets, inventories, the Lease): an earlier run's still terminating is not in the way.
  local run=$RANDOM; local inv=bench-$n-$run-inv
  for ((i = 0; i < NSCOUNT; i++)); do "$kubectl" create namespace "bench-$n-$run-$i" >/dev/null; done
  "$kubectl" create namespace "$inv" >/dev/null
  {
    printf 'cluster: bench\nnamespace: %s\nport: %s\ncacheDir: %s\n' "$inv" "$2" "$work/cache-$n"
    [ -n "${BENCH_TARGET_CONCURRENCY:-}" ] && printf 'concurrency: %s\n' "$BENCH_TARGET_CONCURRENCY"
    printf 'targets:\n'
    for ((i = 0; i < n; i++)); do
      ns=bench-$n-$run-$((i % NSCOUNT))
      local t; t=$(printf "b%d-t%05d" "$n" "$i")
      mkdir -p "$src/targets/$t"
      printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  index: "%d"\n' "$t" "$i" >"$src/targets/$t/configmap.yaml"
      printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\nspec:\n  replicas: 0\n  selector: {matchLabels: {app: %s}}\n  template:\n    metadata: {labels: {app: %s}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        resources: {requests: {cpu: 10m, memory: 16Mi}}\n' "$t" "$t" "$t" >"$src/targets/$t/deployment.yaml"
      printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\nspec:\n  selector: {app: %s}\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 8080\n' "$t" "$t" >"$src/targets/$t/service.yaml"
      printf -- '- name: %s\n  repository: http://127.0.0.1:%s/git/bench-%s.git\n  branch: main\n  path: targets/%s\n  interval: %ss\n  prune: true\n  defaultNamespace: %s\n' \
        "$t" "$git_port" "$n" "$t" "$INTERVAL" "$ns"
    done
  } >"$work/agent-$n.yaml"
  git -C "$src" init -q -b main && git -C "$src" add -A && git -C "$src" -c user.name=bench -c user.email=bench@localhost commit -q -m "$n targets"
  git clone -q --bare "$src" "$repo"; git -C "$repo" config http.receivepack true
  local head; head=$(git -C "$src" rev-parse HEAD)
  : >"$work/access.log"

  log "N=$n: agent starting (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  local start; start=$(date +%s%N)
  "$gitops" agent --config "$work/agent-$n.yaml" >"$work/agent-$n.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  local m="" done=0
  until [ "$done" -ge "$n" ]; do
    sleep 1
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/agent-$n.log" >&2; return 1; }
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -gt "$TIMEOUT" ] && { log "N=$n: timed out with $done Synced"; break; }
    m=$(metric "$2" || true); done=$(synced_at "$m" "$head")
  done
  local secs; secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b-a)/1e9}')
  local ticks; ticks=$(getconf CLK_TCK)
  local hwm cpu req lease
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
  cpu=$(awk -v t="$ticks" '{printf "%.1f", ($14+$15)/t}' "/proc/$pid/stat")
  req=$(requests "$m" 0); lease=$(requests "$m" 1)
  local g0; g0=$(git_kinds <"$work/access.log")
  log "N=$n: $done/$n Synced after ${secs}s, peak ${hwm} MB, CPU ${cpu}s, $req API requests, git (ls-remote fetch push) $g0"
  sleep "$REST"
  local rest; rest=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  { mem_breakdown "$pid"; metric "$2" | grep -E '^gitops_gc_|^process_resident'; } >"$out/rest-$n.memory.txt"
  # Quiet intervals: nothing changed in git or the cluster. The first goes into the table; each is logged.
  local k m0 a0 l0 c0 lines0 m1 a1 l1 c1 quiet_git quiet_cpu rest2 first=""
  for ((k = 1; k <= QUIET; k++)); do
    m0=$(metric "$2"); a0=$(requests "$m0" 0); l0=$(requests "$m0" 1); c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    lines0=$(wc -l <"$work/access.log")
    sleep "$INTERVAL"
    m1=$(metric "$2"); a1=$(requests "$m1" 0); l1=$(requests "$m1" 1); c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    quiet_git=$(tail -n +$((lines0 + 1)) "$work/access.log" | git_kinds)
    quiet_cpu=$(awk -v a="$c0" -v b="$c1" -v t="$ticks" 'BEGIN {printf "%.1f", (b-a)/t}')
    rest2=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    log "N=$n: RSS ${rest} MB ${REST}s later (${rest2} MB after quiet interval $k); quiet ${INTERVAL}s #$k: $((a1 - a0)) API requests (+$((l1 - l0)) Lease), CPU ${quiet_cpu}s, git $quiet_git"
    echo "$n $k $((a1 - a0)) $((l1 - l0)) $quiet_cpu $quiet_git $rest2 $(ls "/proc/$pid/task" | wc -l)" >>"$out/quiet.txt"
    [ -z "$first" ] && first="$((a1 - a0)) $((l1 - l0)) $quiet_cpu"
  done
  if [ "${BENCH_GCDUMP:-0}" = 1 ] && command -v dotnet-gcdump >/dev/null; then # the heap at rest, by type (after the figures: it forces a GC)
    dotnet-gcdump collect -p "$pid" -o "$out/rest-$n.gcdump" >/dev/null 2>&1 && dotnet-gcdump report "$out/rest-$n.gcdump" 2>/dev/null | head -40 >"$out/rest-$n.heap.txt" || true
  fi
  kill -TERM "$pid"; wait "$pid" || true
  echo "$n $(( n * 3 )) $secs $hwm $rest $cpu $req $lease $first $g0 $(awk -v n="$n" '$1 == n && $2 == 1 {print $6, $7, $8}' "$out/quiet.txt") $(cut -d' ' -f1 /proc/loadavg)" >>"$out/targets.txt"
  for ((i = 0; i < NSCOUNT; i++)); do "$kubectl" delete namespace "bench-$n-$run-$i" --wait=false >/dev/null; done
  "$kubectl" delete namespace "$inv" --wait=false >/dev/null
  rm -rf "$src" "$repo" "$work/cache-$n"
}

: >"$out/targets.txt"; : >"$out/quiet.txt"
for n in $SIZES; do bench "$n" "$(port_free)"; done
{
  echo "# Targets on one agent ($(date -u +%FT%TZ); $NSCOUNT namespaces; interval ${INTERVAL}s; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  echo
  echo "| targets (objects) | all Synced s | peak RSS MB | RSS ${REST}s later MB | CPU s | API requests (Lease) | git ls-remote/fetch/push to Synced | quiet interval: API requests (Lease) | CPU s | git ls-remote/fetch/push | load (1 min) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  awk '{printf "| %s (%s) | %s | %s | %s | %s | %s (%s) | %s/%s/%s | %s (%s) | %s | %s/%s/%s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $12, $13, $14, $9, $10, $11, $15, $16, $17, $18}' "$out/targets.txt"
  echo
  echo "| targets | quiet interval | API requests (Lease) | CPU s | git ls-remote/fetch/push | RSS after MB | threads |"
  echo "|---|---|---|---|---|---|---|"
  awk '{printf "| %s | %s | %s (%s) | %s | %s/%s/%s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}' "$out/quiet.txt"
} >"$out/results.md"
cat "$out/results.md"
log "written to $out"
