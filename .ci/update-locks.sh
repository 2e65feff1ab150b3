#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml; commit both afterwards.
#
#   python3 -m pip install uv        # once
#   .ci/update-locks.sh              # after editing dependencies: keeps every other pin
#   .ci/update-locks.sh --upgrade    # move everything to the newest allowed versions
#   .ci/update-locks.sh --upgrade-package aiohttp
#
# requirements-dev.lock: every package (runtime + dev extra) at one exact version.
#   Used as pip *constraints*, so one command installs the editable project with
#   those versions: python3 -m pip install -c requirements-dev.lock -e '.[dev]'
# requirements.lock: the runtime subset at the same versions, with sha256 hashes
#   of every file PyPI has for them, plus the build backend; the Dockerfile
#   installs it with --require-hashes.
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--universal --python-version 3.11 --custom-compile-command ".ci/update-locks.sh")

uv pip compile "${common[@]}" "$@" pyproject.toml --extra dev -o requirements-dev.lock
# Runtime: the same versions as the dev lock; setuptools builds the project in Docker.
printf 'setuptools>=68\n' > .ci/build-requirements.in.tmp
trap 'rm -f .ci/build-requirements.in.tmp' EXIT
uv pip compile "${common[@]}" "$@" --generate-hashes -c requirements-dev.lock \
  pyproject.toml .ci/build-requirements.in.tmp -o requirements.lock
echo "updated requirements-dev.lock and requirements.lock; review the diff and commit both"
