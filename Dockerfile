# pantau: multi-stage image. Build: node + toolchain (native addons, the NOC page with Vite);
# runtime: node, fping with CAP_NET_RAW, no compilers, unprivileged user. docs/deploy.md.
ARG NODE_IMAGE=node:20.19-bookworm-slim

# --- production dependencies (better-sqlite3 and argon2 build here if no prebuilt binary fits)
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci runs "prepare" (scripts/build-dist.mjs): with no sources copied yet it builds nothing.
COPY bin/dist.mjs ./bin/dist.mjs
COPY scripts/build-dist.mjs ./scripts/build-dist.mjs
RUN npm ci --omit=dev --no-audit --no-fund

# --- the NOC page (Vite needs the dev dependencies) and the prebuilt JavaScript (dist/, ADR 0011)
FROM deps AS web
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build web && node scripts/build-dist.mjs

# --- runtime
FROM ${NODE_IMAGE} AS runtime
# fping: the ICMP engine (ADR in docs/adr); the file capability lets the unprivileged user open
# raw sockets as long as the container keeps NET_RAW (docker-compose.yml cap_add).
# iptables: only the lab profile uses it (ICMP faults). tini reaps fping children and forwards SIGTERM so pantau flushes its outbox on stop.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fping iptables libcap2-bin tini ca-certificates \
 && setcap cap_net_raw+ep "$(command -v fping)" \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pantau \
 && useradd --system --uid 10001 --gid pantau --home-dir /var/lib/pantau --shell /usr/sbin/nologin pantau \
 && mkdir -p /var/lib/pantau && chown pantau:pantau /var/lib/pantau
WORKDIR /app
ENV NODE_ENV=production TZ=Asia/Jakarta
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
# The prebuilt JavaScript only, no TypeScript sources: bin/pantau.mjs runs dist/ (ADR 0011); the
# files pantau reads beside its code: the shipped config, the status page's CSS, the lab's inventory
# and scenarios (the compose `lab` profile).
COPY --from=web /app/dist ./dist
COPY config ./config
COPY status/status.css ./status/status.css
COPY simulator/inventory ./simulator/inventory
COPY simulator/scenarios ./simulator/scenarios
COPY --from=web /app/web/dist ./web/dist
# The container's config is config/pantau.container.yaml: history in the compose InfluxDB, state
# under the pantau-data volume, traps on 1162 (the user is not root). Secrets stay ${VARIABLES}
# filled from the environment at start. To change more, see docs/deploy.md (PANTAU_CONFIG).
USER pantau
ENV PANTAU_CONFIG=/app/config/pantau.container.yaml
EXPOSE 3000 1162/udp
VOLUME ["/var/lib/pantau"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "--", "node", "bin/pantau.mjs"]
CMD ["start"]
