# shellcheck shell=bash
# Shared by scripts/setup, scripts/test, scripts/develop and scripts/bench: finds or builds the Python
# environment for one Home Assistant track and runs commands in it.
#
# Two tracks, each pinned by a requirements file:
#   latest   requirements/latest.txt   Python 3.14 (>= 3.14.2)  Debian sid root when the host has no such Python
#   minimum  requirements/minimum.txt  Python 3.13 (>= 3.13.2)  Debian trixie root likewise
#
# A contributor with a suitable Python on PATH gets a plain venv under the cache. Elsewhere (Debian 12, as
# root) the scripts build a Debian root with debootstrap and a venv inside it, and run every command there
# through `unshare -m` + `chroot`, with the repository bind-mounted at /repo; the mounts die with the command.
# Everything lives under the cache ($BELLAS_REEF_CACHE, default ~/.cache/bellas-reef), never in the repo.

set -euo pipefail

BR_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BR_CACHE=${BELLAS_REEF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bellas-reef}
BR_TRACK=latest

br_log() { printf '[bellas-reef] %s\n' "$*" >&2; }
br_die() { br_log "error: $*"; exit 2; }

# br_parse_track ARGS... : consumes --ha TRACK / --ha=TRACK, leaves the rest in BR_ARGS.
br_parse_track() {
  BR_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --ha) [ $# -ge 2 ] || br_die "--ha needs latest or minimum"; BR_TRACK=$2; shift 2 ;;
      --ha=*) BR_TRACK=${1#--ha=}; shift ;;
      *) BR_ARGS+=("$1"); shift ;;
    esac
  done
  case "$BR_TRACK" in
    latest) BR_SUITE=sid; BR_PYVER=3.14; BR_PYMIN=3.14.2
      BR_DEBS=python3.14,python3.14-venv,ca-certificates,tzdata ;;
    minimum) BR_SUITE=trixie; BR_PYVER=3.13; BR_PYMIN=3.13.2
      BR_DEBS=python3.13,python3.13-venv,python3.13-dev,gcc,libc6-dev,ca-certificates,tzdata ;;
    *) br_die "unknown track '$BR_TRACK' (latest or minimum)" ;;
  esac
  BR_REQS=$BR_REPO/requirements/$BR_TRACK.txt
}

