#!/usr/bin/env bash
# Lint the Dockerfile, then build the image and smoke-test it in a container.
#
# No container registry is reachable from CI, so `python:3.11-slim` is a
# stand-in built here from Debian packages (mmdebstrap) and imported under that
# tag; see shared/docker-ci-notes.md.  A private dockerd (own data root, socket
# and pid file under a scratch directory) is started and always stopped again.
#
# Last, the README's first quick-start command runs in a Debian 12 container whose
# system Python refuses pip (PEP 668), as a newcomer's machine would.
#
# Exit status: non-zero if the lint, the build or a smoke test fails.  Where
# Docker itself cannot be installed or started, ONE line says so and the script
# exits 0, so the rest of CI still runs.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=labwire:ci
BASE=python:3.11-slim
QUESTION="why did Kalinowski quit?"
t0=$(date +%s)
say() { printf '== docker [%3ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
skip() { echo "SKIPPED docker image build and smoke test: $*" >&2; exit 0; }
fail() { echo "FAILED docker: $*" >&2; exit 1; }

say "lint: hadolint Dockerfile"
command -v hadolint >/dev/null || fail "hadolint not found; install the dev extra first"
hadolint Dockerfile

# ---- Docker engine ---------------------------------------------------------
if ! command -v dockerd >/dev/null || ! command -v mmdebstrap >/dev/null; then
  say "installing docker.io and mmdebstrap (apt)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends docker.io mmdebstrap; } >/tmp/labwire-docker-apt.log 2>&1; then
    skip "apt-get could not install docker.io/mmdebstrap (log: /tmp/labwire-docker-apt.log)"
  fi
fi
# Debian's client, not whichever is first on PATH: it talks to this dockerd and
# needs no buildx plugin for the classic builder.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)

scratch=$(mktemp -d /tmp/labwire-docker.XXXXXX)
export DOCKER_HOST="unix://$scratch/docker.sock"
dockerd_pid=""
cleanup() {
  local status=$?
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    "$DOCKER" ps -aq 2>/dev/null | xargs -r "$DOCKER" rm -f >/dev/null 2>&1 || true
    kill "$dockerd_pid" 2>/dev/null || true
    # Bounded wait for dockerd to stop (it takes 3-4 s).
    for _ in $(seq 1 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$dockerd_pid" 2>/dev/null || true
  fi
  # dockerd 20.10 leaves its netns bind mount (and, if killed, overlays) behind.
  grep -o " $scratch[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT

say "starting dockerd (scratch $scratch)"
# A simple command, so $! is dockerd itself.
dockerd --data-root "$scratch/data" --exec-root "$scratch/exec" --pidfile "$scratch/docker.pid" \
  --host "$DOCKER_HOST" >"$scratch/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 150); do
  "$DOCKER" info >/dev/null 2>&1 && break
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 0.2
done
if ! "$DOCKER" info >/dev/null 2>&1; then
  reason=$(grep -iE 'level=(fatal|error)' "$scratch/dockerd.log" | tail -n1 | cut -c1-200 || true)
  cp "$scratch/dockerd.log" /tmp/labwire-dockerd.log 2>/dev/null || true
  skip "dockerd could not start here (${reason:-no answer within 30 s}; log: /tmp/labwire-dockerd.log)"
fi
say "dockerd $("$DOCKER" version --format '{{.Server.Version}}') up, storage $("$DOCKER" info --format '{{.Driver}}')"

# ---- stand-in base image -----------------------------------------------------
# The host's own Debian sources (mirror, suites incl. updates and security), as
# one-line entries for mmdebstrap.
host_sources() {
  local file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] && grep -E '^deb ' "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] && awk '
      /^URIs:/ {uri=$2} /^Suites:/ {n=split(substr($0, 8), s, " ")}
      /^Components:/ {comp=substr($0, 13)}
      /^$/ {emit()} END {emit()}
      function emit(  i) { if (uri != "") for (i = 1; i <= n; i++) print "deb " uri " " s[i] " " comp; uri="" }
    ' "$file"
  done
}
mapfile -t sources < <(host_sources | grep -E ' bookworm(-updates|-security)? ' | sed -E 's/\[[^]]*\] //' | sort -u)
[ "${#sources[@]}" -gt 0 ] || fail "no bookworm apt sources found on this host"

ca_hooks=()
for crt in /usr/local/share/ca-certificates/*.crt; do
  # Hosts behind a TLS-intercepting proxy: pip in `docker build` must trust it too.
  # Copied into the throw-away base only; never committed.
  [ -f "$crt" ] && ca_hooks+=(--customize-hook="copy-in $crt /usr/local/share/ca-certificates/")
done
[ "${#ca_hooks[@]}" -gt 0 ] && ca_hooks+=(--customize-hook='chroot "$1" update-ca-certificates >/dev/null')

# A Debian 12 root file system imported as image $1; the other arguments are extra
# packages (--include=...) and hooks.
debian_image() {
  local tag=$1; shift
  mmdebstrap --quiet --variant=minbase --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    "$@" "${ca_hooks[@]}" \
    bookworm - "${sources[@]}" 2>"$scratch/mmdebstrap.log" \
    | "$DOCKER" import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$tag" >/dev/null
}

say "building stand-in $BASE with mmdebstrap (${#sources[@]} sources, ${#ca_hooks[@]} CA hooks)"
# Like the official image: no EXTERNALLY-MANAGED marker, python and pip on PATH.
if ! debian_image "$BASE" \
  --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
  --customize-hook='rm -f "$1"/usr/lib/python3.*/EXTERNALLY-MANAGED' \
  --customize-hook='for n in python python3 pip pip3; do ln -sf /usr/bin/$n "$1/usr/local/bin/$n"; done'
then
  tail -n 20 "$scratch/mmdebstrap.log" >&2
  fail "could not build the stand-in base image with mmdebstrap"
fi
say "stand-in base: $("$DOCKER" image inspect --format '{{.Size}}' "$BASE" | awk '{printf "%.0f MB", $1/1e6}')"

# ---- our image ---------------------------------------------------------------
say "docker build -t $IMAGE ."
build_start=$(date +%s)
DOCKER_BUILDKIT=0 "$DOCKER" build --quiet -t "$IMAGE" . >/dev/null
size=$("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')
say "built $IMAGE in $(( $(date +%s) - build_start )) s; image size $size"

# ---- smoke test in the container ---------------------------------------------
run() { "$DOCKER" run --rm "$@"; }

say "smoke: runs as the non-root bot user"
uid=$(run --entrypoint id "$IMAGE" -u)
[ "$uid" = 10001 ] || fail "container runs as uid $uid, expected 10001"

say "smoke: labwire kb validate (baked-in knowledge)"
run "$IMAGE" kb validate

say "smoke: knowledge is overridable by a mounted directory"
out=$(run -v "$PWD/knowledge:/srv/knowledge:ro" -e LABWIRE_KNOWLEDGE=/srv/knowledge "$IMAGE" kb validate)
case "$out" in *"/srv/knowledge"*) ;; *) fail "LABWIRE_KNOWLEDGE override ignored: $out";; esac

say "smoke: labwire ask --json \"$QUESTION\""
answer=$(run "$IMAGE" ask --json "$QUESTION")
printf '%s\n' "$answer" | QUESTION="$QUESTION" python3 -c '
import json, os, sys
result = json.loads(sys.stdin.readline())
assert result["question"] == os.environ["QUESTION"], result["question"]
title = (result.get("answer") or {}).get("title")
assert title, "no answer from the shipped knowledge"
print("   answer:", title)
' || fail "ask --json did not answer from the shipped knowledge: ${answer:0:300}"

say "smoke: labwire health without a heartbeat must fail with a reason"
if health=$(run "$IMAGE" health 2>&1); then fail "health passed with no bot running: $health"; fi
case "$health" in *"no heartbeat file"*) echo "   $health";; *) fail "unexpected: $health";; esac

