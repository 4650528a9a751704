# syntax=docker/dockerfile:1
# Verigate: the same steps as the README, in stages. Node 24 LTS, as package.json "engines" says.
# The image is built from a commit CI has checked (codegen, docs, types, lint, tests); here it is only compiled.

# 1. Everything needed to build: all dependencies, sources, the TypeScript compiler and the playground bundler.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` runs these scripts: a one-line notice, and a playground build that has nothing to build yet.
COPY scripts/install-notice.ts scripts/build-playground.ts ./scripts/
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY schema ./schema
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm run playground:build

# 2. Production dependencies only, without install scripts (none is needed at run time; the `node`
#    devDependency is not installed: the image already is Node 24).
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. What runs: compiled JavaScript, production node_modules, the schema it loads, the playground assets.
FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000
# Memory: a small young generation and a capped old one keep a replica under ~200 MB RSS at load, with the heap
# after GC at ~35 MB (docs/benchmarks.md); fewer malloc arenas keep native memory from fragmenting across threads.
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=192" MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# The compiled gateway, with the timeline's SQL migrations beside its engines (`npm run build` copies them).
COPY --from=build /app/dist ./dist
# GraphiQL, served when PLAYGROUND_ENABLED=true (it is off in production by default).
COPY --from=build /app/build/playground ./build/playground
COPY schema ./schema
# Not root. With DATABASE_URL=postgres://… (deploy/compose.yaml) the application writes nothing to disk and the
# container can run with a read-only root filesystem; without it, the embedded SQLite timeline is /app/data
# (mount a volume there to keep it across containers; one replica only).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 (exec form, no shell in between) and handles SIGTERM itself: src/main.ts answers 503 on
# /readyz while still serving (SHUTDOWN_DELAY_SECONDS, 5 s), then stops accepting, lets in-flight operations finish
# (SHUTDOWN_TIMEOUT_SECONDS, 10 s at most), closes pools and Redis, and exits; anything stuck 5 s past that is
# logged and the process exits 1. Give the container a stop timeout above the 20 s (compose: stop_grace_period: 25s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