# A Python on PATH of the track's minor version, at least its minimum patch release.
br_host_python() {
  local candidate
  for candidate in "python$BR_PYVER" python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" - "$BR_PYVER" "$BR_PYMIN" >/dev/null 2>&1 <<'EOF'
import sys
minor, minimum = sys.argv[1], tuple(int(p) for p in sys.argv[2].split("."))
ok = f"{sys.version_info[0]}.{sys.version_info[1]}" == minor and sys.version_info[:3] >= minimum
sys.exit(0 if ok else 1)
EOF
    then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# Decide host venv or Debian root; sets BR_MODE, BR_VENV (as seen by commands), BR_ROOT.
br_select() {
  local python
  if [ "${BELLAS_REEF_FORCE_ROOT:-0}" != 1 ] && python=$(br_host_python); then
    BR_MODE=host
    BR_HOST_PYTHON=$python
    BR_VENV=$BR_CACHE/venv-$BR_TRACK
    BR_VENV_ON_HOST=$BR_VENV
  else
    BR_MODE=root
    BR_ROOT=$BR_CACHE/roots/$BR_SUITE
    BR_VENV=/opt/venv-$BR_TRACK
    BR_VENV_ON_HOST=$BR_ROOT$BR_VENV
  fi
}

br_ensure_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || br_die "no Python $BR_PYMIN+ on PATH and not root: install Python $BR_PYVER, or run as root to build a Debian root"
  command -v apt-get >/dev/null 2>&1 || br_die "no Python $BR_PYMIN+ on PATH and no apt-get to install debootstrap"
  br_log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

# The CA bundle pip on the host uses (a proxy may sign with its own CA); copied into the root.
br_host_ca() {
  local ca=${PIP_CERT:-}
  [ -n "$ca" ] && [ -f "$ca" ] && { echo "$ca"; return; }
  for ca in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
    [ -f "$ca" ] && { echo "$ca"; return; }
  done
}

br_ensure_root() {
  [ "$BR_MODE" = root ] || return 0
  if [ ! -x "$BR_ROOT/usr/bin/python$BR_PYVER" ]; then
    [ "$(id -u)" = 0 ] || br_die "building a Debian root needs root (or put Python $BR_PYMIN+ on PATH)"
    br_ensure_debootstrap
    mkdir -p "$BR_CACHE/roots"
    rm -rf "$BR_ROOT.tmp"
    br_log "building a Debian $BR_SUITE root in $BR_ROOT (about a minute)"
    debootstrap --variant=minbase --include="$BR_DEBS" "$BR_SUITE" "$BR_ROOT.tmp" >"$BR_CACHE/debootstrap-$BR_SUITE.log" 2>&1 \
      || { tail -n 20 "$BR_CACHE/debootstrap-$BR_SUITE.log" >&2; br_die "debootstrap $BR_SUITE failed (log: $BR_CACHE/debootstrap-$BR_SUITE.log)"; }
    mv "$BR_ROOT.tmp" "$BR_ROOT"
  fi
  mkdir -p "$BR_ROOT/repo"
  # Network identity and trust come from the host on every run (they may change between runs).
  local ca
  ca=$(br_host_ca || true)
  [ -z "$ca" ] || br_sync_file "$ca" "$BR_ROOT/etc/ssl/certs/bellas-reef-host-ca.crt"
  [ ! -e /etc/resolv.conf ] || br_sync_file /etc/resolv.conf "$BR_ROOT/etc/resolv.conf"
}

# br_sync_file SRC DST : copy only when it changed, and atomically (a command already running in the root may
# be reading DST).
br_sync_file() {
  cmp -s "$1" "$2" && return 0
  cp -L "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

# br_run CMD ARGS... : runs in the track's environment, cwd = repository, venv first on PATH.
# Inside a Debian root the repository is /repo; BR_PASS_ENV adds VAR=value pairs to the clean environment.
br_run() {
  if [ "$BR_MODE" = host ]; then
    (cd "$BR_REPO" && PATH="$BR_VENV/bin:$PATH" VIRTUAL_ENV="$BR_VENV" "$@")
    return
  fi
  local ca_env=()
  if [ -f "$BR_ROOT/etc/ssl/certs/bellas-reef-host-ca.crt" ]; then
    ca_env=(PIP_CERT=/etc/ssl/certs/bellas-reef-host-ca.crt SSL_CERT_FILE=/etc/ssl/certs/bellas-reef-host-ca.crt
      REQUESTS_CA_BUNDLE=/etc/ssl/certs/bellas-reef-host-ca.crt)
  fi
  unshare -m --propagation private -- /bin/bash -c '
    set -e
    root=$1; repo=$2; shift 2
    mount --bind "$repo" "$root/repo"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    exec chroot "$root" "$@"
  ' bash "$BR_ROOT" "$BR_REPO" /usr/bin/env -i \
    HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" TZ=UTC \
    PATH="$BR_VENV/bin:/usr/local/bin:/usr/bin:/bin" VIRTUAL_ENV="$BR_VENV" \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 "${ca_env[@]}" \
    "${BR_PASS_ENV[@]+"${BR_PASS_ENV[@]}"}" \
    /bin/sh -c 'cd /repo && exec "$@"' sh "$@"
}
BR_PASS_ENV=()

# Venv with the pinned requirements; skipped when the stamp matches (the warm path).
br_ensure_venv() {
  local stamp want
  want=$(cat "$BR_REQS" "$BR_REPO/requirements/common.txt" | sha256sum | cut -c1-16)
  stamp=$BR_VENV_ON_HOST/.bellas-reef-stamp
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  br_log "installing $BR_TRACK requirements into $BR_VENV_ON_HOST (a minute or two)"
  rm -rf "$BR_VENV_ON_HOST"
  if [ "$BR_MODE" = host ]; then
    "$BR_HOST_PYTHON" -m venv "$BR_VENV"
  else
    br_run "/usr/bin/python$BR_PYVER" -m venv "$BR_VENV"
  fi
  br_run python -m pip install --quiet --upgrade pip
  br_run python -m pip install --quiet -r "requirements/$BR_TRACK.txt"
  echo "$want" >"$stamp"
}

# What a running Home Assistant's frontend needs, set up by `scripts/test --e2e` and `scripts/develop` (CI starts
# from a clean clone):
#  - the requirements of the integrations Home Assistant imports to describe its actions (websocket
#    `get_services` imports every entity component with action fields, conversation and tts among them) and of
#    assist_pipeline (pymicro-vad, pyspeex-noise, which have no wheels for every Python), installed into the
#    venv here once. Without them `get_services` fails and the frontend never leaves its launch screen; the
#    latest track's test requirements happen to bring them, the minimum track's do not;
#  - in a Debian root, the C++ compiler and the Python headers they are built with, and with --browser
#    Chromium for the browser test. A contributor's own machine brings its own; without a browser that test
#    is skipped.
#   br_ensure_frontend [--browser]
br_ensure_frontend() {
  if [ "$BR_MODE" = root ]; then
    local deb debs=(g++ "python$BR_PYVER-dev") missing=()
    [ "${1:-}" != --browser ] || debs+=(chromium)
    for deb in "${debs[@]}"; do
      [ "$(br_run dpkg-query -W -f='${db:Status-Status}' "$deb" 2>/dev/null)" = installed ] || missing+=("$deb")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      local log=$BR_CACHE/apt-e2e-$BR_SUITE.log
      br_log "installing ${missing[*]} into the $BR_SUITE root for a running Home Assistant (a minute or two)"
      # A sid mirror's Release file may have expired; the packages are still the ones the index names.
      { br_run env DEBIAN_FRONTEND=noninteractive apt-get -q -o Acquire::Check-Valid-Until=false update \
          && br_run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            -o DPkg::Lock::Timeout=600 "${missing[@]}"; } >"$log" 2>&1 \
        || { tail -n 20 "$log" >&2; br_die "apt-get install ${missing[*]} failed (log: $log)"; }
    fi
  fi
  # The requirements those integrations (and the ones they depend on) pin, those not installed yet.
  local reqs
  reqs=$(br_run python -c '
import ast, importlib.metadata as md, inspect, json, pathlib
from packaging.requirements import Requirement
import homeassistant.components as components
from homeassistant.helpers import service
root = pathlib.Path(components.__path__[0])
base_components = getattr(service, "_base_components", None)  # private: read only while it exists
described = ast.parse(inspect.getsource(base_components)) if base_components else ast.Module(body=[])
todo = ["assist_pipeline"] + [
    alias.name
    for node in ast.walk(described)
    if isinstance(node, ast.ImportFrom) and node.module == "homeassistant.components"
    for alias in node.names
]
seen, wanted = set(), set()
while todo:
    domain = todo.pop()
    if domain in seen:
        continue
    seen.add(domain)
    manifest = json.loads((root / domain / "manifest.json").read_text())
    todo += manifest.get("dependencies", [])
    wanted.update(manifest.get("requirements", []))
def installed(spec):
    requirement = Requirement(spec)
    try:
        return md.version(requirement.name) in requirement.specifier
    except md.PackageNotFoundError:
        return False
print(" ".join(sorted(r for r in wanted if not installed(r))))')
  [ -n "$reqs" ] || return 0
  br_log "building $reqs for Home Assistant's frontend (a minute or two)"
  # shellcheck disable=SC2086  # a list of requirement specifiers
  if ! br_run python -m pip install --quiet $reqs; then
    [ "$BR_MODE" = host ] || br_die "could not install $reqs into $BR_VENV"
    br_log "warning: could not build $reqs (needs a C++ compiler and the Python headers): Home Assistant's frontend will not start"
  fi
}

br_setup() {
  br_select
  br_ensure_root
  br_ensure_venv
}
