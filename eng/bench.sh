#!/usr/bin/env bash
# gitops side by side with kubectl on the same API server, same machine, same run (not in CI).
#   eng/bench.sh                  sizes 100 1000 5000, 3 rounds, both shapes
#   eng/bench.sh targets 100 1000  many targets on one agent (eng/bench-targets.sh)
#   BENCH_TARGET_REPLICAS=3 eng/bench.sh targets 100 300  the same on 3 replicas with shards: 3, and a SIGKILL of one
#   BENCH_SIZES="1000" BENCH_SHAPES=cm BENCH_ROUNDS=5 BENCH_REST_SECONDS=60 eng/bench.sh
# Shapes: "cm" (ConfigMaps in one namespace) and "mixed" (Deployments, Services, ConfigMaps in
# five namespaces). Cases: first sync (create all), no-op re-sync, one object changed, 1% pruned
# (cm; kubectl uses its ApplySet prune), the plain parallel-PATCH ceiling, the agent at rest, and
# rendering (Kustomize and Helm, cold vs cached; a no-op Helm pass vs a plain one).
# The two tools alternate which goes first; figures are medians. Requests are counted in each
# client (gitops --stats, kubectl -v=6). Results: eng/bench-results/<time>/results.{md,json}.
# Then push latency and notes pushes (section "push → status" below; BENCH_PUSH=0 skips it), and
# shard failover with three replicas (section "shard failover"; BENCH_SHARDS=0 skips it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# `eng/bench.sh targets [N…]`: many targets on one agent (eng/bench-targets.sh), nothing else.
if [ "${1:-}" = targets ]; then shift; exec "$root/eng/bench-targets.sh" "$@"; fi
source "$root/eng/lib.sh"
require_dotnet
SIZES=${BENCH_SIZES:-"100 1000 5000"}
SHAPES=${BENCH_SHAPES:-"cm mixed"}
ROUNDS=${BENCH_ROUNDS:-3}
REST=${BENCH_REST_SECONDS:-60}
export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-/tmp/gitops-bench}
out=$root/eng/bench-results/$(date -u +%Y%m%dT%H%M%SZ)
work=$GITOPS_TESTENV_DIR-work
mkdir -p "$out"; rm -rf "$work"; mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }; as_root apt-get install -y -q time >&2; }

trap '"$root/eng/testenv.sh" down; rm -rf "$work"' EXIT
eval "$("$root/eng/testenv.sh" up)"
kubectl=$(kubectl_bin)
log() { printf 'bench: %s\n' "$*" >&2; }

log "building (Release)"
# As the image ships it (deploy/Dockerfile): a plain Release publish, whose settings live in the
# project (ReadyToRun; docs/startup.md says why), so what is measured is what users get.
dotnet publish "$root/src/Agent" -c Release -v q -nologo -o "$work/bin" >/dev/null
dotnet build "$root/tests/Benchmarks" -c Release -v q -nologo -o "$work/bench" >/dev/null
gitops=$work/bin/gitops

# --- workloads -------------------------------------------------------------------------------
# gen SHAPE N DIR NS: N objects, one per file; NS is the namespace prefix (mixed: NS-0 … NS-4).
gen() {
  local shape=$1 n=$2 dir=$3 ns=$4 i
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    if [ "$shape" = cm ]; then
      printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%05d\n  namespace: %s\ndata:\n  index: "%d"\n  payload: "%s"\n' \
        "$i" "$ns" "$i" "value-$i-abcdefghijklmnopqrstuvwxyz" >"$dir/obj-$i.yaml"
    else
      local n5="$ns-$((i % 5))"
      case $((i % 3)) in
        0) printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: obj-%05d\n  namespace: %s\ndata:\n  index: "%d"\n' "$i" "$n5" "$i" ;;
        1) printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: obj-%05d\n  namespace: %s\nspec:\n  selector: {app: obj-%05d}\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 8080\n' "$i" "$n5" "$i" ;;
        2) printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: obj-%05d\n  namespace: %s\nspec:\n  replicas: 0\n  selector: {matchLabels: {app: obj-%05d}}\n  template:\n    metadata: {labels: {app: obj-%05d}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        resources: {requests: {cpu: 10m, memory: 16Mi}}\n' "$i" "$n5" "$i" "$i" ;;
      esac >"$dir/obj-$i.yaml"
    fi
  done
}

