# syntax=docker/dockerfile:1

# Build: dependencies first, in their own layer, so that a code change does not download them again.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
RUN mvn -B -q package -DskipTests

# Run: a JRE and Debian's FFmpeg (used instead of the FFmpeg bundled in the jar).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless ffmpeg curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app transcoder \
 && mkdir -p /app /data/videos /data/inbox \
 && chown -R transcoder /app /data
WORKDIR /app
COPY --from=build /src/target/video-transcoder.jar /app/video-transcoder.jar
# A UTF-8 locale: Java reads file names in the locale's encoding, and without one (this image sets none) a file
# dropped into the inbox as café.mp4 could not be read by its name, and would never be taken.
ENV LANG=C.UTF-8 \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe \
    TRANSCODER_DATA_DIR=/data/videos \
    TRANSCODER_INBOX_DIR=/data/inbox \
    HTTP_PORT=8080 \
    MANAGEMENT_PORT=9876 \
    JDK_JAVA_OPTIONS="-XX:+UseSerialGC -Xms64m -Xmx256m"
USER transcoder
EXPOSE 8080 9876
# Shell form, so that the port is the one the container runs with. Longer than the Redis timeout (5 s) the check
# waits on: a slow Redis is answered by the check itself, not taken for an unhealthy container.
HEALTHCHECK --interval=10s --timeout=10s --start-period=30s \
  CMD curl -fsS "http://127.0.0.1:${MANAGEMENT_PORT}/observe/health/ready" || exit 1
# SIGTERM reaches the JVM directly (exec form): a running job is handed back to the queue at once.
# JVM flags (JDK_JAVA_OPTIONS above, to override per service): chosen by bench/ (see README, Performance). A 256 MiB
# heap carries 16 concurrent clients and 1 GiB uploads; the serial collector answers as fast as G1 here, with about
# 35 MiB less resident memory and no collector threads competing with FFmpeg for the cores. The heap starts at 64 MiB
# and grows as it is used: without -Xms the JVM starts it at 1/64 of the host's memory (the whole 256 MiB on a 16 GiB
# host, every page of it soon resident), so a process's footprint would depend on the machine it lands on.
ENTRYPOINT ["java", "-jar", "/app/video-transcoder.jar"]
