# syntax=docker/dockerfile:1
# Build stage: compiles the sqlite3 native addon (needs python3, make, g++) and installs
# production dependencies only. No TypeScript build: Node 24 runs the sources directly.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime stage: no compilers, a non-root user, tini as PID 1 so SIGTERM reaches Node and
# zombies are reaped; `serve` stops cleanly on SIGTERM, well within `docker stop`'s 10 s. Node runs
# the bot directly, as `npm start` does, without npm in between.
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATABASE_URL=sqlite:///data/lmsys-papers.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY commands ./commands
COPY prompts ./prompts
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 8080: web page, feeds, JSON API, /healthz; 3000: Slack HTTP mode (SLACK_MODE=http)
EXPOSE 8080 3000
# The image has no curl: Node's fetch asks /healthz (process up, database answering).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WEB_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The arguments are an lmsys-papers command: `docker run … lmsys-papers import /data/README.md`.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/lmsys-papers.js"]
CMD ["serve"]
