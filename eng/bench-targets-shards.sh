# Sourced by eng/bench-targets.sh when BENCH_TARGET_REPLICAS > 1 (issue 13 part 8: "with 3 replicas
# and shards: kill one, seconds until its targets sync a new commit on the others"):
#   BENCH_TARGET_REPLICAS=3 BENCH_TARGET_SHARDS=3 BENCH_SHARD_LEASE_SECONDS=15 eng/bench-targets.sh 100 300
# The same N targets and repository as one agent's run, followed by R `gitops agent` replicas with
# `shards: S` (one config each, as Pods of one Deployment). Measured: seconds from the start to
# every target Synced at the head (on whichever replica holds it), each replica's peak (VmHWM) and
# resident set then and BENCH_REST_SECONDS later; then, once the shards are balanced, the holder of
# shard 0 is killed (SIGKILL), a commit changing every target is pushed at once, and the clock runs
# until another replica holds each of its shards, until every one of its targets has synced that
# commit, and until every target has. Bounds: one leaseDuration (its Leases must run out) plus the
# interval (BENCH_TARGET_INTERVAL, default 10 s here: a replica's next look at the branch).
REPLICAS=${BENCH_TARGET_REPLICAS:-3}
SHARDS=${BENCH_TARGET_SHARDS:-3}
SHARD_LEASE=${BENCH_SHARD_LEASE_SECONDS:-15}

# shard_of NAME… : each target's shard, as ShardAssignment.ShardOf computes it (FNV-1a, one avalanche round, mod S).
shard_of() {
  python3 - "$SHARDS" "$@" <<'PY'
import sys
shards = int(sys.argv[1])
for name in sys.argv[2:]:
    h = 2166136261
    for b in name.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    h ^= h >> 16; h = (h * 0x85EBCA6B) & 0xFFFFFFFF; h ^= h >> 13
    print(name, h % shards)
PY
}

# synced_names REVISION PORT… : the targets some live replica reports Synced at REVISION (one per line).
synced_names() {
  local rev=$1 p; shift
  for p in "$@"; do metric "$p" 2>/dev/null || true; done \
    | sed -n "s/^gitops_last_synced_revision{target=\"\([^\"]*\)\",revision=\"$rev\"}.*/\1/p" | sort -u
}

holder() { "$kubectl" get lease -n "$inv" "gitops-agent-shard-$1" -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null || true; }

# balanced: every shard held, and each replica holds ⌊S/R⌋ or ⌈S/R⌉ of them.
balanced() {
  local s held; held=$(for ((s = 0; s < SHARDS; s++)); do holder "$s"; echo; done)
  [ "$(grep -c . <<<"$held")" = "$SHARDS" ] || return 1
  local counts; counts=$(for ((s = 0; s < REPLICAS; s++)); do grep -cx "bench-r$s" <<<"$held" || true; done | sort -n)
  [ $(( $(tail -n1 <<<"$counts") - $(head -n1 <<<"$counts") )) -le 1 ]
}

