#!/usr/bin/env bash
# Benchmarks of the pure engine (render a 5,000-object repository; drift on 5,000 pairs).
# Targets: render < 1 s, 5,000 unchanged diffs < 200 ms. Results land in
# BenchmarkDotNet.Artifacts/ (ignored by git).
#   eng/bench-diff.sh [BenchmarkDotNet arguments]   (default: --filter '*')
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/eng/lib.sh"
require_dotnet
cd "$root"
[ $# -gt 0 ] || set -- --filter '*'
dotnet run -c Release --project tests/Benchmarks -- "$@"
