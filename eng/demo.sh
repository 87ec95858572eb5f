#!/usr/bin/env bash
# The main job, end to end, in about a minute with a warm cache:
#   1. start a local Kubernetes API server (eng/testenv.sh),
#   2. make a git repository from example-repo/ and sync it (everything created),
#   3. sync the same commit again (everything unchanged, no writes),
#   4. commit a new image tag and replica count, sync (only the Deployment is configured),
#   5. delete a file, sync with --prune (its object is pruned), and show the result.
# The API server is stopped at the end unless --keep is given.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
require_dotnet
keep=false; [ "${1:-}" = --keep ] && keep=true

export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-/tmp/gitops-demo}
$keep || trap '"$root/eng/testenv.sh" down' EXIT
eval "$("$root/eng/testenv.sh" up)"
kubectl=$(kubectl_bin)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "building gitops"
dotnet build "$root/src/Agent" -c Release -v q -nologo -o "$GITOPS_TESTENV_DIR/bin" >/dev/null
gitops() { "$GITOPS_TESTENV_DIR/bin/gitops" "$@"; }

repo=$GITOPS_TESTENV_DIR/django-repo
rm -rf "$repo" && mkdir -p "$repo" && cp -r "$root/example-repo/." "$repo/"
git -C "$repo" init -q -b main
commit() { git -C "$repo" add -A && git -C "$repo" -c user.name=demo -c user.email=demo@example.com commit -q -m "$1"; }
commit "Django on Kubernetes: first release"
sync=(sync --repo "$repo" --branch main --target django --cache-dir "$GITOPS_TESTENV_DIR/cache")

step "gitops render: the manifests in apply order (Secret values hidden)"
gitops render --path "$repo" | grep -E '^(kind|  name):' | paste - - | head -20

step "first sync: everything is created (health stays Progressing: this API server has no kubelet, so Pods never run)"
gitops "${sync[@]}"

step "same commit again: nothing to do"
gitops "${sync[@]}"

step "new release: image 1.0.0 -> 1.1.0, replicas 2 -> 3"
sed -i 's#django-app:1.0.0#django-app:1.1.0#; s#^  replicas: 2#  replicas: 3#' "$repo/django/deployment.yaml"
commit "Release 1.1.0 with three replicas"
gitops diff "${sync[@]:1}" || true
gitops "${sync[@]}"

step "remove the NetworkPolicy from git and sync with --prune"
git -C "$repo" rm -q django/networkpolicy.yaml
commit "Drop the NetworkPolicy"
gitops "${sync[@]}" --prune

step "the set, as kubectl sees it (ApplySet labels)"
id=$("$kubectl" get configmap gitops-django -n default -o jsonpath='{.metadata.labels.applyset\.kubernetes\.io/id}')
"$kubectl" get deploy,svc,cm,secret,statefulset,job,ingress,networkpolicy -n django-demo -l "applyset.kubernetes.io/part-of=$id"
echo
"$kubectl" get deploy django-web -n django-demo -o jsonpath='django-web: image={.spec.template.spec.containers[0].image} replicas={.spec.replicas}{"\n"}'
$keep && echo "API server left running: eval \"\$(GITOPS_TESTENV_DIR=$GITOPS_TESTENV_DIR $root/eng/testenv.sh env)\""
