# syntax=docker/dockerfile:1.7
# The one Sluice image: every component runs it as `sluice serve <component>` (see helm/sluice).
#
#   docker build -t registry.example.com/platform/sluice:0.1.0 .
#   docker run --rm registry.example.com/platform/sluice:0.1.0 serve --help
#
# Stage 1 builds the launcher's distribution (launcher/target/sluice/lib: launcher.jar and its
# runtime dependencies) with the Maven wrapper, tests skipped (they run in CI, not here); the
# Maven repository is a BuildKit cache, so a rebuild downloads nothing new. Stage 2 is a JRE 21
# with that lib directory and a small `sluice` entrypoint that starts the JVM with the same
# options as ./sluice (scripts/java-opts.sh: -Xmx512m for `serve`, G1 that hands memory back;
# SLUICE_HEAP and SLUICE_JAVA_OPTS override).

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -Dspotless.check.skip=true package -pl launcher -am

FROM eclipse-temurin:21-jre
LABEL org.opencontainers.image.title="sluice" \
      org.opencontainers.image.description="Sluice: asynchronous batch processing of LLM jobs on Kafka" \
      org.opencontainers.image.source="https://github.com/sluice/sluice"

RUN groupadd --system --gid 10001 sluice \
 && useradd --system --uid 10001 --gid sluice --home-dir /opt/sluice --shell /usr/sbin/nologin sluice \
 && mkdir -p /var/lib/sluice \
 && chown sluice:sluice /var/lib/sluice

COPY --from=build /src/launcher/target/sluice/lib/ /opt/sluice/lib/
COPY scripts/java-opts.sh /opt/sluice/java-opts.sh
COPY --chmod=755 <<'EOF' /opt/sluice/bin/sluice
#!/usr/bin/env bash
# The image's `sluice`: ./sluice without the JDK search and the rebuild.
set -euo pipefail
. /opt/sluice/java-opts.sh
mapfile -t java_opts < <(sluice_java_opts "${1:-}")
exec java "${java_opts[@]}" -cp '/opt/sluice/lib/*' io.sluice.launcher.Sluice "$@"
EOF

ENV PATH="/opt/sluice/bin:${PATH}"
USER 10001:10001
WORKDIR /opt/sluice
# job-api's API (SLUICE_HTTP_PORT) and every component's management port (SLUICE_MANAGEMENT_PORT:
# /metrics, /health/live, /health/ready).
EXPOSE 8080 9090
ENTRYPOINT ["/opt/sluice/bin/sluice"]
CMD ["--help"]
