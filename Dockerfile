# syntax=docker/dockerfile:1
# Two stages: the build stage installs everything and compiles (Prisma client, dist/, the word-
# vector cache); the runtime stage holds production dependencies, the compiled code, the SQL
# migrations and the cache — no devDependencies, no tsx, no sources.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# postinstall generates the Prisma client, compiles to dist/ and builds the word-vector cache.
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# tini is PID 1: it forwards SIGTERM to node (graceful shutdown) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
# Production: JWT_SECRET is required at start (an unset NODE_ENV means the same).
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/node_modules/.cache/socialgym ./node_modules/.cache/socialgym
# Never root at run time.
USER node
EXPOSE 3000
# The API's liveness route; the worker's compose service overrides it (it serves no HTTP API).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# API by default; the worker runs `node dist/worker/main.js`, migrations and seed
# `node dist/prisma/migrate.js` and `node dist/prisma/seed.js`.
CMD ["node", "dist/api/server.js"]
