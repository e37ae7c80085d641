package io.roster.client;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A client of Roster's REST API: the key-value store, leases, the service registry, watches and the
 * cluster's members. java.net.http and Jackson only; thread-safe; one shared HTTP client.
 *
 * <pre>{@code
 * try (RosterClient roster = RosterClient.builder().endpoints("http://10.0.0.1:2379", "http://10.0.0.2:2379").build()) {
 *     roster.put("config/app/db", "postgres://db:5432/app");
 *     Lookup web = roster.lookup("web", LookupQuery.up());
 * }
 * }</pre>
 *
 * <p>Each request goes to the endpoint that answered last; when it cannot be reached, answers 503 (no
 * leader, no quorum) or was removed from the cluster, the request goes to the next one, unless it is a write
 * that could then be applied twice (a lease grant, a compare-and-swap, a member change) and may already have
 * reached a member: then {@link ClusterUnavailableException#mayHaveApplied()} says so and nothing is resent.
 * Errors are typed: {@link NotFoundException}, {@link CompareFailedException}, {@link InvalidRequestException},
 * {@link UnauthorizedException}, {@link RevisionCompactedException}, {@link ClusterUnavailableException} and
 * {@link NoEndpointAvailableException}, all {@link RosterException}s.
 */
public final class RosterClient implements AutoCloseable {

    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The snapshot of a large store takes longer than an ordinary request. */
    public static final Duration DEFAULT_SNAPSHOT_TIMEOUT = Duration.ofMinutes(5);
    /**
     * How much longer than other requests a removal or a promotion may take: the member answers once the leader
     * has changed Raft's configuration, which it waits up to 10 s for.
     */
    private static final Duration CONFIGURATION_CHANGE_WAIT = Duration.ofSeconds(10);

    private final Transport transport;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

    private RosterClient(Transport transport, HttpClient http, Duration requestTimeout) {
        this.transport = transport;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoints, normalized ({@code http://host:port}), in the order given. */
    public List<String> endpoints() {
        return transport.endpoints().all();
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * An endpoint as the client uses it: {@code http://host:port}, no trailing slash; {@code host:port} gets http.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL with a host and no path
     */
    public static String normalizeEndpoint(String endpoint) {
        return Endpoints.normalize(endpoint);
    }

    // ---- key-value ----

    /** Reads a key, linearizably. @throws NotFoundException when it does not exist */
    public KeyValueResult get(String key) {
        return get(key, Consistency.LINEARIZABLE);
    }

    /** @throws NotFoundException when it does not exist */
    public KeyValueResult get(String key, Consistency consistency) {
        String query = Paths.query().add("consistency", wire(consistency)).toString();
        return Wire.keyValueResult(call(Request.get("/v1/kv/" + Paths.key(key) + query)));
    }

    /** The keys under a prefix, in key order, up to the server's limit. */
    public RangeResult getPrefix(String prefix) {
        return getPrefix(prefix, 0, Consistency.LINEARIZABLE);
    }

    /** @param limit at most this many keys; 0 for all, up to {@code roster.limits.max-range-limit} */
    public RangeResult getPrefix(String prefix, int limit, Consistency consistency) {
        String query = Paths.query().add("prefix", "true").add("limit", limit == 0 ? null : limit)
                .add("consistency", wire(consistency)).toString();
        return Wire.range(call(Request.get("/v1/kv/" + Paths.key(prefix) + query)));
    }

    public KeyValueResult put(String key, String value) {
        return put(PutRequest.of(key, value));
    }

    /**
     * A put with a lease or a compare-and-swap. A compare-and-swap is not sent again once it may have reached
     * a member (a second copy would fail its own comparison and hide the first's success).
     *
     * @throws CompareFailedException when {@code prevRevision} did not match; it holds the current entry
     * @throws NotFoundException      when the lease does not exist
     */
    public KeyValueResult put(PutRequest put) {
        Request request = Request.put("/v1/kv/" + Paths.key(put.key()), Wire.put(put));
        return Wire.keyValueResult(call(put.prevRevision() == null ? request : request.notIdempotent()));
    }

    /** Sets the key only if its mod revision is {@code prevRevision} (0: only if it does not exist). */
    public KeyValueResult compareAndSwap(String key, String value, long prevRevision) {
        return put(PutRequest.of(key, value).ifModRevision(prevRevision));
    }

    public DeleteResult delete(String key) {
        return Wire.deleted(call(Request.delete("/v1/kv/" + Paths.key(key))));
    }

    /** Deletes the key only if its mod revision is {@code prevRevision}. @throws CompareFailedException otherwise */
    public DeleteResult delete(String key, long prevRevision) {
        String query = Paths.query().add("prevRevision", prevRevision).toString();
        return Wire.deleted(call(Request.delete("/v1/kv/" + Paths.key(key) + query).notIdempotent()));
    }

    /** Deletes every key under the prefix, at one revision. */
    public DeleteResult deletePrefix(String prefix) {
        return Wire.deleted(call(Request.delete("/v1/kv/" + Paths.key(prefix) + "?prefix=true")));
    }

    // ---- leases ----

    /** Grants a lease. Not sent again once it may have reached a member: that could grant two. */
    public Lease grantLease(Duration ttl) {
        return Wire.lease(call(Request.post("/v1/leases", Json.object().put("ttlSeconds", ttl.toSeconds()))));
    }

    /** Restarts the lease's countdown. @throws NotFoundException once it expired or was revoked: grant a new one */
    public Lease keepAlive(String leaseId) {
        return Wire.lease(call(Request.put("/v1/leases/" + Paths.segment(leaseId) + "/keepalive", null)));
    }

    /** @throws NotFoundException when it expired, was revoked or never existed */
    public LeaseInfo leaseInfo(String leaseId) {
        return Wire.leaseInfo(call(Request.get("/v1/leases/" + Paths.segment(leaseId))));
    }

    /** Revokes the lease now, deleting its keys. @throws NotFoundException when it no longer exists */
    public LeaseRevoked revokeLease(String leaseId) {
        return Wire.leaseRevoked(call(Request.delete("/v1/leases/" + Paths.segment(leaseId))));
    }

    // ---- service registry ----

    /** Registers an instance, or replaces the one with the same id (one instance either way). */
    public InstanceWrite register(String service, String instanceId, InstanceSpec spec) {
        Answer answer = transport.send(Request.put(Paths.instance(service, instanceId), Wire.registration(spec)));
        return Wire.instanceWrite(answer.json(), answer.status() == 201);
    }

    /**
     * Renews the instance's lease; any member answers and it is not a log write.
     *
     * @throws NotFoundException once the instance expired or was deregistered: register it again
     */
    public Heartbeat heartbeat(String service, String instanceId) {
        return Wire.heartbeat(call(Request.put(Paths.instance(service, instanceId) + "/heartbeat", null)));
    }

    /** Changes status, weight or metadata in place. @throws NotFoundException when it is not registered */
    public InstanceWrite patch(String service, String instanceId, InstancePatch patch) {
        return Wire.instanceWrite(call(Request.patch(Paths.instance(service, instanceId), Wire.patch(patch))), false);
    }

    /**
     * Deregisters the instance (watchers see reason {@code deregistered}).
     *
     * @return the revision of the deregistration
     * @throws NotFoundException when it is not registered
     */
    public long deregister(String service, String instanceId) {
        return transport.send(Request.delete(Paths.instance(service, instanceId))).revision().orElse(0);
    }

    /** One instance. @throws NotFoundException when it is not registered */
    public Instance instance(String service, String instanceId, Consistency consistency) {
        String query = Paths.query().add("consistency", wire(consistency)).toString();
        return Wire.instance(call(Request.get(Paths.instance(service, instanceId) + query)));
    }

    /** Every service with its instance counts. */
    public ServiceList services() {
        return Wire.services(call(Request.get("/v1/services")));
    }

    /** The service's instances that match the query (an unknown service has none). */
    public Lookup lookup(String service, LookupQuery query) {
        return Wire.lookup(call(Request.get(lookupPath(service, query).toString())));
    }

    /**
     * A blocking lookup (as Consul's): answers as soon as the service changes after {@code afterRevision}, or
     * when {@code wait} is over, with the matching instances either way. Pass the previous answer's revision.
     *
     * @param wait at most {@code roster.registry.max-wait} (5 minutes by default)
     */
    public Lookup awaitLookup(String service, LookupQuery query, long afterRevision, Duration wait) {
        Paths.Query path = lookupPath(service, query).add("revision", afterRevision).add("wait", wait.toMillis() + "ms");
        return Wire.lookup(call(Request.get(path.toString()).withTimeout(wait.plus(requestTimeout))));
    }

    private static Paths.Query lookupPath(String service, LookupQuery query) {
        Paths.Query path = new Paths.Query("/v1/services/" + Paths.segment(service) + "/instances")
                .add("status", query.status() == null ? null : query.status().name())
                .add("zone", query.zone())
                .add("consistency", wire(query.consistency()));
        query.metadata().forEach((key, value) -> path.add("metadata", key + "=" + value));
        return path;
    }

    // ---- watches ----

    /** Watches one key from now on. */
    public Watch watchKey(String key, WatchListener<KeyEvent, RangeResult> listener) {
        return watchKey(key, -1, listener);
    }

    /** Watches one key, delivering the changes after {@code afterRevision} (-1: from now on). */
    public Watch watchKey(String key, long afterRevision, WatchListener<KeyEvent, RangeResult> listener) {
        return start(new KvSource(key, false), afterRevision, listener, key);
    }

    /** Watches every key under the prefix, delivering the changes after {@code afterRevision} (-1: from now on). */
    public Watch watchPrefix(String prefix, long afterRevision, WatchListener<KeyEvent, RangeResult> listener) {
        return start(new KvSource(prefix, true), afterRevision, listener, prefix + "*");
    }

    /** Watches one service's instances, delivering the changes after {@code afterRevision} (-1: from now on). */
    public Watch watchService(String service, long afterRevision, WatchListener<RegistryEvent, InstanceSnapshot> listener) {
        return start(new ServiceSource(service), afterRevision, listener, "service " + service);
    }

    /** Watches every service's instances, delivering the changes after {@code afterRevision} (-1: from now on). */
    public Watch watchServices(long afterRevision, WatchListener<RegistryEvent, InstanceSnapshot> listener) {
        return start(new ServiceSource(null), afterRevision, listener, "all services");
    }

    private <E, S> Watch start(ResumingWatch.Source<E, S> source, long afterRevision, WatchListener<E, S> listener,
                               String name) {
        Objects.requireNonNull(listener, "listener");
        ResumingWatch<E, S> watch = new ResumingWatch<>(transport, source, afterRevision < 0 ? -1 : afterRevision,
                listener, name, watches::remove);
        watches.add(watch);
        return watch.start();
    }

    private final class KvSource implements ResumingWatch.Source<KeyEvent, RangeResult> {
        private final String key;
        private final boolean prefix;

        KvSource(String key, boolean prefix) {
            this.key = key;
            this.prefix = prefix;
        }

        @Override
        public String path(long afterRevision) {
            return new Paths.Query("/v1/watch/kv/" + Paths.key(key)).add("prefix", prefix ? "true" : null)
                    .add("revision", afterRevision < 0 ? null : afterRevision).toString();
        }

        @Override
        public KeyEvent decode(JsonNode data) {
            return Wire.keyEvent(data);
        }

        @Override
        public long revisionOf(KeyEvent event) {
            return event.revision();
        }

        @Override
        public ResumingWatch.Relisted<KeyEvent, RangeResult> relist() {
            RangeResult range;
            if (prefix) {
                range = getPrefix(key);
            } else {
                RangeResult one;
                try {
                    KeyValueResult found = get(key);
                    one = new RangeResult(List.of(found.kv()), 1, false, found.revision());
                } catch (NotFoundException absent) {
                    one = new RangeResult(List.of(), 0, false, absent.revision());
                }
                range = one;
            }
            return new ResumingWatch.Relisted<>(range, range.revision(), event -> false);
        }
    }

    private final class ServiceSource implements ResumingWatch.Source<RegistryEvent, InstanceSnapshot> {
        /** One service, or null for all. */
        private final String service;

        ServiceSource(String service) {
            this.service = service;
        }

        @Override
        public String path(long afterRevision) {
            String path = "/v1/watch/services" + (service == null ? "" : "/" + Paths.segment(service));
            return new Paths.Query(path).add("revision", afterRevision < 0 ? null : afterRevision).toString();
        }

        @Override
        public RegistryEvent decode(JsonNode data) {
            return Wire.registryEvent(data);
        }

        @Override
        public long revisionOf(RegistryEvent event) {
            return event.revision();
        }

        /**
         * One service: one lookup. All services: the list of services, then one lookup of each; each lookup
         * reflects its own revision, so events a lookup already holds are skipped, and the watch resumes from
         * the list's revision so that no service created meanwhile is missed.
         */
        @Override
        public ResumingWatch.Relisted<RegistryEvent, InstanceSnapshot> relist() {
            if (service != null) {
                Lookup lookup = lookup(service, LookupQuery.all());
                return new ResumingWatch.Relisted<>(new InstanceSnapshot(lookup.instances(), lookup.revision()),
                        lookup.revision(), event -> false);
            }
            ServiceList list = services();
            List<Instance> instances = new ArrayList<>();
            Map<String, Long> listedAt = new HashMap<>();
            long newest = list.revision();
            for (ServiceSummary summary : list.services()) {
                Lookup lookup = lookup(summary.name(), LookupQuery.all());
                instances.addAll(lookup.instances());
                listedAt.put(summary.name(), lookup.revision());
                newest = Math.max(newest, lookup.revision());
            }
            return new ResumingWatch.Relisted<>(new InstanceSnapshot(instances, newest), list.revision(),
                    event -> event.revision() <= listedAt.getOrDefault(event.service(), list.revision()));
        }
    }

    // ---- cluster ----

    public MemberList members() {
        return Wire.members(call(Request.get("/v1/members")));
    }

    /** Adds a member (as a learner that is promoted once caught up, unless {@code learner}). Not sent twice. */
    public MemberAdded addMember(String name, List<String> peerUrls, boolean learner) {
        ObjectNode body = Json.object().put("name", name).put("isLearner", learner);
        ArrayNode urls = body.putArray("peerUrls");
        peerUrls.forEach(urls::add);
        return Wire.memberAdded(call(Request.post("/v1/members", body)));
    }

    public Member updateMember(String memberId, List<String> peerUrls) {
        ObjectNode body = Json.object();
        ArrayNode urls = body.putArray("peerUrls");
        peerUrls.forEach(urls::add);
        return Wire.member(call(Request.put("/v1/members/" + Paths.segment(memberId), body)).path("member"));
    }

    /** @param force remove it even when that leaves the cluster without a quorum of reachable voters */
    public MemberRemoved removeMember(String memberId, boolean force) {
        String query = force ? "?force=true" : "";
        return Wire.memberRemoved(call(Request.delete("/v1/members/" + Paths.segment(memberId) + query).notIdempotent()
                .withTimeout(requestTimeout.plus(CONFIGURATION_CHANGE_WAIT))));
    }

    public Member promoteMember(String memberId) {
        return Wire.member(call(Request.post("/v1/members/" + Paths.segment(memberId) + "/promote", null)
                .withTimeout(requestTimeout.plus(CONFIGURATION_CHANGE_WAIT))).path("member"));
    }

    /** @return the id of the member leadership moves to */
    public String transferLeadership(String memberId) {
        JsonNode answer = call(Request.post("/v1/members/" + Paths.segment(memberId) + "/transfer-leadership", null));
        return Wire.text(answer, "leader");
    }

    /** Users, roles and the auth switch ({@code /v1/auth}). */
    public AuthAdmin auth() {
        return new AuthAdmin(this::call);
    }

    /** The status of whichever endpoint answers. */
    public Status status() {
        return Wire.status(call(Request.get("/v1/status")));
    }

    /**
     * Every member's status, as whichever endpoint answers gathers them: it asks each member in its member list
     * over the peer port, so a member this client cannot reach still shows, and one that does not answer shows
     * as unreachable, saying why ({@code etcdctl endpoint status --cluster} in one request).
     */
    public ClusterStatus clusterStatus() {
        return Wire.clusterStatus(call(Request.get("/v1/status/members")));
    }

    /**
     * The status of one endpoint (which need not be one of this client's), without failover.
     *
     * @throws NoEndpointAvailableException when it cannot be reached; its one failure says why
     */
    public Status status(String endpoint) {
        String url = Endpoints.normalize(endpoint);
        Request request = Request.get("/v1/status");
        Answer answer;
        try {
            answer = transport.sendTo(url, request);
        } catch (IOException e) {
            throw new NoEndpointAvailableException(List.of(new EndpointFailure(url, transport.describe(e, request))));
        }
        if (!answer.isSuccess()) {
            throw ErrorAnswers.toException(answer, transport.sendsToken());
        }
        return Wire.status(answer.json());
    }

    /**
     * The health of one endpoint (which need not be one of this client's), without failover; an unhealthy
     * member's answer (503) is returned, not raised.
     *
     * @throws NoEndpointAvailableException when it cannot be reached; its one failure says why
     */
    public Health health(String endpoint) {
        String url = Endpoints.normalize(endpoint);
        Request request = Request.get("/actuator/health");
        Answer answer;
        try {
            answer = transport.sendTo(url, request);
        } catch (IOException e) {
            throw new NoEndpointAvailableException(List.of(new EndpointFailure(url, transport.describe(e, request))));
        }
        return new Health(answer.status(), Wire.text(answer.json(), "status"), answer.text());
    }

    /** Downloads a consistent snapshot of the whole store. */
    public Snapshot snapshot() {
        return snapshot(DEFAULT_SNAPSHOT_TIMEOUT);
    }

    public Snapshot snapshot(Duration timeout) {
        Answer answer = transport.send(Request.get("/v1/snapshot").withTimeout(timeout));
        return new Snapshot(answer.body(), answer.revision().orElse(0), answer.endpoint());
    }

    // ---- lifecycle ----

    /** Stops every watch this client started. Requests still under way complete or fail on their own. */
    @Override
    public void close() {
        List.copyOf(watches).forEach(Watch::close);
        if (http instanceof AutoCloseable closeable) { // Java 21+: releases the client's selector thread now
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing left to release
            }
        }
    }

    private JsonNode call(Request request) {
        JsonNode body = transport.send(request).json();
        return body.isMissingNode() ? Json.object() : body;
    }

    private static String wire(Consistency consistency) {
        return consistency == null || consistency == Consistency.LINEARIZABLE ? null : consistency.wire();
    }

    /** Settings of a client; only the endpoints are required. */
    public static final class Builder {
        private final List<String> endpoints = new ArrayList<>();
        private String token;
        private SSLContext sslContext;
        private Duration dialTimeout = DEFAULT_DIAL_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {
        }

        /** Client URLs of one or more members, e.g. {@code http://10.0.0.1:2379}; a bare host:port means http. */
        public Builder endpoints(String... endpoints) {
            return endpoints(Arrays.asList(endpoints));
        }

        public Builder endpoints(Collection<String> endpoints) {
            this.endpoints.addAll(endpoints);
            return this;
        }

        /**
         * Sent as {@code Authorization: Bearer <token>}, for members that set {@code roster.auth.tokens}; null or
         * blank sends none.
         *
         * @throws IllegalArgumentException when it has characters no HTTP header can carry
         */
        public Builder token(String token) {
            String trimmed = token == null || token.isBlank() ? null : token.trim();
            if (trimmed != null && !trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("the token must be printable ASCII without spaces: an HTTP header "
                        + "cannot carry it");
            }
            this.token = trimmed;
            return this;
        }

        /** TLS for https endpoints; the JDK's default trust when not given. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** Trusts the CA certificates of a PEM file (for https endpoints). */
        public Builder trustCertificates(Path pemFile) {
            return sslContext(TrustStores.sslContext(pemFile, null));
        }

        /** Trusts the certificates of a JKS or PKCS12 trust store (for https endpoints). */
        public Builder trustStore(Path trustStore, char[] password) {
            return sslContext(TrustStores.sslContext(trustStore, password));
        }

        /** How long to wait for a TCP connection to one endpoint (2 s by default). */
        public Builder dialTimeout(Duration dialTimeout) {
            this.dialTimeout = requirePositive(dialTimeout, "dialTimeout");
            return this;
        }

        /** How long to wait for one endpoint's answer (5 s by default). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
            return this;
        }

        /** @throws IllegalArgumentException when no endpoint is given or one is not an http(s) URL */
        public RosterClient build() {
            Endpoints parsed = new Endpoints(endpoints);
            HttpClient http = httpClient(parsed);
            return new RosterClient(new Transport(parsed, http, token, dialTimeout, requestTimeout), http, requestTimeout);
        }

        private HttpClient httpClient(Endpoints parsed) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(dialTimeout)
                    .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
            if (sslContext != null) {
                builder.sslContext(sslContext);
            } else if (parsed.all().stream().noneMatch(endpoint -> endpoint.startsWith("https:"))) {
                // Plain HTTP only: skip the default TLS context, whose set-up (providers, the CA store) costs a
                // short-lived client like rosterctl a noticeable part of its start. It is never used.
                try {
                    builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
                } catch (NoSuchAlgorithmException e) {
                    // keep the default
                }
            }
            return builder.build();
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + duration);
            }
            return duration;
        }
    }
}