namespaces() { local shape=$1 ns=$2; if [ "$shape" = cm ]; then echo "$ns"; else echo "$ns-0" "$ns-1" "$ns-2" "$ns-3" "$ns-4"; fi; }

commit() { git -C "$1" add -A && git -C "$1" -c user.name=bench -c user.email=bench@localhost commit -q -m "$2"; }

# --- measuring -------------------------------------------------------------------------------
# run NAME CMD…: wall seconds, peak RSS (KB), requests, writes → appended to $work/samples
run() {
  local key=$1; shift
  # Through bash so the tool wrappers below (exported functions) can be timed; both tools pay it.
  /usr/bin/time -f '%e %M' -o "$work/time" bash -c '"$@"' _ "$@" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
  local t m req wr
  read -r t m <"$work/time"
  if grep -q '^api-requests:' "$work/stderr"; then
    req=$(sed -n 's/.*total=\([0-9]*\).*/\1/p' "$work/stderr"); wr=$(sed -n 's/.*writes=\([0-9]*\).*/\1/p' "$work/stderr")
  else
    req=$(grep -c '"Response" verb=' "$work/stderr" || true)
    wr=$(grep '"Response" verb=' "$work/stderr" | grep -v 'verb="GET"' | grep -vc 'dryRun=All' || true)
  fi
  echo "$key $t $m $req $wr" >>"$out/samples.txt"
}

gsync() { # dir ns target [extra]
  local dir=$1 ns=$2 target=$3; shift 3
  "$gitops" sync --repo "$dir" --branch main --target "$target" -n "$ns" --no-status --stats --cache-dir "$work/cache" "$@"
}
kapply() { "$kubectl" apply --server-side -R -f "$1" -v=6; }
kprune() { KUBECTL_APPLYSET=true "$kubectl" apply -n "$2" --server-side --prune --applyset="configmap/bench-set" -R -f "$1" -v=6; }
export -f gsync kapply kprune
export gitops kubectl work

round() { # shape n r
  local shape=$1 n=$2 r=$3 g="g$n$shape$r" k="k$n$shape$r" c="c$n$shape$r"
  local gdir=$work/$g kdir=$work/$k cdir=$work/$c
  for ns in $(namespaces "$shape" "$g") $(namespaces "$shape" "$k") $(namespaces "$shape" "$c"); do "$kubectl" create namespace "$ns" >/dev/null; done
  gen "$shape" "$n" "$gdir" "$g"; gen "$shape" "$n" "$kdir" "$k"; gen "$shape" "$n" "$cdir" "$c"
  git -C "$gdir" init -q -b main; commit "$gdir" first
  local first=g; [ $((r % 2)) = 1 ] && first=k
  both() { # case gitops-cmd… -- kubectl-cmd…
    local case=$1; shift
    local gcmd=() kcmd=()
    while [ "$1" != -- ]; do gcmd+=("$1"); shift; done; shift; kcmd=("$@")
    if [ $first = g ]; then run "$n $shape $case gitops" "${gcmd[@]}"; run "$n $shape $case kubectl" "${kcmd[@]}"
    else run "$n $shape $case kubectl" "${kcmd[@]}"; run "$n $shape $case gitops" "${gcmd[@]}"; fi
  }
  both first gsync "$gdir" "$g" "$g" -- kapply "$kdir"
  run "$n $shape first ceiling" dotnet "$work/bench/GitOps.Benchmarks.dll" ceiling --kubeconfig "$KUBECONFIG" --path "$cdir"
  both noop gsync "$gdir" "$g" "$g" -- kapply "$kdir"
  sed -i 's/index: "0"/index: "changed"/' "$gdir/obj-0.yaml" "$kdir/obj-0.yaml"; commit "$gdir" change
  both change1 gsync "$gdir" "$g" "$g" -- kapply "$kdir"
  if [ "$shape" = cm ]; then
    kprune "$kdir" "$k" >/dev/null 2>&1 # make the ApplySet (untimed): kubectl prunes only what it labelled
    local i; for ((i = 1; i <= n / 100; i++)); do rm "$gdir/obj-$i.yaml" "$kdir/obj-$i.yaml"; done; commit "$gdir" prune
    both prune1pct gsync "$gdir" "$g" "$g" --prune -- kprune "$kdir" "$k"
  fi
  [ "$r" = 1 ] && [ "$shape" = cm ] && at_rest "$n" "$gdir" "$g"
  for ns in $(namespaces "$shape" "$g") $(namespaces "$shape" "$k") $(namespaces "$shape" "$c"); do "$kubectl" delete namespace "$ns" --wait=false >/dev/null; done
  rm -rf "$gdir" "$kdir" "$cdir"
}

