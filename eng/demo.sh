#!/usr/bin/env bash
# The main job, end to end, in about a minute with a warm cache:
#   1. start a local Kubernetes API server (eng/testenv.sh),
#   2. make a git repository from example-repo/ and sync its production overlay (Kustomize:
#      everything created) and its staging overlay as a second target,
#   3. sync the same commit again (everything unchanged, no writes),
#   4. commit a new image tag and replica count, sync (only the Deployment is configured),
#   5. delete a file, sync with --prune (its object is pruned), and show the result.
# Then the agent follows the remote: releases, a broken commit, a rollback, self-heal, and a
# release whose migration fails (web keeps its image) followed by its fix (Synced Healthy).
# The API server is stopped at the end unless --keep is given.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
require_dotnet
keep=false; [ "${1:-}" = --keep ] && keep=true

export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-/tmp/gitops-demo}
"$root/eng/testenv.sh" down 2>/dev/null || true # a fresh cluster every time (an earlier --keep run)
$keep || trap '"$root/eng/testenv.sh" down' EXIT
eval "$("$root/eng/testenv.sh" up)"
kubectl=$(kubectl_bin)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "building gitops"
dotnet build "$root/src/Agent" -c Release -v q -nologo -o "$GITOPS_TESTENV_DIR/bin" >/dev/null
gitops() { "$GITOPS_TESTENV_DIR/bin/gitops" "$@"; }

# A working copy the demo commits in, and the "remote" it pushes to, which gitops follows.
repo=$GITOPS_TESTENV_DIR/django-repo
remote=$GITOPS_TESTENV_DIR/django.git
rm -rf "$repo" "$remote" && mkdir -p "$repo" && cp -r "$root/example-repo/." "$repo/"
git init -q --bare -b main "$remote"
git -C "$repo" init -q -b main
git -C "$repo" remote add origin "$remote"
commit() {
  git -C "$repo" add -A && git -C "$repo" -c user.name=demo -c user.email=demo@example.com commit -q -m "$1"
  git -C "$repo" push -q origin HEAD:main
}
commit "Django on Kubernetes: first release"
sync=(sync --repo "$remote" --branch main --path overlays/production --target django-production --cache-dir "$GITOPS_TESTENV_DIR/cache")
staging=(sync --repo "$remote" --branch main --path overlays/staging --target django-staging --cache-dir "$GITOPS_TESTENV_DIR/cache")

step "gitops render: the production overlay (kubectl kustomize) in apply order (Secret values hidden)"
gitops render --path "$repo/overlays/production" | grep -E '^(kind|  name):' | paste - - | head -20

step "first sync: everything is created, and --timeout waits until it is Healthy (pods run on the test environment's simulated node)"
gitops "${sync[@]}" --cluster demo --timeout 2m

step "same commit again: nothing to do (the rendered overlay is cached: no tool runs)"
gitops "${sync[@]}" --cluster demo

step "the staging overlay: a second target, namespace django-staging, a release candidate, replicas left to its HPA"
gitops "${staging[@]}" --cluster demo
for _ in $(seq 1 120); do # the HPA raises django-web to its minimum of 2 (it acts within its 15 s period)
  [ "$("$kubectl" get deploy django-web -n django-staging -o jsonpath='{.spec.replicas}')" = 2 ] && break
  sleep 0.5
done
"$kubectl" get deploy django-web -n django-staging -o jsonpath='staging django-web: replicas={.spec.replicas} (set by its HPA){"\n"}'
gitops diff "${staging[@]:1}" >/dev/null || { echo "staging drifts once its HPA scaled: the overlay fights the HPA"; gitops diff "${staging[@]:1}" || true; exit 1; }
echo "a second pass over staging is a no-op: gitops diff finds no drift"

step "new release in production: one commit changing the overlay, image 1.0.0 -> 1.1.0, replicas 3 -> 4"
sed -i 's#newTag: 1.0.0#newTag: 1.1.0#; s#count: 3#count: 4#' "$repo/overlays/production/kustomization.yaml"
commit "Release 1.1.0 with three replicas"
gitops diff "${sync[@]:1}" || true
gitops "${sync[@]}" --cluster demo --timeout 2m

step "remove the NetworkPolicy from git and sync with --prune"
rm "$repo/base/django/networkpolicy.yaml" && sed -i '/networkpolicy.yaml/d' "$repo/base/kustomization.yaml"
commit "Drop the NetworkPolicy"
gitops "${sync[@]}" --cluster demo --prune

step "the set, as kubectl sees it (ApplySet labels)"
id=$("$kubectl" get configmap gitops-django-production -n default -o jsonpath='{.metadata.labels.applyset\.kubernetes\.io/id}')
"$kubectl" get deploy,svc,cm,secret,statefulset,job,ingress,networkpolicy -n django-production -l "applyset.kubernetes.io/part-of=$id"
echo
"$kubectl" get deploy django-web -n django-production -o jsonpath='django-web: image={.spec.template.spec.containers[0].image} replicas={.spec.replicas}{"\n"}'
step "the agent: follows a remote, reports on every commit (git notes), self-heals"
cat >"$GITOPS_TESTENV_DIR/agent.yaml" <<CFG
cluster: demo
namespace: default
port: 18089
cacheDir: $GITOPS_TESTENV_DIR/agent-cache
targets:
- name: django-production
  repository: $remote
  branch: main
  path: overlays/production
  interval: 10s
  prune: true
  timeout: 2m # a pass waits (hooks, waves, rollout) until Healthy, so its note says Healthy
