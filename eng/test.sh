#!/usr/bin/env bash
# Runs every test of the solution against a real API server started here, and stops that
# server afterwards even when tests fail. The exit code is the tests'.
#   eng/test.sh [extra dotnet test arguments]
# To test against another cluster instead, export GITOPS_TEST_KUBECONFIG and run `dotnet test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
require_dotnet

[ -x "$root/eng/test-deps.sh" ] && "$root/eng/test-deps.sh"

export GITOPS_TESTENV_DIR=${GITOPS_TESTENV_DIR:-$(mktemp -u /tmp/gitops-test.XXXXXX)}
trap '"$root/eng/testenv.sh" down' EXIT
env_lines=$("$root/eng/testenv.sh" up) || exit 1
eval "$env_lines"
echo "test: integration tests run against kube-apiserver $("$(kubectl_bin)" version 2>/dev/null | sed -n 's/^Server Version: //p') at $GITOPS_TESTENV_SERVER" >&2

cd "$root"
dotnet build GitOps.sln -c Release -warnaserror -v q -nologo
dotnet test GitOps.sln -c Release --no-build -v q -nologo --logger "console;verbosity=normal" "$@"