# The agent at rest on the set gitops just synced: requests/min, CPU, RSS; then push → Synced note.
at_rest() {
  local n=$1 work_dir=$2 ns=$3 port=$((10000 + RANDOM % 20000))
  local dir=$work_dir.git # the agent follows a bare remote, as in a cluster, and pushes notes to it
  rm -rf "$dir"; git clone -q --bare "$work_dir" "$dir"; git -C "$work_dir" remote add origin "$dir"
  # The CLI synced from the working copy; moving the target to the remote is the documented step:
  "$kubectl" annotate configmap "gitops-$ns" -n default gitops.dev/source- >/dev/null
  cat >"$work/agent.yaml" <<CFG
cluster: bench
namespace: default
port: $port
cacheDir: $work/agent-cache
targets:
- name: $ns
  repository: $dir
  branch: main
  interval: 10s
  prune: true
  defaultNamespace: $ns
CFG
  "$gitops" agent --config "$work/agent.yaml" >"$work/agent.log" 2>&1 &
  local pid=$!
  until grep -q '"EventId":10' "$work/agent.log" 2>/dev/null; do sleep 0.5; done
  sleep 15 # let the first passes and watch starts settle
  local r0 c0 r1 c1 rss l0 l1
  # Sync requests and leader election's Lease renewals are counted apart (the agent labels them).
  r0=$(curl -s "localhost:$port/metrics" | awk '/^gitops_api_requests_total/ && !/lease/ {s+=$NF} END {print s+0}')
  l0=$(curl -s "localhost:$port/metrics" | awk '/^gitops_api_requests_total/ && /lease/ {s+=$NF} END {print s+0}')
  c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  sleep "$REST"
  r1=$(curl -s "localhost:$port/metrics" | awk '/^gitops_api_requests_total/ && !/lease/ {s+=$NF} END {print s+0}')
  l1=$(curl -s "localhost:$port/metrics" | awk '/^gitops_api_requests_total/ && /lease/ {s+=$NF} END {print s+0}')
  c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local ticks; ticks=$(getconf CLK_TCK)
  sed -i 's/index: "changed"/index: "pushed"/' "$work_dir/obj-0.yaml"; commit "$work_dir" pushed
  local start; start=$(date +%s%N)
  git -C "$work_dir" push -q origin HEAD:main
  until "$gitops" status --repo "$dir" --branch main -n 1 -o json --cache-dir "$work/status-cache" | grep -q '"phase": "Synced"'; do sleep 0.2; done
  local push_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$dir"
  echo "$n at-rest $(awk -v a="$r0" -v b="$r1" -v s="$REST" 'BEGIN {printf "%.2f", (b-a)*60/s}') \
$(awk -v a="$c0" -v b="$c1" -v s="$REST" -v t="$ticks" 'BEGIN {printf "%.2f", (b-a)/t/s*100}') $((rss / 1024)) $push_ms \
$(awk -v a="$l0" -v b="$l1" -v s="$REST" 'BEGIN {printf "%.2f", (b-a)*60/s}')" >>"$out/rest.txt"
  log "agent at rest, $n objects: $(tail -n1 "$out/rest.txt")"
}

