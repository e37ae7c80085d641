package io.roster.api.registry;

import io.roster.api.Revisions;
import io.roster.api.error.ApiProblems;
import io.roster.config.RosterProperties;
import io.roster.raft.RaftUnavailableException;
import io.roster.registry.Heartbeat;
import io.roster.registry.RegistryService;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * {@code PUT /v1/services/{service}/instances/{instanceId}/heartbeat}, answered here, before the
 * dispatcher, success and failure alike. A heartbeat is the registry's most frequent request and writes
 * nothing, so the handler lookup, argument and return value handling and content negotiation would be most
 * of its cost (docs/benchmarks.md). Errors are the problems the rest of the API gives for the same
 * exceptions ({@link ApiProblems}); the OpenAPI document describes the endpoint in
 * {@code OpenApiConfiguration}.
 *
 * <p>This runs after the filters that may refuse a request (credentials, a request's shape, a removed
 * member's 410); the request's observation times every heartbeat under its URI pattern.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class HeartbeatEndpoint implements WebFilter {

    public static final String URI_PATTERN = "/v1/services/{service}/instances/{instanceId}/heartbeat";
    private static final String PREFIX = "/v1/services/";
    private static final String INSTANCES = "/instances/";
    private static final String SUFFIX = "/heartbeat";

    private final RegistryService registry;
    /**
     * Past the leader's answer or its request timeout, which {@link RegistryService#heartbeat} keeps: twice,
     * since a forwarded heartbeat may wait for one batch to the leader before its own leaves (ADR 0016).
     */
    private final Duration timeout;

    HeartbeatEndpoint(RegistryService registry, RosterProperties properties) {
        this.registry = registry;
        this.timeout = properties.raft().requestTimeout().multipliedBy(2).plusSeconds(30);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String[] names = names(exchange.getRequest().getPath().value());
        if (names == null) {
            return chain.filter(exchange);
        }
        ServerRequestObservationContext.findCurrent(exchange.getAttributes()).ifPresent(context -> context.setPathPattern(URI_PATTERN));
        ServerHttpResponse response = exchange.getResponse();
        HttpMethod method = exchange.getRequest().getMethod();
        if (!HttpMethod.PUT.equals(method)) {
            return ApiProblems.write(ApiProblems.methodNotAllowed(method.name(), List.of("PUT")), response);
        }
        CompletableFuture<Heartbeat> heartbeat;
        try {
            heartbeat = registry.heartbeat(names[0], names[1]);
        } catch (RuntimeException invalid) {
            return ApiProblems.write(invalid, response);
        }
        if (heartbeat.isDone() && !heartbeat.isCompletedExceptionally()) {
            return answer(heartbeat.join(), response);
        }
        // A heartbeat forwarded to the leader, or one that failed.
        return Mono.fromCompletionStage(heartbeat)
                .timeout(timeout)
                .materialize()
                .flatMap(outcome -> outcome.hasValue() ? answer(outcome.get(), response)
                        : ApiProblems.write(outcome.getThrowable() instanceof TimeoutException
                        ? new RaftUnavailableException("the leader did not answer the heartbeat within " + timeout.toMillis() + " ms", false)
                        : outcome.getThrowable(), response));
    }

    private static Mono<Void> answer(Heartbeat renewed, ServerHttpResponse response) {
        HeartbeatResponse answer = HeartbeatResponse.of(renewed);
        byte[] body = ("{\"ttlSeconds\":" + answer.ttlSeconds() + ",\"remainingSeconds\":" + answer.remainingSeconds() + "}")
                .getBytes(StandardCharsets.US_ASCII);
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().set(Revisions.HEADER, Long.toString(renewed.revision()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
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
