# influencer-bot: a two-stage image that runs `influencer-bot run` as a non-root user.
#
# The builder installs exactly the versions and files of requirements.lock (pinned, with hashes;
# see the README's "Running in production" for how to regenerate it) into a virtualenv, then
# builds the project's own wheel with the pinned setuptools and installs it without dependencies.
# The runtime stage copies only that virtualenv: no compiler, no pip cache, no sources.

FROM python:3.12-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
COPY requirements.lock ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock

COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/venv/bin/pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /build/dist . \
    && /opt/venv/bin/pip install --no-cache-dir --no-deps --no-index /build/dist/influencer_bot-*.whl


FROM python:3.12-slim-bookworm

ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=3000 \
    DATABASE_URL=sqlite:////data/influencer.db

COPY --from=builder /opt/venv /opt/venv
RUN groupadd --gid 10001 influencer \
    && useradd --create-home --uid 10001 --gid 10001 influencer \
    && mkdir -p /data \
    && chown 10001:10001 /data

USER 10001:10001
WORKDIR /home/influencer
VOLUME ["/data"]
EXPOSE 3000
# stdlib only, so a check costs milliseconds; exits 1 with the reason unless /healthz answers 200
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "influencer_bot.bot.healthcheck"]
# `run` stops on SIGTERM within SHUTDOWN_GRACE_S (default 20 s): give `docker stop -t` more than that
STOPSIGNAL SIGTERM
CMD ["influencer-bot", "run"]
