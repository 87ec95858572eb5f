#!/usr/bin/env bash
# The main job, end to end: start a local API server, sync example-repo/ into it from a git
# repository, change it, prune, and show the result.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
require_dotnet
export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-/tmp/gitops-demo}
trap '"$root/eng/testenv.sh" down' EXIT
eval "$("$root/eng/testenv.sh" up)"
"$(kubectl_bin)" version 2>/dev/null | grep -i '^server'