# --- push → status ---------------------------------------------------------------------------
# git push (lighttpd + git-http-backend, over HTTP) → Synced note and → GitHub success status on a
# local forge: webhook (the server's post-receive hook posts a signed GitHub push event, pushes 2 s
# apart) vs polling at BENCH_POLL_SECONDS (default 10: 20 pushes at random offsets within a 60 s
# interval would take 20 minutes; the wait for the next poll is uniform over the interval, so at
# 60 s expect p50 ≈ 30 s and p95 ≈ 57 s plus the pass itself — the measured overhead over
# interval × 0.5 / × 0.95 is what carries over). And notes pushes for one round of passes of
# BENCH_NOTES_TARGETS targets (default 1000) of one repository, batching on and off, counted by
# the server's post-receive hook.
PUSHES=${BENCH_PUSHES:-20}
POLL=${BENCH_POLL_SECONDS:-10}
NOTES_TARGETS=${BENCH_NOTES_TARGETS:-1000}
push_bench() {
  : >"$out/push.txt"; : >"$out/notes.txt"
  local mode ns
  for mode in webhook poll; do
    ns=bench-push-$mode; "$kubectl" create namespace "$ns" >/dev/null
    local interval=60; [ "$mode" = poll ] && interval=$POLL
    dotnet "$work/bench/GitOps.Benchmarks.dll" push-latency --kubeconfig "$KUBECONFIG" --namespace "$ns" --mode "$mode" \
      --pushes "$PUSHES" --interval "$interval" --out "$out/push.txt" >"$work/push-$mode.log" 2>&1 || { tail -n 20 "$work/push-$mode.log" >&2; return 1; }
    "$kubectl" delete namespace "$ns" --wait=false >/dev/null
    log "push latency, $mode: $(tail -n1 "$out/push.txt")"
  done
  for b in on off; do
    dotnet "$work/bench/GitOps.Benchmarks.dll" notes-pushes --targets "$NOTES_TARGETS" --batching "$b" >>"$out/notes.txt"
    log "notes pushes, batching $b: $(tail -n1 "$out/notes.txt")"
  done
}

# --- shard failover --------------------------------------------------------------------------
# Three `gitops agent` replicas with shards: 3 follow BENCH_SHARD_TARGETS targets (default 9, one
# ConfigMap each) of one bare repository; once every shard is held and every target Synced, the
# holder of shard 0 is killed (SIGKILL), a commit changing every target is pushed, and the clock
# runs until another replica holds shard 0 and until every target has a Synced note on the new
# commit (the victim's are the last). Bounds to compare with: one leaseDuration (the Lease must
# run out) plus the targets' interval (a replica's next look at the branch).
SHARD_TARGETS=${BENCH_SHARD_TARGETS:-9}
SHARD_LEASE=${BENCH_SHARD_LEASE_SECONDS:-15}
SHARD_INTERVAL=${BENCH_SHARD_INTERVAL_SECONDS:-10}
shard_bench() {
  local ns=bench-shards dir=$work/shards.git src=$work/shards-src i r
  "$kubectl" create namespace "$ns" >/dev/null
  rm -rf "$dir" "$src"; git init -q --bare -b main "$dir"; git init -q -b main "$src"
  for ((i = 0; i < SHARD_TARGETS; i++)); do
    mkdir -p "$src/t$i"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t%s, namespace: %s}\ndata: {v: "1"}\n' "$i" "$ns" >"$src/t$i/cm.yaml"
  done
  commit "$src" first; git -C "$src" push -q "$dir" HEAD:main
  local pids=()
  for r in 0 1 2; do
    {
      printf 'cluster: bench\nnamespace: %s\nport: %s\ncacheDir: %s\nshards: 3\nleaseDuration: %ss\ntargets:\n' \
        "$ns" $((20000 + RANDOM % 20000)) "$work/shard-cache-$r" "$SHARD_LEASE"
      for ((i = 0; i < SHARD_TARGETS; i++)); do
        printf -- '- {name: t%s, repository: %s, branch: main, path: t%s, interval: %ss, prune: true, defaultNamespace: %s}\n' "$i" "$dir" "$i" "$SHARD_INTERVAL" "$ns"
      done
    } >"$work/shard-$r.yaml"
    POD_NAME=bench-r$r "$gitops" agent --config "$work/shard-$r.yaml" >"$work/shard-$r.log" 2>&1 &
    pids[r]=$!
  done
  synced() { "$gitops" status --repo "$dir" --branch main -n 1 -o json --cache-dir "$work/shard-status" | grep -o '"phase": "Synced"' | wc -l; }
  holder() { "$kubectl" get lease -n "$ns" "gitops-agent-shard-$1" -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null || true; }
  balanced() { [ "$(for s in 0 1 2; do holder "$s"; echo; done | grep -c .)" = 3 ] && [ "$(for s in 0 1 2; do holder "$s"; echo; done | sort -u | grep -c .)" = 3 ]; }
  until [ "$(synced)" -ge "$SHARD_TARGETS" ] && balanced; do sleep 0.5; done
  local victim; victim=$(holder 0)
  log "shards: all $SHARD_TARGETS targets Synced, shards balanced; killing $victim (holder of shard 0)"
  local start; start=$(date +%s%N)
  kill -KILL "${pids[${victim#bench-r}]}"
  for ((i = 0; i < SHARD_TARGETS; i++)); do sed -i 's/v: "1"/v: "2"/' "$src/t$i/cm.yaml"; done
  commit "$src" second; git -C "$src" push -q "$dir" HEAD:main
  local taken_ms=
  until [ -n "$taken_ms" ] && [ "$(synced)" -ge "$SHARD_TARGETS" ]; do
    if [ -z "$taken_ms" ] && [ -n "$(holder 0)" ] && [ "$(holder 0)" != "$victim" ]; then taken_ms=$(( ($(date +%s%N) - start) / 1000000 )); fi
    sleep 0.2
  done
  local synced_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  for r in 0 1 2; do kill -TERM "${pids[r]}" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  "$kubectl" delete namespace "$ns" --wait=false >/dev/null
  echo "$SHARD_TARGETS $SHARD_LEASE $SHARD_INTERVAL $taken_ms $synced_ms" >"$out/shards.txt"
  log "shard failover: $(cat "$out/shards.txt")"
}

