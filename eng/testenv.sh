#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for tests, the demo and benchmarks:
# etcd + kube-apiserver + kube-controller-manager v1.20.2 (see shared/design/TESTENV.md), and
# tests/PodSimulator: one simulated Node whose pods run (see README, "Test environment").
#
#   eng/testenv.sh up     start an environment in $GITOPS_TESTENV_DIR, print `export` lines
#   eng/testenv.sh env    print the `export` lines of a running environment
#   eng/testenv.sh down   stop the processes `up` started there (by PID) and remove the folder
#   eng/testenv.sh stop-apiserver   stop only the kube-apiserver (by PID) and wait until it is gone;
#                                   etcd and the controller-manager keep running (an outage, for tests)
#   eng/testenv.sh start-apiserver  start it again with the exact arguments `up` recorded (same port,
#                                   data, certificates and token) and wait until /healthz is ok
#
# Logs go to stderr; only `export NAME=value` lines go to stdout, so `eval "$(eng/testenv.sh up)"`
# works. The binaries are built once from Debian's kubernetes source package into
# $GITOPS_K8S_CACHE (default /var/cache/gitops-testenv), shared by every checkout.
set -euo pipefail

readonly K8S_VERSION=1.20.2
readonly ENV_DIR=${GITOPS_TESTENV_DIR:-/tmp/gitops-testenv}
readonly CACHE_DIR=${GITOPS_K8S_CACHE:-/var/cache/gitops-testenv}/k8s-v${K8S_VERSION}
readonly GO_BIN=/usr/lib/go-1.19/bin
readonly REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
readonly SIM_NODE=gitops-sim-node

log() { printf 'testenv: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
  done
}

apt_install() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  log "installing Debian packages: $missing"
  # RUNLEVEL=1 keeps package scripts from starting services (etcd) we do not want.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q $missing >&2 ||
    { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q $missing >&2; }
}

# enable_deb_src, revendor, build_kubernetes: the one-time build from Debian's source package.
source "$(dirname "$0")/testenv-build.sh"

ensure_binaries() {
  apt_install etcd-server openssl curl ca-certificates
  as_root mkdir -p "$(dirname "$CACHE_DIR")"
  [ -x "$CACHE_DIR/kube-apiserver" ] && [ -x "$CACHE_DIR/kube-controller-manager" ] && return 0
  # One build at a time per machine; a second `up` waits and then finds the cache warm.
  exec 9>"$(dirname "$CACHE_DIR")/.build.lock"
  flock 9
  [ -x "$CACHE_DIR/kube-apiserver" ] || build_kubernetes
  flock -u 9
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports below the kernel's ephemeral range: a port above it may be the local end of some
# outgoing connection, free to connect to but not to bind.
EPHEMERAL_LOW=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
TAKEN=" "
free_port() {
  local p
  while :; do
    p=$((10000 + RANDOM % (EPHEMERAL_LOW - 10000)))
    case "$TAKEN" in *" $p "*) continue ;; esac
    port_in_use "$p" && continue
    TAKEN="$TAKEN$p "
    echo "$p"
    return
  done
}