rss() { awk -v k="$2" '$1 == k":" {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }

bench_sharded() {
  local n=$1 inv head r s
  generate "$n"
  local ports=() rpids=()
  for ((r = 0; r < REPLICAS; r++)); do
    ports[r]=$(port_free)
    {
      printf 'cluster: bench\nnamespace: %s\nport: %s\ncacheDir: %s\nshards: %s\nleaseDuration: %ss\n' "$inv" "${ports[r]}" "$work/cache-$n-r$r" "$SHARDS" "$SHARD_LEASE"
      [ -n "${BENCH_TARGET_CONCURRENCY:-}" ] && printf 'concurrency: %s\n' "$BENCH_TARGET_CONCURRENCY"
      printf 'targets:\n'; cat "$work/targets-$n.yaml"
    } >"$work/agent-$n-r$r.yaml"
  done
  log "N=$n: $REPLICAS replicas, shards: $SHARDS, lease ${SHARD_LEASE}s, interval ${INTERVAL}s, starting (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  local start; start=$(date +%s%N)
  for ((r = 0; r < REPLICAS; r++)); do
    POD_NAME=bench-r$r "$gitops" agent --config "$work/agent-$n-r$r.yaml" >"$work/agent-$n-r$r.log" 2>&1 &
    rpids[r]=$!; pids+=($!)
  done
  local done=0
  until [ "$done" -ge "$n" ]; do
    sleep 1
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -gt "$TIMEOUT" ] && { log "N=$n: timed out with $done Synced"; break; }
    done=$(synced_names "$head" "${ports[@]}" | wc -l)
  done
  local secs; secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b-a)/1e9}')
  local hwm="" now=""
  for ((r = 0; r < REPLICAS; r++)); do hwm+="${hwm:+/}$(rss "${rpids[r]}" VmHWM)"; now+="${now:+/}$(rss "${rpids[r]}" VmRSS)"; done
  log "N=$n: $done/$n Synced after ${secs}s; peak RSS per replica ${hwm} MB (now ${now} MB)"
  sleep "$REST"
  local rest=""; for ((r = 0; r < REPLICAS; r++)); do rest+="${rest:+/}$(rss "${rpids[r]}" VmRSS)"; done
  local t0; t0=$(date +%s)
  until balanced; do sleep 0.5; [ $(( $(date +%s) - t0 )) -gt 120 ] && { log "N=$n: shards not balanced after 120 s"; break; }; done
  local victim; victim=$(holder 0)
  local vr=${victim#bench-r} lost=() survivors=()
  for ((s = 0; s < SHARDS; s++)); do [ "$(holder "$s")" = "$victim" ] && lost+=("$s"); done
  for ((r = 0; r < REPLICAS; r++)); do [ "$r" = "$vr" ] || survivors+=("${ports[r]}"); done
  local names; names=$(sed -n 's/^- name: //p' "$work/targets-$n.yaml")
  # shellcheck disable=SC2086 # one argument per target name
  local orphans; orphans=$(shard_of $names | awk -v l=" ${lost[*]} " 'index(l, " "$2" ") {print $1}' | sort)
  local norphans; norphans=$(grep -c . <<<"$orphans")
  log "N=$n: RSS ${rest} MB ${REST}s later; killing $victim (shards ${lost[*]}: $norphans targets)"
  kill -KILL "${rpids[vr]}"
  local kill_at; kill_at=$(date +%s%N)
  sed -i 's/^  index: "\([0-9]*\)"$/  index: "\1-2"/' "$work/src-$n"/targets/*/configmap.yaml
  git -C "$work/src-$n" -c user.name=bench -c user.email=bench@localhost commit -qam "every target changed"
  git -C "$work/src-$n" push -q "$work/repos/bench-$n.git" HEAD:main
  local second; second=$(git -C "$work/src-$n" rev-parse HEAD)
  local taken_ms="" orphans_ms="" all_ms="" ms
  while [ -z "$all_ms" ] || [ -z "$orphans_ms" ] || [ -z "$taken_ms" ]; do
    ms=$(( ($(date +%s%N) - kill_at) / 1000000 ))
    [ "$ms" -gt $((TIMEOUT * 1000)) ] && { log "N=$n: timed out after the kill"; break; }
    if [ -z "$taken_ms" ]; then
      local free=0; for s in "${lost[@]}"; do h=$(holder "$s"); { [ -z "$h" ] || [ "$h" = "$victim" ]; } && free=1; done
      [ "$free" = 0 ] && taken_ms=$ms
    fi
    local at; at=$(synced_names "$second" "${survivors[@]}")
    [ -z "$orphans_ms" ] && [ "$(comm -12 <(echo "$orphans") <(echo "$at") | grep -c .)" -ge "$norphans" ] && orphans_ms=$ms
    [ -z "$all_ms" ] && [ "$(grep -c . <<<"$at")" -ge "$n" ] && all_ms=$ms
    sleep 0.5
  done
  local after=""; for ((r = 0; r < REPLICAS; r++)); do [ "$r" = "$vr" ] || after+="${after:+/}$(rss "${rpids[r]}" VmRSS)"; done
  log "N=$n: shards ${lost[*]} taken over after ${taken_ms} ms; its $norphans targets synced the new commit after ${orphans_ms} ms, all $n after ${all_ms} ms; survivors' RSS ${after} MB"
  for ((r = 0; r < REPLICAS; r++)); do kill -TERM "${rpids[r]}" 2>/dev/null || true; done
  wait "${rpids[@]}" 2>/dev/null || true
  echo "$n $REPLICAS $SHARDS $SHARD_LEASE $INTERVAL $secs $hwm $rest $norphans ${taken_ms:-NA} ${orphans_ms:-NA} ${all_ms:-NA} $after $(cut -d' ' -f1 /proc/loadavg)" >>"$out/sharded.txt"
  cleanup_size "$n"
}

sharded_report() {
  echo "# Targets on $REPLICAS replicas with shards: $SHARDS ($(date -u +%FT%TZ); $NSCOUNT namespaces; lease ${SHARD_LEASE}s; interval ${INTERVAL}s; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  echo
  echo "| targets | replicas | shards | all Synced s | peak RSS per replica MB | RSS ${REST}s later MB | killed replica's targets | its shards taken over s | its targets Synced at the new commit s | all targets s | survivors' RSS MB | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk '{printf "| %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %s | %s |\n", $1, $2, $3, $6, $7, $8, $9, $10/1000, $11/1000, $12/1000, $13, $14}' "$out/sharded.txt"
}
