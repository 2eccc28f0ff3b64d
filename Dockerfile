# syntax=docker/dockerfile:1
# Multi-stage: build the shaded jar with Maven, run it on a small JRE as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# Dependencies first, so that a source change does not download the world again.
RUN mvn -q -B -DskipTests dependency:go-offline || true
COPY src ./src
# The REST API's description is a resource of the jar too (see <resources> in pom.xml).
COPY docs/openapi.yaml ./docs/openapi.yaml
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system --gid 10001 warden \
 && useradd --system --uid 10001 --gid warden --home-dir /var/lib/warden --shell /usr/sbin/nologin warden \
 && mkdir -p /var/lib/warden /etc/warden \
 && chown warden:warden /var/lib/warden
COPY --from=build /src/target/warden.jar /opt/warden/warden.jar
USER 10001:10001
WORKDIR /var/lib/warden
# One JSON object per log line, for log shippers; set WARDEN_LOG_FORMAT=text for people.
ENV WARDEN_LOG_FORMAT=json
# 6432: PostgreSQL clients. The control plane listens on loopback inside the container (see
# docs/deployment.md): reach it through the TLS proxy that shares the container's network.
EXPOSE 6432
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/warden/warden.jar"]
CMD ["start", "--config", "/etc/warden/warden.yaml"]