make_pki() {
  local d=$1
  openssl genrsa -out "$d/ca.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$d/ca.key" -subj /CN=gitops-testenv-ca -days 3650 -out "$d/ca.crt" 2>/dev/null
  openssl genrsa -out "$d/apiserver.key" 2048 2>/dev/null
  openssl req -new -key "$d/apiserver.key" -subj /CN=kube-apiserver -out "$d/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' >"$d/san.ext"
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 3650 -extfile "$d/san.ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

write_kubeconfig() {
  local file=$1 server=$2 token=$3 ca=$4
  cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: testenv
  cluster:
    server: ${server}
    certificate-authority-data: $(base64 -w0 <"$ca")
users:
- name: admin
  user:
    token: ${token}
contexts:
- name: testenv
  context: {cluster: testenv, user: admin}
current-context: testenv
KC
}

# The controller-manager is up once its ServiceAccount controller made the default account:
# stopping the API server before that would make it give up and exit.
wait_controllers() {
  wait_for_path "$1" "$2" /api/v1/namespaces/default/serviceaccounts/default && return 0
  log "the controller-manager did not create the default ServiceAccount within 60s"
  return 1
}

# wait_for_path URL TOKEN PATH: true once the API server serves PATH (60 s at most).
wait_for_path() {
  local url=$1 token=$2 path=$3 i
  for i in $(seq 1 300); do
    curl -fsS -o /dev/null --cacert "$ENV_DIR/pki/ca.crt" -H "Authorization: Bearer $token" \
      "$url$path" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

start() { # name, command...
  local name=$1; shift
  setsid "$@" >>"$ENV_DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$ENV_DIR/pids"
}

wait_healthy() {
  local url=$1 token=$2 i pid
  pid=$(apiserver_pid)
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { tail -n 5 "$ENV_DIR/logs/kube-apiserver.log" >&2; return 1; }
    if curl -fsS --cacert "$ENV_DIR/pki/ca.crt" -H "Authorization: Bearer $token" "$url/healthz" 2>/dev/null | grep -qx ok; then
      return 0
    fi
    sleep 0.2
  done
  tail -n 30 "$ENV_DIR/logs/kube-apiserver.log" >&2
  return 1
}

print_env() {
  [ -f "$ENV_DIR/env" ] || die "no environment in $ENV_DIR; run: eng/testenv.sh up"
  cat "$ENV_DIR/env"
}

# The pod simulator's dll: $GITOPS_PODSIM_DLL when given (prebuilt), else tests/PodSimulator built
# in Release, rebuilt only when a source file is newer than the dll (a no-op `up` skips dotnet).
PODSIM_DLL=
ensure_podsim() {
  local project="$REPO_DIR/tests/PodSimulator"
  PODSIM_DLL=${GITOPS_PODSIM_DLL:-$project/bin/Release/net10.0/gitops-podsim.dll}
  [ -n "${GITOPS_PODSIM_DLL:-}" ] && { [ -f "$PODSIM_DLL" ] || die "GITOPS_PODSIM_DLL=$PODSIM_DLL does not exist"; return 0; }
  if [ ! -f "$PODSIM_DLL" ] || [ -n "$(find "$project" \( -path "$project/bin" -o -path "$project/obj" \) -prune -o -newer "$PODSIM_DLL" -type f -print -quit)" ]; then
    log "building the pod simulator (tests/PodSimulator)"
    dotnet build "$project" -c Release -v q -nologo >&2 || die "the pod simulator did not build"
  fi
}

# The simulator is up once it registered its Node.
wait_node() {
  wait_for_path "$1" "$2" "/api/v1/nodes/$SIM_NODE" && return 0
  tail -n 5 "$ENV_DIR/logs/podsim.log" >&2
  log "the pod simulator did not register node $SIM_NODE within 60s"
  return 1
}

up() {
  if [ -f "$ENV_DIR/env" ]; then log "already up in $ENV_DIR"; print_env; return; fi
  ensure_binaries
  ensure_podsim
  local attempt
  for attempt in 1 2 3; do
    start_all && { print_env; return 0; }
    log "attempt $attempt failed; stopping what started and trying other ports"
    stop_all
  done
  die "kube-apiserver did not become healthy; see the log lines above"
}

start_all() {
  mkdir -p "$ENV_DIR"/{pki,etcd,logs,certs}
  : >"$ENV_DIR/pids"
  make_pki "$ENV_DIR/pki"
  local token etcd_port peer_port api_port
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s,admin,admin-uid,"system:masters"\n' "$token" >"$ENV_DIR/pki/tokens.csv"
  etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port)
  log "starting etcd on :$etcd_port and kube-apiserver on :$api_port in $ENV_DIR"
  start etcd etcd --data-dir "$ENV_DIR/etcd" --name testenv \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "testenv=http://127.0.0.1:$peer_port"
  local apiserver=("$CACHE_DIR/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 --secure-port="$api_port" \
    --tls-cert-file="$ENV_DIR/pki/apiserver.crt" --tls-private-key-file="$ENV_DIR/pki/apiserver.key" \
    --client-ca-file="$ENV_DIR/pki/ca.crt" --cert-dir="$ENV_DIR/certs" \
    --token-auth-file="$ENV_DIR/pki/tokens.csv" --authorization-mode=RBAC \
    --service-account-key-file="$ENV_DIR/pki/sa.pub" --service-account-signing-key-file="$ENV_DIR/pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc --service-cluster-ip-range=10.96.0.0/16 \
    --advertise-address=127.0.0.1 --endpoint-reconciler-type=none --allow-privileged=true)
  # Recorded NUL-separated, so start-apiserver runs exactly this command line again.
  printf '%s\0' "${apiserver[@]}" >"$ENV_DIR/kube-apiserver.args"
  start kube-apiserver "${apiserver[@]}"
  local server="https://127.0.0.1:$api_port"
  write_kubeconfig "$ENV_DIR/kubeconfig" "$server" "$token" "$ENV_DIR/pki/ca.crt"
  wait_healthy "$server" "$token" || return 1
  start kube-controller-manager "$CACHE_DIR/kube-controller-manager" \
    --kubeconfig="$ENV_DIR/kubeconfig" --bind-address=127.0.0.1 --secure-port=0 --port=0 \
    --service-account-private-key-file="$ENV_DIR/pki/sa.key" --root-ca-file="$ENV_DIR/pki/ca.crt" \
    --use-service-account-credentials=false --leader-elect=false
  wait_controllers "$server" "$token" || return 1
  start podsim dotnet "$PODSIM_DLL" --kubeconfig "$ENV_DIR/kubeconfig" --node "$SIM_NODE"
  wait_node "$server" "$token" || return 1
  cat >"$ENV_DIR/env" <<ENV
export KUBECONFIG=$ENV_DIR/kubeconfig
export GITOPS_TEST_KUBECONFIG=$ENV_DIR/kubeconfig
export GITOPS_TESTENV_DIR=$ENV_DIR
export GITOPS_TESTENV_SERVER=$server
export GITOPS_TESTENV_NODE=$SIM_NODE
ENV
  log "healthy: $server (kube-apiserver v${K8S_VERSION})"
}

# Stops exactly the processes recorded in $ENV_DIR/pids and removes the folder.
stop_all() {
  if [ -f "$ENV_DIR/pids" ]; then
    local pid name
    # Stop in reverse start order so the controller-manager does not spin on a dead apiserver.
    while read -r pid name; do
      kill "$pid" 2>/dev/null && log "stopped $name ($pid)" || true
    done < <(tac "$ENV_DIR/pids")
    while read -r pid name; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    done <"$ENV_DIR/pids"
  fi
  rm -rf "$ENV_DIR"
}

apiserver_pid() { awk '$2 == "kube-apiserver" {print $1}' "$ENV_DIR/pids"; }

# Stops the recorded kube-apiserver and forgets its PID (so `down` never signals a reused PID).
stop_apiserver() {
  [ -f "$ENV_DIR/env" ] || die "no environment in $ENV_DIR"
  local pid
  pid=$(apiserver_pid)
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    log "kube-apiserver is not running in $ENV_DIR"
  else
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; }
    log "stopped kube-apiserver ($pid)"
  fi
  awk '$2 != "kube-apiserver"' "$ENV_DIR/pids" >"$ENV_DIR/pids.tmp" && mv "$ENV_DIR/pids.tmp" "$ENV_DIR/pids"
}

start_apiserver() {
  [ -f "$ENV_DIR/env" ] || die "no environment in $ENV_DIR"
  [ -f "$ENV_DIR/kube-apiserver.args" ] || die "$ENV_DIR was set up without recording the kube-apiserver's arguments; run down and up"
  local pid server token args
  pid=$(apiserver_pid)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "kube-apiserver already runs ($pid)"
  else
    mapfile -d '' args <"$ENV_DIR/kube-apiserver.args"
    start kube-apiserver "${args[@]}"
  fi
  server=$(sed -n 's/^export GITOPS_TESTENV_SERVER=//p' "$ENV_DIR/env")
  token=$(cut -d, -f1 "$ENV_DIR/pki/tokens.csv")
  wait_healthy "$server" "$token" || die "kube-apiserver did not become healthy again; see the log lines above"
  log "healthy again: $server"
}

down() {
  [ -d "$ENV_DIR" ] || { log "nothing in $ENV_DIR"; return 0; }
  stop_all
  log "removed $ENV_DIR"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) print_env ;;
  stop-apiserver) stop_apiserver ;;
  start-apiserver) start_apiserver ;;
  *) echo "usage: $0 up|down|env|stop-apiserver|start-apiserver" >&2; exit 2 ;;
esac