- name: django-staging
  repository: $remote
  branch: main
  path: overlays/staging
  interval: 10s
  prune: true
CFG
"$GITOPS_TESTENV_DIR/bin/gitops" agent --config "$GITOPS_TESTENV_DIR/agent.yaml" >"$GITOPS_TESTENV_DIR/agent.log" 2>&1 &
agent=$!
stop_all() {
  kill -TERM "$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
  $keep || "$root/eng/testenv.sh" down
}
trap stop_all EXIT
status=(status --repo "$remote" --branch main --cache-dir "$GITOPS_TESTENV_DIR/status-cache")
wait_for() { # phase of the newest commit
  for _ in $(seq 1 120); do
    gitops "${status[@]}" -n 1 -o json | grep -q "\"phase\": \"$1\"" && return 0
    sleep 0.5
  done
  echo "timed out waiting for $1"; gitops "${status[@]}" -n 1; return 1
}

step "push release 1.2.0: the agent syncs it and writes Synced on the commit"
sed -i 's#newTag: 1.1.0#newTag: 1.2.0#' "$repo/overlays/production/kustomization.yaml"
commit "Release 1.2.0"
wait_for Synced
gitops "${status[@]}" -n 2
good=$(git -C "$repo" rev-parse HEAD)

step "push a broken commit (the overlay names a file that is not there): Failed with kustomize's words, cluster unchanged"
sed -i 's#newTag: 1.2.0#newTag: 1.3.0#; s#^  - ../../base#  - ../../base\n  - oops.yaml#' "$repo/overlays/production/kustomization.yaml"
commit "Release 1.3.0 (with a typo)"
wait_for Failed
gitops "${status[@]}" -n 1
"$kubectl" get deploy django-web -n django-production -o jsonpath='cluster still runs: {.spec.template.spec.containers[0].image}{"\n"}'

step "gitops rollback --to ${good:0:12}: one new commit, synced like any other"
gitops rollback --repo "$remote" --branch main --to "$good" --push --cache-dir "$GITOPS_TESTENV_DIR/rollback-cache"
wait_for Synced
gitops "${status[@]}" -n 3
git -C "$repo" pull -q origin main 2>/dev/null || true
echo; echo "plain git shows the same:"; git -C "$remote" log --notes=gitops -2 --format='%h %s%n%N' | grep -v '^  {'

step "someone scales django-web by hand: the agent's watch puts it back"
"$kubectl" scale deploy django-web -n django-production --replicas=1 >/dev/null
start=$(date +%s%N)
until [ "$("$kubectl" get deploy django-web -n django-production -o jsonpath='{.spec.replicas}')" = 4 ]; do sleep 0.1; done
echo "replicas back to 4 after $(( ($(date +%s%N) - start) / 1000000 )) ms (interval is 10s: the watch did it)"

step "a release whose migration fails: Failed names the migrate Job and its pod's end; web keeps its image"
wait_target() { # $1: what production's entry on the newest commit must read, e.g. "Synced Healthy"
  for _ in $(seq 1 240); do
    gitops "${status[@]}" -n 1 | grep -q "demo/django-production: $1" && return 0
    sleep 0.5
  done
  echo "timed out waiting for django-production: $1"; gitops "${status[@]}" -n 1; return 1
}
before=$("$kubectl" get deploy django-web -n django-production -o jsonpath='{.spec.template.spec.containers[0].image}')
# The simulated kubelet ends the migrate Job's pod with exit code 1 (no retries, so it fails at once).
sed -i 's#newTag: 1.2.0#newTag: 1.4.0#' "$repo/overlays/production/kustomization.yaml"
cat >>"$repo/overlays/production/kustomization.yaml" <<'PATCH'
  # demo: the migration of 1.4.0 fails
  - target:
      kind: Job
    patch: |-
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: any
      spec:
        backoffLimit: 0
        template:
          metadata:
            annotations:
              sim.gitops.dev/exit-code: "1"
PATCH
commit "Release 1.4.0 (its migration fails)"
wait_target Failed
gitops "${status[@]}" -n 1
"$kubectl" get deploy django-web -n django-production -o jsonpath='web still runs: {.spec.template.spec.containers[0].image}{"\n"}'
after=$("$kubectl" get deploy django-web -n django-production -o jsonpath='{.spec.template.spec.containers[0].image}')
[ "$after" = "$before" ] || { echo "web moved to $after before its migration succeeded"; exit 1; }

step "the fixed release: the migration succeeds, then web rolls out 1.4.0"
sed -i '/# demo: the migration of 1.4.0 fails/,$d' "$repo/overlays/production/kustomization.yaml"
commit "Release 1.4.0 (migration fixed)"
wait_target "Synced Healthy"
gitops "${status[@]}" -n 2
"$kubectl" get deploy django-web -n django-production -o jsonpath='web now runs: {.spec.template.spec.containers[0].image}{"\n"}'

if $keep; then echo "API server left running: eval \"\$(GITOPS_TESTENV_DIR=$GITOPS_TESTENV_DIR $root/eng/testenv.sh env)\""; fi
