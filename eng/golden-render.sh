#!/usr/bin/env bash
# Regenerates tests/Diff.Tests/testdata/render/<case>/expected.json from kubectl itself: the
# renderer promises to read YAML exactly as `kubectl apply -f` does, so kubectl is the oracle.
#
#   eng/golden-render.sh [case ...]     (default: every case without expected-error.txt)
#
# Uses the API server of $KUBECONFIG; without one it starts a throwaway one (eng/testenv.sh)
# and stops it afterwards. kubectl needs a server only to map kinds to resources: objects are
# read with --dry-run=client, nothing but CRDs is ever created.
#
# Cases hold arbitrary YAML under the spec of a `probe.dev/v1 Blob`, a cluster-scoped custom
# resource whose schema keeps every field (x-kubernetes-preserve-unknown-fields), so kubectl
# passes values through untouched and adds no namespace. Real manifests (example-repo) are read
# as they are; CRDs among the inputs are applied first so their custom resources map too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
cases_dir="$root/tests/Diff.Tests/testdata/render"
kubectl=$(kubectl_bin)

# A fresh discovery cache: a cached mapping from before a CRD was applied (or changed scope)
# would make kubectl misread the kind, or add `namespace: default` to a cluster-scoped one.
cache=$(mktemp -d)
started_env=
cleanup() {
  rm -rf "$cache"
  [ -z "$started_env" ] || "$root/eng/testenv.sh" down
}
trap cleanup EXIT
if [ -z "${KUBECONFIG:-}" ]; then
  export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-$(mktemp -u /tmp/gitops-golden.XXXXXX)}
  started_env=1
  eval "$("$root/eng/testenv.sh" up)"
fi

k() { "$kubectl" --cache-dir "$cache" "$@" 2> >(grep -v 'version difference between client' >&2); }

apply_crd() { # file
  local name
  for name in $(k apply -f "$1" -o name); do
    k wait --for condition=established --timeout=60s "$name" >/dev/null
  done
}

probe_crd=$(mktemp)
cat >"$probe_crd" <<'CRD'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: blobs.probe.dev
spec:
  group: probe.dev
  scope: Cluster
  names: {kind: Blob, listKind: BlobList, plural: blobs, singular: blob}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
CRD
apply_crd "$probe_crd"
rm -f "$probe_crd"

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for dir in "$cases_dir"/*/; do names+=("$(basename "$dir")"); done
fi

for name in "${names[@]}"; do
  if [ -f "$cases_dir/$name/input.yaml" ] && [ ! -f "$cases_dir/$name/expected-error.txt" ] &&
    grep -q '^kind: CustomResourceDefinition' "$cases_dir/$name/input.yaml"; then
    apply_crd "$cases_dir/$name/input.yaml"
  fi
done

# kubectl prints one JSON document per object, indented by four. Keep its text byte for byte
# (a JSON tool would round 9007199254740993 or rewrite 1.2345678901234568e+29), only halve the
# indentation (.editorconfig) and, when there are several objects, wrap them in a v1 List the
# way `kubectl get` would.
as_golden() {
  awk '
    { match($0, /^ */); line = substr($0, RLENGTH / 2 + 1) }
    line == "{" { docs++ }
    { text[docs] = text[docs] (text[docs] == "" ? "" : "\n") line }
    END {
      if (docs == 1) { print text[1]; exit }
      print "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": ["
      for (i = 1; i <= docs; i++) {
        gsub(/\n/, "\n    ", text[i])
        print "    " text[i] (i < docs ? "," : "")
      }
      print "  ]\n}"
    }'
}

generated=0
for name in "${names[@]}"; do
  dir="$cases_dir/$name"
  [ -f "$dir/input.yaml" ] || { echo "golden-render: $name has no input.yaml" >&2; exit 1; }
  [ -f "$dir/expected-error.txt" ] && continue
  out=$(k create --dry-run=client --validate=false -o json -f "$dir/input.yaml") ||
    { echo "golden-render: kubectl could not read $name/input.yaml (make it an error case?)" >&2; exit 1; }
  [ -n "$out" ] || { echo "golden-render: kubectl read no object from $name/input.yaml" >&2; exit 1; }
  printf '%s\n' "$out" | as_golden >"$dir/expected.json"
  generated=$((generated + 1))
done
echo "golden-render: wrote $generated expected.json files from $("$kubectl" version --client -o json | grep -m1 gitVersion | tr -d ' ",' | cut -d: -f2)" >&2
