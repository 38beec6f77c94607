# tieuchi: one image for the api, worker and web services of docker-compose.yml.
# Build: docker build -t tieuchi .   Run: docker compose up

# Dependencies, dev ones included: the build compiles with SWC.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Compile apps/ and libs/ into dist/, then drop the dev dependencies.
FROM deps AS build
COPY . .
RUN node tools/build.cjs \
  && npm prune --omit=dev --no-audit --no-fund

# What runs: node, the compiled services, production dependencies; no compiler, no sources.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    EVENT_STORE=postgres \
    DATA_DIR=/data \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/config ./config
RUN mkdir -p /data && chown node:node /data
# The code is owned by root and read-only to the service; it writes only to /data.
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node receives SIGTERM itself (exec form) and drains: see README, "Shutting down".
CMD ["node", "dist/apps/api/src/main.js"]
