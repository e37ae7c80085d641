package io.roster.api.registry;

import io.roster.api.Revisions;
import io.roster.api.error.ApiProblems;
import io.roster.config.RosterProperties;
import io.roster.raft.RaftUnavailableException;
import io.roster.registry.Heartbeat;
import io.roster.registry.RegistryService;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code PUT /v1/services/{service}/instances/{instanceId}/heartbeat}, answered here, before Spring MVC,
 * success and failure alike. A heartbeat is the registry's most frequent request and writes nothing, so
 * Spring MVC's handler lookup, argument and return value handling, content negotiation and, for
 * heartbeats a follower forwards, its second (asynchronous) dispatch were most of a heartbeat's cost:
 * without them a 3-node cluster renews 1.6 times as many per second (docs/benchmarks.md). Errors are the
 * problems the rest of the API gives for the same exceptions ({@link ApiProblems}); the OpenAPI document
 * describes the endpoint in {@code OpenApiConfiguration}.
 *
 * <p>This runs after the filters that may refuse a request (credentials, a request's shape, a removed
 * member's 410) and after the observation filter, which times every heartbeat under its URI pattern.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class HeartbeatEndpoint extends OncePerRequestFilter {

    public static final String URI_PATTERN = "/v1/services/{service}/instances/{instanceId}/heartbeat";
    private static final String PREFIX = "/v1/services/";
    private static final String INSTANCES = "/instances/";
    private static final String SUFFIX = "/heartbeat";

    private final RegistryService registry;
    /**
     * Past the leader's answer or its request timeout, which {@link RegistryService#heartbeat} keeps: twice,
     * since a forwarded heartbeat may wait for one batch to the leader before its own leaves (ADR 0016).
     */
    private final long asyncTimeoutMillis;

    HeartbeatEndpoint(RegistryService registry, RosterProperties properties) {
        this.registry = registry;
        this.asyncTimeoutMillis = 2 * properties.raft().requestTimeout().toMillis() + 30_000;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] names = names(request.getRequestURI());
        if (names == null) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(URI_PATTERN));
        if (!"PUT".equals(request.getMethod())) {
            ApiProblems.write(ApiProblems.methodNotAllowed(request.getMethod(), List.of("PUT")), response);
            return;
        }
        CompletableFuture<Heartbeat> heartbeat;
        try {
            heartbeat = registry.heartbeat(names[0], names[1]);
        } catch (RuntimeException invalid) {
            ApiProblems.write(invalid, response);
            return;
        }
        if (heartbeat.isDone()) {
            answer(heartbeat, response);
        } else {
            answerLater(request, heartbeat);
        }
    }

    /**
     * A heartbeat forwarded to the leader: answered on the thread that completes it, without a second pass
     * through the container. The answer is a few dozen bytes, which the socket takes at once.
     */
    private void answerLater(HttpServletRequest request, CompletableFuture<Heartbeat> heartbeat) {
        AsyncContext async = request.startAsync();
        async.setTimeout(asyncTimeoutMillis);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                if (answered.compareAndSet(false, true)) {
                    try {
                        ApiProblems.write(new RaftUnavailableException("the leader did not answer the heartbeat within "
                                + asyncTimeoutMillis + " ms", false), (HttpServletResponse) async.getResponse());
                    } finally {
                        async.complete();
                    }
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        heartbeat.whenComplete((renewed, error) -> {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            try {
                answer(heartbeat, (HttpServletResponse) async.getResponse());
            } catch (IOException clientGone) {
                // Nothing to tell a client that closed its connection; the lease was renewed all the same.
            } finally {
                async.complete();
            }
        });
    }

    private void answer(CompletableFuture<Heartbeat> done, HttpServletResponse response) throws IOException {
        Heartbeat renewed;
        try {
            renewed = done.join();
        } catch (CompletionException | java.util.concurrent.CancellationException failed) {
            ApiProblems.write(failed, response);
            return;
        }
        HeartbeatResponse answer = HeartbeatResponse.of(renewed);
        byte[] body = ("{\"ttlSeconds\":" + answer.ttlSeconds() + ",\"remainingSeconds\":" + answer.remainingSeconds() + "}")
                .getBytes(StandardCharsets.US_ASCII);
        response.setStatus(HttpStatus.OK.value());
        response.setHeader(Revisions.HEADER, Long.toString(renewed.revision()));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * {service, instanceId} of a heartbeat's raw request path, decoded, or null for any other path. The
     * request-shape filter has already refused encoded slashes, dot segments and path parameters, so a
     * segment decodes to exactly one name.
     */
    static String[] names(String uri) {
        if (!uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX)) {
            return null;
        }
        int instances = uri.indexOf(INSTANCES, PREFIX.length());
        int end = uri.length() - SUFFIX.length();
        if (instances <= PREFIX.length() || instances + INSTANCES.length() >= end) {
            return null;
        }
        String service = uri.substring(PREFIX.length(), instances);
        String instanceId = uri.substring(instances + INSTANCES.length(), end);
        if (service.indexOf('/') >= 0 || instanceId.indexOf('/') >= 0) {
            return null;
        }
        return new String[] {UriUtils.decode(service, StandardCharsets.UTF_8), UriUtils.decode(instanceId, StandardCharsets.UTF_8)};
    }
}
