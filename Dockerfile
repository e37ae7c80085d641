# Roster's container image: a Maven build stage, then a JRE runtime with the jar's layers.
#
#   docker build -t roster:latest .                                # builds the jar inside (Maven Central)
#   ./mvnw -DskipTests package && \
#   docker build --build-arg JAR_STAGE=prebuilt -t roster:latest . # uses target/roster.jar, no Maven stage
#
# The runtime image: a JRE 25 (JRE_IMAGE), app under /opt/roster (ROSTER_HOME), entrypoint /opt/roster/bin/roster-server,
# /opt/roster/bin/rosterctl, user roster (10001:10001), data in the volume /var/lib/roster, client port
# 2379 and peer port 2380, configured by ROSTER_* / SERVER_* environment variables, JVM options in
# JAVA_OPTS. It runs with a read-only root file system when /var/lib/roster and /tmp are writable.

# Which stage provides the jar: "build" (Maven in a container) or "prebuilt" (target/roster.jar from the
# build context, for machines without access to Maven Central). The unused one is never built.
ARG JAR_STAGE=build
# The runtime: a JRE 25, whose AOT cache with method profiles (trained below) starts and warms a member
# fastest (docs/adr/0019-jvm-start-up-cache.md). The jar is built for 17 and runs on any JRE from 17 on:
# --build-arg JRE_IMAGE=eclipse-temurin:17-jre gives a JRE 17 image with a class-data archive instead.
ARG JRE_IMAGE=eclipse-temurin:25-jre

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The wrapper and the pom first: the dependency layer is rebuilt only when they change.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -ntp dependency:go-offline
COPY src/main/ src/main/
RUN ./mvnw -B -ntp -Dmaven.test.skip=true package \
    && mkdir /jar && cp target/roster.jar /jar/roster.jar

FROM ${JRE_IMAGE} AS prebuilt
COPY target/roster.jar /jar/roster.jar

# Spring Boot's layers (dependencies change rarely, the application on every commit), extracted as
# lib/*.jar plus a thin roster.jar whose manifest class path names them: `java -jar roster.jar` works.
# (Extracting in the chosen stage itself, rather than in a stage that only renames it, because Buildah
# leaves a working container behind for a stage without instructions.)
FROM ${JAR_STAGE} AS layers
RUN java -Djarmode=tools -jar /jar/roster.jar extract --layers --destination /layers

FROM ${JRE_IMAGE}
LABEL org.opencontainers.image.title="Roster" \
      org.opencontainers.image.description="Raft-replicated service registry and configuration key-value store"

# A fixed numeric uid/gid, so that Kubernetes' runAsNonRoot can check it and volume ownership is stable.
RUN groupadd --gid 10001 roster \
    && useradd --uid 10001 --gid 10001 --home-dir /var/lib/roster --no-create-home \
       --shell /usr/sbin/nologin roster \
    && mkdir -p /var/lib/roster \
    && chown 10001:10001 /var/lib/roster \
    && chmod 0700 /var/lib/roster

ENV ROSTER_HOME=/opt/roster \
    ROSTER_DATA_DIR=/var/lib/roster \
    ROSTERCTL_CACHE_DIR=/tmp/rosterctl \
    JAVA_OPTS=""
ENV PATH=/opt/roster/bin:$PATH

# One layer per jar layer, least often changed first; the application layer (thin roster.jar) last.
COPY --from=layers /layers/dependencies/ /opt/roster/
COPY --from=layers /layers/spring-boot-loader/ /opt/roster/
COPY --from=layers /layers/snapshot-dependencies/ /opt/roster/
COPY container/roster-server container/roster-healthcheck bin/roster bin/rosterctl /opt/roster/bin/
COPY scripts/train-cache.sh /opt/roster/bin/roster-train-cache
COPY --from=layers /layers/application/ /opt/roster/

# The JVM's start-up cache for this jar and this JRE: a training run (three members on loopback, half a
# minute of every kind of request) records what they load into /opt/roster/roster-<JRE version>.aot (JRE
# 25: an AOT cache, classes loaded and linked, with the methods' profiles) or .jsa (JRE 17: a class-data
# archive), which the entrypoint maps at every start (docs/adr/0019-jvm-start-up-cache.md). About a minute
# of build, again whenever the application layer changes. --build-arg ROSTER_JVM_CACHE=none leaves it out
# (the server then starts as before); ROSTER_TRAIN_SECONDS lengthens or shortens the load.
ARG ROSTER_JVM_CACHE=train
ARG ROSTER_TRAIN_SECONDS=30
RUN if [ "$ROSTER_JVM_CACHE" = train ]; then \
        ROSTER_TRAIN_SECONDS="$ROSTER_TRAIN_SECONDS" /opt/roster/bin/roster-train-cache /opt/roster/roster.jar \
        && chmod 0644 /opt/roster/roster-*.*; \
    fi

USER 10001:10001
WORKDIR /opt/roster
VOLUME /var/lib/roster
# 2379: client HTTP API, health and metrics (SERVER_PORT); 2380: Raft peers (from ROSTER_INITIAL_CLUSTER).
EXPOSE 2379 2380
# Readiness: this member has a leader and has caught up. bash's /dev/tcp, since the image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/roster/bin/roster-healthcheck"]
ENTRYPOINT ["/opt/roster/bin/roster-server"]