say "smoke: HEALTHCHECK turns healthy with a fresh heartbeat in /data"
# Stands in for `labwire run` (which needs Discord): writes healthy heartbeats.
cid=$("$DOCKER" run -d --health-interval=1s --entrypoint python "$IMAGE" -c '
import pathlib, threading
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
path = pathlib.Path("/data/heartbeat.json")
while True:
    write_heartbeat(path, HeartbeatStatus(True, 1.0, True, True))
    threading.Event().wait(1)
')
state=""
for _ in $(seq 1 60); do
  state=$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$cid")
  [ "$state" = starting ] || break
  sleep 0.5
done
"$DOCKER" rm -f "$cid" >/dev/null
[ "$state" = healthy ] || fail "container health is '$state', expected healthy"

say "smoke: labwire run in the container against the fake Discord (host network, 127.0.0.1)"
DOCKER="$DOCKER" python3 .ci/docker_bot_smoke.py "$IMAGE"

say "OK: image $IMAGE ($size) passed the smoke test"

# ---- the README's quick start on a Debian system Python -----------------------
# Debian 12 as installed: its python3 refuses `pip install` (PEP 668). The README's
# first quick-start command, copied from the README, must install into its own .venv
# and reach the chat, which answers a question and quits.
say "quick start: the README's first command on Debian 12 (EXTERNALLY-MANAGED kept)"
debian_image labwire-debian12:ci --include=python3,python3-venv,python3-pip,ca-certificates \
  || fail "could not build the Debian 12 image with mmdebstrap"
quick_start=$(sed -n '/^## Quick start/,/^```$/p' README.md | grep -m1 '^python3 -m venv')
[ -n "$quick_start" ] || fail "no quick-start command found in README.md"
# The clone without what CI made in it (its own .venv, data/).
transcript=$(printf 'who is jan leike\n/quit\n' | timeout 900 "$DOCKER" run --rm -i --network host \
  -v "$PWD:/src:ro" labwire-debian12:ci sh -c "
    python3 -m pip install labwire 2>&1 | grep -m1 -o externally-managed-environment
    mkdir /repo && tar -C /src --exclude=./.venv --exclude=./data -cf - . | tar -C /repo -xf -
    cd /repo && $quick_start" 2>&1) || fail "the quick start failed: ${transcript: -600}"
case "$transcript" in *externally-managed-environment*) ;; *)
  fail "this Debian python3 did not refuse pip install; the check proves nothing";; esac
case "$transcript" in *"Jan Leike"*Bye.*) ;; *)
  fail "the chat did not answer and quit: ${transcript: -600}";; esac
echo "   pip refused on the system Python; .venv install and chat: answered, Bye."
say "OK: the README's quick start runs on a Debian system Python"
