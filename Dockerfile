# Verigate: the same steps as the README, in two stages. Node 24 LTS, as package.json "engines" says.
# syntax=docker/dockerfile:1

FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` runs this script; with no sources copied yet it has nothing to build.
COPY scripts/build-playground.ts ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json codegen.ts ./
COPY schema ./schema
COPY src ./src
COPY scripts ./scripts
RUN npm run codegen:check && npm run build && npm run playground:build

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/build-playground.ts ./scripts/
# Production dependencies only (the `node` devDependency is not needed: the image already is Node 24).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# GraphiQL, served when PLAYGROUND_ENABLED=true (it is off in production by default).
COPY --from=build /app/build/playground ./build/playground
COPY schema ./schema
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM itself: src/main.ts stops accepting, drains, closes pools, exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
