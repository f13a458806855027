# Build stage: the fat jar, without the integration tests (they need a broker and a database).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

# Runtime stage: a JRE, the jar, the default config, and an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system bridge && useradd --system --gid bridge --home /app bridge
WORKDIR /app
COPY --from=build /src/target/bridge-db-adapter.jar /app/bridge-db-adapter.jar
COPY conf /app/conf
USER bridge
# HTTP (health, metrics); Hazelcast membership and the event bus with -cluster (see conf/compose.yaml)
EXPOSE 8080 5701 15701
# The shipped JVM settings (conf/jvm.options: a fixed small heap, the serial collector; under 256 MB of RSS
# at full load), then JAVA_OPTS for anything more; every config key can be overridden with BRIDGE_<SECTION>_<KEY>.
ENV JAVA_OPTS=""
# one glibc malloc arena per thread costs tens of MB of RSS for nothing here
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["sh", "-c", "exec java @/app/conf/jvm.options $JAVA_OPTS -jar /app/bridge-db-adapter.jar -conf /app/conf/config.json \"$@\"", "--"]
