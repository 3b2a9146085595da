# syntax=docker/dockerfile:1
# morning-brief: `docker build -t morning-brief .` then `docker compose up -d` (see docker-compose.yml).

# --- build: install dependencies; better-sqlite3 compiles against this image's glibc ------
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Compile better-sqlite3 from source instead of downloading a prebuilt binary.
ENV npm_config_build_from_source=better-sqlite3
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime: no compilers, no dev dependencies, not root --------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MORNING_BRIEF_DB=/data/morning-brief.db \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
# Code stays owned by root: the service user can read it but not change it.
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY prompts ./prompts
COPY examples ./examples
# The "node" user (uid 1000) ships with the image; it owns only the database folder.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (serve shuts down gracefully on it).
CMD ["node", "bin/morning-brief.js", "serve"]
