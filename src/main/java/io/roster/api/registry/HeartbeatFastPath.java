package io.roster.api.registry;

import io.roster.api.Revisions;
import io.roster.config.RosterProperties;
import io.roster.raft.RaftUnavailableException;
import io.roster.registry.Heartbeat;
import io.roster.registry.RegistryService;
import io.roster.store.RosterStore;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Renewed heartbeats are answered here, before Spring MVC. A heartbeat is the registry's most frequent
 * request and writes nothing, so Spring MVC's handler lookup, argument and return value handling, content
 * negotiation and, for heartbeats a follower forwards, its second (asynchronous) dispatch were most of a
 * heartbeat's cost: without them a 3-node cluster renews 1.6 times as many per second (docs/benchmarks.md).
 *
 * <p>Only the answer to a renewed heartbeat is written here. Every other outcome (a name that is not
 * valid, an instance that is not registered, no leader) goes on to {@link RegistryController#heartbeat}
 * with the failure in the {@link #FAILURE} request attribute, so errors keep coming from the one error
 * table. Paths this does not parse plainly (percent-encoded, path parameters) go on untouched, for Spring
 * MVC to decode and route. This runs after the filters that may refuse a request (a removed member's 410)
 * and after the observation filter, which still times every heartbeat under its URI pattern.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class HeartbeatFastPath extends OncePerRequestFilter {

    /** The request attribute that hands a heartbeat's failure to the controller. */
    static final String FAILURE = "io.roster.api.registry.HeartbeatFastPath.failure";
    private static final String URI_PATTERN = "/v1/services/{service}/instances/{instanceId}/heartbeat";
    private static final String PREFIX = "/v1/services/";
    private static final String INSTANCES = "/instances/";
    private static final String SUFFIX = "/heartbeat";

    private final RegistryService registry;
    private final RosterStore store;
    /**
     * Past the leader's answer or its request timeout, which {@link RegistryService#heartbeat} keeps: twice,
     * since a forwarded heartbeat may wait for one batch to the leader before its own leaves (ADR 0016).
     */
    private final long asyncTimeoutMillis;

    HeartbeatFastPath(RegistryService registry, RosterStore store, RosterProperties properties) {
        this.registry = registry;
        this.store = store;
        this.asyncTimeoutMillis = 2 * properties.raft().requestTimeout().toMillis() + 30_000;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] names = "PUT".equals(request.getMethod()) ? names(request.getRequestURI()) : null;
        if (names == null) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(URI_PATTERN));
        CompletableFuture<Heartbeat> heartbeat;
        try {
            heartbeat = registry.heartbeat(names[0], names[1]);
        } catch (RuntimeException invalid) {
            request.setAttribute(FAILURE, invalid);
            chain.doFilter(request, response);
            return;
        }
        if (heartbeat.isDone()) {
            Throwable failure = failureOf(heartbeat);
            if (failure == null) {
                write(heartbeat.join(), response);
            } else {
                request.setAttribute(FAILURE, failure);
                chain.doFilter(request, response);
            }
            return;
        }
        answerLater(request, heartbeat);
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
            public void onTimeout(AsyncEvent event) {
                if (answered.compareAndSet(false, true)) {
                    request.setAttribute(FAILURE, new RaftUnavailableException(
                            "the leader did not answer the heartbeat within " + asyncTimeoutMillis + " ms", false));
                    async.dispatch();
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
            if (error != null) {
                request.setAttribute(FAILURE, unwrap(error));
                async.dispatch();
                return;
            }
            try {
                write(renewed, (HttpServletResponse) async.getResponse());
            } catch (IOException clientGone) {
                // Nothing to tell a client that closed its connection; the lease was renewed all the same.
            } finally {
                async.complete();
            }
        });
    }

    /** The body and revision header that {@link RegistryController#heartbeat} would give. */
    private void write(Heartbeat renewed, HttpServletResponse response) throws IOException {
        HeartbeatResponse answer = HeartbeatResponse.of(renewed);
        byte[] body = ("{\"ttlSeconds\":" + answer.ttlSeconds() + ",\"remainingSeconds\":" + answer.remainingSeconds() + "}")
                .getBytes(StandardCharsets.US_ASCII);
        response.setStatus(HttpStatus.OK.value());
        response.setHeader(Revisions.HEADER, Long.toString(store.revision()));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static Throwable failureOf(CompletableFuture<Heartbeat> done) {
        try {
            done.join();
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return unwrap(e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * {service, instanceId} of a heartbeat's raw request path, or null for any other path and for a path
     * with anything to decode or normalise ({@code %}, {@code ;}, an extra {@code /}): Spring MVC takes those.
     */
    static String[] names(String uri) {
        if (!uri.startsWith(PREFIX) || !uri.endsWith(SUFFIX) || uri.indexOf('%') >= 0 || uri.indexOf(';') >= 0) {
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
        return new String[] {service, instanceId};
    }
}
