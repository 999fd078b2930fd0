# Model Prism: one image for every role (NODE_ROLE=full | control | worker).
#
#   docker build -t model-prism:local .
#   docker run --rm -p 3000:3000 -e MONGODB_URI=... -e JWT_SECRET=... -e ENCRYPTION_KEY=... model-prism:local
#
# Stages: deps (all server deps) -> server-build (nest build) ; prod-deps (runtime deps only) ;
# ui-build (Angular admin console) -> runtime (non-root, no npm/yarn, read-only friendly).
# Needs BuildKit (default since Docker 23) for the npm cache mounts.
# npm: node:22 bundles npm 10, which installs the committed lockfiles. (npm 11's stricter `npm ci`
# rejects them today because optional packages of other platforms are missing from the locks.)

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
ENV CI=true \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NG_CLI_ANALYTICS=false
WORKDIR /build

# ---------------------------------------------------------------------------------------------
FROM base AS server-build
COPY package.json package-lock.json ./
# No dependency of the server needs an install script (see "allowScripts" in package.json).
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --ignore-scripts

# ---------------------------------------------------------------------------------------------
FROM base AS ui-build
WORKDIR /build/admin-ui
COPY admin-ui/package.json admin-ui/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts
# The console's API client is generated from this spec (checked in); kept beside it like in the repo.
COPY openapi /build/openapi
COPY admin-ui ./
RUN npm run build && test -f dist/admin-ui/browser/index.html

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Model Prism" \
      org.opencontainers.image.description="Multi-tenant, OpenAI-compatible LLM gateway with an Angular admin console" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

# The runtime never installs anything: drop the package managers (smaller image, fewer CVEs).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg

# A larger young generation (V8 semi-space up to 32 MB): fewer scavenges per request, lower CPU per
# request, no worse p99 (docs/benchmarks.md, docs/deployment.md "The image"). Set NODE_OPTIONS to override.
ENV NODE_ENV=production \
    NODE_ROLE=full \
    PORT=3000 \
    NODE_OPTIONS=--max-semi-space-size=32
WORKDIR /app
# Everything is owned by root and only readable by the app user: the process cannot modify its code.
# dist/../package.json is read at boot (version); the console is served from admin-ui/dist/admin-ui/browser.
COPY package.json ./
COPY --from=prod-deps /build/node_modules ./node_modules
COPY --from=server-build /build/dist ./dist
COPY --from=ui-build /build/admin-ui/dist/admin-ui/browser ./admin-ui/dist/admin-ui/browser
COPY deploy/docker/healthcheck.cjs ./healthcheck.cjs

# "node" user of the base image; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.cjs"]
# Node runs as PID 1 and handles SIGTERM itself (graceful shutdown drains streams, flushes analytics).
CMD ["node", "dist/main.js"]
