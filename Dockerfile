# Labwire: the Discord bot in a small image.
#   docker build -t labwire .
#   docker run --env-file .env -v labwire-data:/data labwire          # the bot
#   docker run --rm labwire ask "why did Kalinowski quit?"            # any labwire command
# See "Operations" in README.md; docker-compose.yml is a ready example.

# ---- builder: the pinned dependencies and Labwire itself, in a venv ---------
# The venv (not site-packages) is what moves between stages: it works the same
# on the official image and on the Debian-built stand-in CI uses (.ci/docker.sh).
FROM python:3.11-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Dependencies first: this layer is rebuilt only when the lock file changes.
# Every file is checked against the lock's sha256 hashes; wheels only, no
# compiler needed.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --only-binary=:all: --no-deps -r /tmp/requirements.lock

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
# --no-build-isolation: build with the locked setuptools instead of fetching one.
# pip and setuptools are only needed to install, so they stay out of the runtime.
RUN pip install --no-deps --no-build-isolation . \
    && pip uninstall --yes setuptools pip

# ---- runtime ----------------------------------------------------------------
FROM python:3.11-slim

# A fixed uid/gid so a bind-mounted /data can be chowned to it: chown 10001 DIR.
RUN groupadd --system --gid 10001 labwire \
    && useradd --system --uid 10001 --gid labwire --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin labwire \
    && mkdir -p /data \
    && chown labwire:labwire /data

COPY --from=builder /opt/venv /opt/venv
# The shipped knowledge, read-only for the bot user.  Override it by mounting a
# directory at /app/knowledge (writable, if moderators edit from Discord) or by
# pointing LABWIRE_KNOWLEDGE elsewhere.
COPY knowledge /app/knowledge

ENV PATH=/opt/venv/bin:$PATH \
    ORT_DISABLE_TELEMETRY=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LABWIRE_KNOWLEDGE=/app/knowledge \
    LABWIRE_DB=/data/labwire.sqlite3 \
    LABWIRE_HEARTBEAT=/data/heartbeat.json

WORKDIR /app
# Numeric, so orchestrators can verify it is not root (runAsNonRoot).
USER 10001:10001
VOLUME ["/data"]

# The bot rewrites /data/heartbeat.json every 30 s; `labwire health` fails when
# it is older than 90 s or reports a disconnected gateway, unloaded knowledge or
# an unwritable database.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["labwire", "health"]

# SIGTERM (docker stop) makes `labwire run` finish in-flight work and exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["labwire"]
CMD ["run"]
