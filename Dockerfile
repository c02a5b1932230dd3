# syntax=docker/dockerfile:1
#
# Chat API: the proxy on :3000 and the console on :3001, SQLite in /data unless SQL_DSN is set.
#
#   docker build -t chat-api .
#   docker run -d --name chat-api -p 3000:3000 -p 3001:3001 -v ./data:/data chat-api
#
# Both stages use the same Debian release, so the runtime's libsqlite3 is the one sqlite3 was
# built against.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile TypeScript and the console, keep what runs ----
FROM ${NODE_IMAGE} AS build
# sqlite3 is compiled here against Debian's libsqlite3 (seconds, and no prebuilt binary fetched
# from GitHub); node-gyp uses the image's own Node headers instead of downloading them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_sqlite=/usr \
    npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1
# The npm the lockfile and package.json's "allowScripts" are written for (package.json's packageManager).
RUN npm install -g npm@11.19.1 --no-audit --no-fund
WORKDIR /src
# Dependencies first, so that a source change reuses this layer.
COPY package.json package-lock.json ./
COPY packages/billing/package.json packages/billing/
COPY packages/db/package.json packages/db/
COPY packages/providers/package.json packages/providers/
COPY apps/proxy/package.json apps/proxy/
COPY apps/console/package.json apps/console/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx turbo run build --output-logs=errors-only \
 && npm prune --omit=dev --no-audit --no-fund \
 && node scripts/stage-runtime.mjs /app

# ---- runtime: Node, libsqlite3, the built gateway and its production dependencies ----
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data \
 && chown node:node /data
WORKDIR /app
# Owned by root: the gateway (uid 1000, `node`) can read its code but not change it.
COPY --from=build /app /app
ENV NODE_ENV=production \
    SQLITE_PATH=/data/chat-api.db \
    PROXY_PORT=3000 \
    CONSOLE_PORT=3001
VOLUME /data
EXPOSE 3000 3001
# Runs as root only long enough to hand /data to `node`, then drops to it for good
# (scripts/docker-entrypoint.mjs); `--user 1000:1000` skips that step.
ENTRYPOINT ["node", "scripts/docker-entrypoint.mjs"]
# The proxy drains streams for up to SHUTDOWN_TIMEOUT (60 s) on SIGTERM: stop with -t 75.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "scripts/healthcheck.mjs"]
