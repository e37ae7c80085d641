package io.roster.api.auth;

import io.roster.config.RosterProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PublicPathsTest {

    @Test
    void byDefaultProbesMetricsAndTheApiDescriptionAreOpenAndNothingElse() {
        PublicPaths open = new PublicPaths(settings(true, true, true));

        assertThat(List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus", "/v3/api-docs", "/swagger-ui/index.html", "/v1/auth/authenticate"))
                .allMatch(open::isPublic);
        assertThat(List.of("/actuator/health/raft", "/actuator/%70rometheus", "/actuator/prometheus;x", "/v1/status",
                "/v1/auth/users", "/actuator/metrics")).noneMatch(open::isPublic);
    }

    @Test
    void closingProbesAndMetricsLeavesOnlySigningInOpen() {
        PublicPaths closed = new PublicPaths(settings(false, false, false));

        assertThat(List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus", "/v3/api-docs", "/swagger-ui/index.html")).noneMatch(closed::isPublic);
        assertThat(closed.isPublic("/v1/auth/authenticate")).as("no one could sign in otherwise").isTrue();
    }

    @Test
    void probesAndMetricsCloseIndependently() {
        PublicPaths metricsClosed = new PublicPaths(settings(true, true, false));
        assertThat(metricsClosed.isPublic("/actuator/health/readiness")).isTrue();
        assertThat(metricsClosed.isPublic("/actuator/prometheus")).isFalse();

        PublicPaths probesClosed = new PublicPaths(settings(true, false, true));
        assertThat(probesClosed.isPublic("/actuator/health/liveness")).isFalse();
        assertThat(probesClosed.isPublic("/actuator/prometheus")).isTrue();
    }

    @Test
    void theConsolesEntrancesAndBundledFilesAreOpenButNothingElseUnderUi() {
        PublicPaths closed = new PublicPaths(settings(false, false, false));

        assertThat(List.of("/", "/ui", "/ui/", "/ui/index.html", "/ui/app.js", "/ui/console.css"))
                .as("the page must load to ask for a token").allMatch(closed::isPublic);
        assertThat(List.of("/ui/missing.js", "/ui/%61pp.js", "/ui/app.js;x", "/ui//app.js", "/ui/../v1/status", "/index.html"))
                .as("only the files the jar ships, spelled exactly").noneMatch(closed::isPublic);
    }

    @Test
    void theConsoleFilesAreThoseUnderStaticUi() {
        assertThat(PublicPaths.consoleFiles()).contains("/ui/index.html", "/ui/app.js", "/ui/sse.js")
                .allMatch(path -> path.startsWith("/ui/") && !path.endsWith("/"));
    }

    private static RosterProperties.Auth settings(boolean apiDocs, boolean probes, boolean metrics) {
        return new RosterProperties.Auth(List.of(), apiDocs, "root", Duration.ofMinutes(5), probes, metrics);
    }
}
