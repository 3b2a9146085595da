# syntax=docker/dockerfile:1
# morning-brief: `docker build -t morning-brief .` then `docker compose up -d` (see docker-compose.yml).
# test/package/image.test.ts reproduces the runtime stage without Docker (same COPY lines,
# same prune script, serve as a non-root user): keep the two in step.

# --- build: dependencies, better-sqlite3's addon, dist/; then only what runs is kept ------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# A compiler for better-sqlite3 when no prebuilt addon for this Node can be had.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts off: `prepare` builds dist/, and the sources are not here yet; the addon next.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3 --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/prune-native.sh ./scripts/
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && sh scripts/prune-native.sh . \
 && npm cache clean --force

# --- runtime: compiled code and production dependencies only; no compiler, no tsx, not root -
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MORNING_BRIEF_DB=/data/morning-brief.db \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
# Code stays owned by root: the service user can read it but not change it.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY prompts ./prompts
COPY examples ./examples
# The "node" user (uid 1000) ships with the image; it owns only the database folder. Nothing
# else is written: the image runs with `docker run --read-only` (docker-compose.yml does).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (serve shuts down gracefully on it).
CMD ["node", "bin/morning-brief.js", "serve"]
