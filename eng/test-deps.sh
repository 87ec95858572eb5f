#!/usr/bin/env bash
# Debian packages the test suites need beyond the .NET SDK; installs only what is missing.
#
#   eng/test-deps.sh
#
# git        the CLI that tests use to build fixture repositories, and git-http-backend (CGI)
# lighttpd   a real HTTP server with basic auth in front of git-http-backend on loopback
# gnupg, openssh-client   gpg and ssh-keygen: signed commits, and the agent's signature checks
set -euo pipefail

readonly PACKAGES=(git lighttpd gnupg openssh-client)

log() { printf 'test-deps: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

log "installing Debian packages: ${missing[*]}"
# RUNLEVEL=1 keeps the package scripts from starting lighttpd as a system service:
# the tests start their own instance on a free loopback port.
install() { as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q "${missing[@]}" >&2; }
install || { as_root apt-get update -q >&2 && install; }
