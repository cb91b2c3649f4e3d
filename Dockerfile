# phrase-tm-monitor as a container. Build the jar first, then the image, from the repository root:
#
#   mvn -B package -DskipTests
#   docker build -t phrase-tm-monitor .
#
# The image holds what a deployment directory holds (README "Point it at your Phrase account"): the jar,
# application.properties, silences.yaml, routes/*.camel.yaml and templates/, read from the working directory. Secrets come from the
# environment only (docker run --env-file). The incident journal (monitor.state-dir, ./data) is a volume: keep it,
# or a restart alerts every open failure again. deploy/kubernetes/ runs this image on Kubernetes.
FROM eclipse-temurin:17-jre

# A fixed, non-root uid and gid, so a Kubernetes securityContext (runAsUser, fsGroup) and a bind-mounted state
# directory can name them.
RUN groupadd --system --gid 10001 monitor \
    && useradd --system --uid 10001 --gid monitor --home-dir /opt/phrase-tm-monitor --no-create-home \
       --shell /usr/sbin/nologin monitor

WORKDIR /opt/phrase-tm-monitor
COPY target/phrase-tm-monitor.jar ./phrase-tm-monitor.jar
COPY application.properties ./application.properties
COPY silences.yaml ./silences.yaml
COPY routes/*.camel.yaml ./routes/
COPY templates/ ./templates/
# monitor.state-dir is ./data: owned by the monitor's user, so a new named volume starts writable
RUN mkdir -p /opt/phrase-tm-monitor/data && chown monitor:monitor /opt/phrase-tm-monitor/data
VOLUME ["/opt/phrase-tm-monitor/data"]

USER 10001:10001

# monitor.management-port: /observe/health (/live, /ready) and /observe/metrics
EXPOSE 9876

# Liveness: Camel is running. Not readiness: refused credentials or a Phrase outage turn readiness DOWN, and a
# restart fixes neither (docs/health-and-metrics.md); alert on /observe/health/ready or the metrics instead. The
# image has no curl or wget for certain, so bash's /dev/tcp asks; the port follows MONITOR_MANAGEMENT_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MONITOR_MANAGEMENT_PORT:-9876} && printf 'GET /observe/health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# On SIGTERM the monitor finishes what it is doing within camel.main.shutdown-timeout (30 s): stop it with
# "docker stop --time 40": Docker's default of 10 s may cut a delivery short (it is then sent again after a restart).
# JVM options: JAVA_TOOL_OPTIONS, e.g. -Xmx256m.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "phrase-tm-monitor.jar"]
