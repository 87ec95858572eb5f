#!/usr/bin/env bash
# Debian packages the test suites need beyond the .NET SDK; installs only what is missing.
#
#   eng/test-deps.sh
#
# git        the CLI that tests use to build fixture repositories, and git-http-backend (CGI)
# lighttpd   a real HTTP server with basic auth in front of git-http-backend on loopback
# chromium   headless browser the web-view tests drive through Playwright (its own download is unreachable)
# gnupg, openssh-client   gpg and ssh-keygen: signed commits, and the agent's signature checks
# and, from npm into $GITOPS_TEST_NPM_DIR (default /var/cache/gitops-test-npm), GitHub's published
# descriptions the forge tests check requests and payloads against (tests/TestSupport/Forge).
set -euo pipefail

readonly PACKAGES=(git lighttpd chromium gnupg openssh-client)

log() { printf 'test-deps: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  # RUNLEVEL=1 keeps the package scripts from starting lighttpd as a system service:
  # the tests start their own instance on a free loopback port.
  install() { as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q "${missing[@]}" >&2; }
  install || { as_root apt-get update -q >&2 && install; }
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
