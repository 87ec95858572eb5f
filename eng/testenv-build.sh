# Sourced by testenv.sh: builds kube-apiserver and kube-controller-manager v${K8S_VERSION} once
# from Debian's kubernetes source package into $CACHE_DIR (see shared/design/TESTENV.md).
# Uses testenv.sh's log, die, as_root and apt_install.

enable_deb_src() {
  local f=/etc/apt/sources.list.d/gitops-testenv-src.sources
  [ -f "$f" ] && return 0
  log "enabling Debian source packages"
  as_root tee "$f" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  as_root apt-get update -q >&2
}

# Replace a vendored Go package with the copy a Debian -dev package installs.
revendor() {
  local pkg=$1 import=$2 tree=$3 src
  src=$(dpkg -L "$pkg" | grep -E "/src/${import}\$" | head -n1)
  [ -d "$src" ] || die "cannot find ${import} in ${pkg}"
  rm -rf "${tree}/vendor/${import}"
  cp -rL "$src" "${tree}/vendor/${import}"
  find "${tree}/vendor/${import}" -name '*_test.go' -delete
}

build_kubernetes() {
  apt_install golang-1.19-go rsync make golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev dpkg-dev
  enable_deb_src
  local work
  work=$(mktemp -d /var/tmp/gitops-k8s-build.XXXXXX)
  log "building kube-apiserver and kube-controller-manager v${K8S_VERSION} (once; about 7 minutes)"
  (cd "$work" && apt-get source --download-only -q kubernetes >&2)
  tar -xzf "$work"/kubernetes_*.orig.tar.gz -C "$work"
  local tree
  tree=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
  [ -d "$tree/vendor" ] || die "unexpected source layout in $work"
  # reflect2 1.0.1 crashes the apiserver under Go >= 1.18 (mapiterinit SIGSEGV).
  revendor golang-github-modern-go-reflect2-dev github.com/modern-go/reflect2 "$tree"
  revendor golang-github-json-iterator-go-dev github.com/json-iterator/go "$tree"
  (
    cd "$tree"
    export PATH="$GO_BIN:$PATH" GOCACHE="$work/gocache" GOPATH="$work/gopath" GOFLAGS=-mod=vendor
    make generated_files >&2
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >&2
  )
  local out
  out=$(find "$tree/_output" -type f -name kube-apiserver -path '*bin*' | head -n1)
  mkdir -p "$CACHE_DIR.tmp"
  cp "$(dirname "$out")/kube-apiserver" "$(dirname "$out")/kube-controller-manager" "$CACHE_DIR.tmp/"
  rm -rf "$CACHE_DIR" && mv "$CACHE_DIR.tmp" "$CACHE_DIR"
  rm -rf "$work" # ~4 GB of sources, objects and Go build cache
  log "cached binaries in $CACHE_DIR"
}