: >"$out/samples.txt"; : >"$out/rest.txt" # raw figures, kept beside the report
for n in $SIZES; do
  for shape in $SHAPES; do
    for ((r = 1; r <= ROUNDS; r++)); do log "N=$n $shape round $r"; round "$shape" "$n" "$r"; done
  done
done
[ "${BENCH_PUSH:-1}" = 1 ] && push_bench
[ "${BENCH_SHARDS:-1}" = 1 ] && shard_bench

# --- report ----------------------------------------------------------------------------------
median() { sort -n | awk '{v[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -v k="$1" -v c="$2" '$1" "$2" "$3" "$4"" == k {print $c}' "$out/samples.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b+0 == 0 || a == "-" || b == "-") print "-"; else printf "%.2f", a/b}'; }
{
  echo "# gitops vs kubectl $(basename "$("$kubectl" version --client -o json | grep -m1 gitVersion | cut -d'"' -f4)") on kube-apiserver v1.20.2 ($(date -u +%FT%TZ), $ROUNDS rounds, medians)"
  echo
  echo "| N | shape | case | gitops s | kubectl s | ratio | ceiling s | gitops/ceiling | gitops req (writes) | kubectl req (writes) | gitops peak MB | kubectl peak MB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$out/results.md"
echo "[" >"$out/results.json"; sep=""
for n in $SIZES; do for shape in cm mixed; do for case in first noop change1 prune1pct; do
  g=$(col "$n $shape $case gitops" 5); [ "$g" = - ] && continue
  k=$(col "$n $shape $case kubectl" 5); c=$(col "$n $shape $case ceiling" 5)
  greq=$(col "$n $shape $case gitops" 7); gwr=$(col "$n $shape $case gitops" 8)
  kreq=$(col "$n $shape $case kubectl" 7); kwr=$(col "$n $shape $case kubectl" 8)
  gm=$(col "$n $shape $case gitops" 6); km=$(col "$n $shape $case kubectl" 6)
  gmb=$(awk -v v="$gm" 'BEGIN {printf "%.0f", v/1024}'); kmb=$(awk -v v="$km" 'BEGIN {printf "%.0f", v/1024}')
  echo "| $n | $shape | $case | $g | $k | $(ratio "$g" "$k") | $c | $(ratio "$g" "$c") | $greq ($gwr) | $kreq ($kwr) | $gmb | $kmb |" >>"$out/results.md"
  printf '%s  {"n":%s,"shape":"%s","case":"%s","gitops_s":%s,"kubectl_s":%s,"ceiling_s":"%s","gitops_requests":%s,"gitops_writes":%s,"kubectl_requests":%s,"kubectl_writes":%s,"gitops_peak_mb":%s,"kubectl_peak_mb":%s}' \
    "$sep" "$n" "$shape" "$case" "$g" "$k" "$c" "$greq" "$gwr" "$kreq" "$kwr" "$gmb" "$kmb" >>"$out/results.json"; sep=$',\n'
done; done; done
{
  echo
  echo "Agent at rest (ConfigMaps, watch-based, interval 10s, ${REST}s window): sync requests/min, Lease requests/min, CPU %, RSS MB, push→Synced note ms"
  echo
  echo "| N | sync requests/min | Lease requests/min | CPU % | RSS MB | push → Synced ms |"
  echo "|---|---|---|---|---|---|"
  awk '{print "| "$1" | "$3" | "$7" | "$4" | "$5" | "$6" |"}' "$out/rest.txt"
} >>"$out/results.md"
awk -v sep="$sep" '{printf "%s  {\"n\":%s,\"case\":\"agent-at-rest\",\"sync_requests_per_min\":%s,\"lease_requests_per_min\":%s,\"cpu_percent\":%s,\"rss_mb\":%s,\"push_to_synced_ms\":%s}", sep, $1, $3, $7, $4, $5, $6; sep=",\n"}' "$out/rest.txt" >>"$out/results.json"
if [ -s "$out/push.txt" ]; then
  {
    echo
    echo "git push → status ($PUSHES pushes over HTTP, lighttpd + git-http-backend; GitHub status on a local forge; nearest-rank percentiles)"
    echo
    echo "| trigger | interval s | pushes | → Synced note p50 ms | p95 ms | → GitHub status p50 ms | p95 ms |"
    echo "|---|---|---|---|---|---|---|"
    awk '{print "| "$1" | "$2" | "$3" | "$4" | "$5" | "$6" | "$7" |"}' "$out/push.txt"
    echo
    echo "Notes pushes for one round of passes (Progressing + Synced per target, one commit, one repository)"
    echo
    echo "| batching | targets | pushes of refs/notes/gitops | seconds |"
    echo "|---|---|---|---|"
    awk '{print "| "$1" | "$2" | "$3" | "$4" |"}' "$out/notes.txt"
  } >>"$out/results.md"
fi
[ -s "$out/rest.txt" ] && sep=$',\n'
if [ -s "$out/shards.txt" ]; then
  {
    echo
    echo "Shard failover (3 replicas, shards: 3, SIGKILL of shard 0's holder, then a push changing every target)"
    echo
    echo "| targets | leaseDuration s | interval s | shard 0 taken over after s | all targets Synced at the new commit after s |"
    echo "|---|---|---|---|---|"
    awk '{printf "| %s | %s | %s | %.1f | %.1f |\n", $1, $2, $3, $4/1000, $5/1000}' "$out/shards.txt"
  } >>"$out/results.md"
  awk -v sep="$sep" '{printf "%s  {\"case\":\"shard-failover\",\"targets\":%s,\"lease_s\":%s,\"interval_s\":%s,\"takeover_ms\":%s,\"all_synced_ms\":%s}", sep, $1, $2, $3, $4, $5}' "$out/shards.txt" >>"$out/results.json"
fi
printf '\n]\n' >>"$out/results.json"
# --- Kustomize and Helm -----------------------------------------------------------------------
# A 50-service Kustomize repository (a base per service with a generated ConfigMap, one overlay)
# and a 50-service chart: rendered cold (tree copy + tool run) vs cached (same tree, no tool), and a
# no-op pass of the Helm target vs a plain folder of the same objects (goal: equal), both first
# passes done before the no-op passes, which alternate; and a render after a commit elsewhere.
log "render: kustomize and helm, cold vs cached; no-op pass helm vs plain"
{
  echo
  echo "Kustomize/Helm (50 services; renders: median of 5; no-op passes: median of 21, plain and helm interleaved): seconds"
  echo
  echo "| case | s |"
  echo "|---|---|"
  dotnet "$work/bench/GitOps.Benchmarks.dll" render --kubeconfig "$KUBECONFIG" --namespace bench-render | awk -F'\t' '{print "| "$1" | "$2" |"}'
} >>"$out/results.md"
# --- Helm chart repositories -------------------------------------------------------------------
# A chart whose dependency comes from an HTTP chart repository on loopback: the agent cold (fetch +
# render), with the package cached (new tree, same Chart.lock), with the render cached, beside
# helm dependency build + helm template.
log "chart repository: fetch + render vs cached, beside helm dependency build + helm template"
{
  echo
  echo "Helm chart from a chart repository (median of 5): seconds"
  echo
  echo "| case | s |"
  echo "|---|---|"
  dotnet "$work/bench/GitOps.Benchmarks.dll" chart-repository | awk -F'\t' '{print "| "$1" | "$2" |"}'
} >>"$out/results.md"
cat "$out/results.md"
log "written to $out"
