#!/usr/bin/env bash
# Install PostgreSQL's server programs from Debian's packages when they are missing.
#
# The test suite runs its storage tests against SQLite and PostgreSQL: it starts a
# throwaway cluster of its own (tests/postgres.py) with initdb/pg_ctl from
# /usr/lib/postgresql/*/bin, so only the programs are needed, not a running service.
# Run as root (CI) or as a user who may sudo; does nothing when PostgreSQL is
# already installed, so it is safe to run again (the README's test command does).
set -euo pipefail

# Where Debian puts PostgreSQL's programs; tests point it elsewhere.
lib="${LABWIRE_POSTGRESQL_LIB:-/usr/lib/postgresql}"
if compgen -G "$lib/*/bin/initdb" >/dev/null; then
  echo "PostgreSQL is installed: $(ls -d "$lib"/*/bin | tail -n 1)"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-postgres: no apt-get here; install PostgreSQL's server (initdb, pg_ctl) another way" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "install-postgres: PostgreSQL is missing; run this as root (or install sudo) to install Debian's postgresql package" >&2
    exit 1
  fi
  sudo="sudo"
fi
# The tests make their own clusters: ask Debian's packaging not to create (and start)
# the default one on port 5432.
$sudo mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/labwire-tests.conf >/dev/null
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
echo "PostgreSQL installed: $(ls -d "$lib"/*/bin | tail -n 1)"
