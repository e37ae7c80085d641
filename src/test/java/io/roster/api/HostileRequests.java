package io.roster.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates one malformed HTTP request per (seed, index), so any request of a fuzz run can be rebuilt
 * from the two numbers alone, whatever thread sent it and in whatever order.
 *
 * <p>Requests that carry the valid token only ever name keys under {@code fuzz/}, services
 * {@code fuzz-*}, and leases no seeded instance holds, and never change membership: a member change
 * that the node rightly accepted could break the single-member cluster under test. Membership
 * endpoints are hit without a token, or with a body that is not JSON at all.
 */
final class HostileRequests {

    enum InputClass {
        JSON_BODY("json-body"), UTF8_CONTROLS("utf8-controls"), PATH_TRICKS("path-tricks"), QUERY("query"),
        AUTHORIZATION("authorization"), RAW_SOCKET("raw-socket");

        final String label;

        InputClass(String label) {
            this.label = label;
        }
    }

    /** VALID: the right token; NONE: no Authorization header; INVALID: anything else, duplicates included. */
    enum Auth { VALID, NONE, INVALID }

    /**
     * @param path the request target up to any '?', as sent (ISO-8859-1), to decide whether it is public
     * @param halfClose shut the socket's output after writing, so an incomplete request ends at once
     */
    record Request(long index, InputClass inputClass, Auth auth, String method, String path, byte[] bytes,
                   boolean halfClose) {
    }

    /** One endpoint as the generator knows it. */
    private record Endpoint(String method, String path, Body body, boolean membership) {
    }

    private enum Body { NONE, KV, INSTANCE, PATCH, LEASE, MEMBER_ADD, MEMBER_UPDATE }

    private static final long[] NO_LEASES = {};
    private static final String LEARNER = "{\"name\":\"fuzz-learner\",\"peerUrls\":[\"http://127.0.0.1:1\"],\"isLearner\":true}";
    private static final String[] NOT_JSON = {"{", "{\"name\":", "{\"peerUrls\":[", "<member/>", "name=n4", "{\"name\" \"n\"}",
            "\u0000", "{\"peerUrls\":[\"http://10.0.0.9:2380\"]", "[[[[", "{]"};

    private final long seed;
    private final String token;
    private final Set<String> protectedLeases;

    HostileRequests(long seed, String token, Set<String> protectedLeases) {
        this.seed = seed;
        this.token = token;
        this.protectedLeases = protectedLeases;
    }

    Request generate(long index) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 1);
        InputClass inputClass = InputClass.values()[r.nextInt(InputClass.values().length)];
        Auth auth = switch (r.nextInt(4)) {
            case 0, 1 -> Auth.VALID;
            case 2 -> Auth.NONE;
            default -> Auth.INVALID;
        };
        Draft draft = switch (inputClass) {
            case JSON_BODY -> jsonBody(r, auth);
            case UTF8_CONTROLS -> utf8Controls(r, auth);
            case PATH_TRICKS -> pathTricks(r, auth);
            case QUERY -> query(r, auth);
            case AUTHORIZATION -> authorization(r);
            case RAW_SOCKET -> rawSocket(r, auth);
        };
        if (draft.authHeaders == null) {
            draft.authHeaders = authHeaders(r, draft.auth == null ? auth : draft.auth);
        }
        Auth effective = draft.auth == null ? auth : draft.auth;
        byte[] bytes = draft.raw != null ? draft.raw : draft.build();
        return new Request(index, inputClass, effective, draft.method, draft.pathOnly(), bytes, draft.halfClose);
    }

    // ---------------------------------------------------------------- classes

    private Draft jsonBody(Random r, Auth auth) {
        Endpoint e = pick(r, bodyEndpoints(r, auth));
        Draft d = Draft.of(e.method, e.path);
        if (e.membership && auth == Auth.VALID) {
            d.body(ascii(pick(r, NOT_JSON)));
            d.contentType("application/json");
            return d;
        }
        switch (r.nextInt(7)) {
            case 0 -> d.body(ascii(pick(r, invalidJson(e.body))));
            case 1 -> d.body(ascii(pick(r, wrongTypes(e.body))));
            case 2 -> d.body(ascii(numbers(r, e.body)));
            case 3 -> d.body(ascii(deep(r, e.body)));
            case 4 -> {
                if (r.nextInt(4) == 0) {
                    oversized(r, d, e.body);
                } else {
                    d.body(ascii(numbers(r, e.body)));
                }
            }
            case 5 -> d.body(new byte[0]); // empty, with Content-Length: 0 or none at all
            default -> d.body(ascii(pick(r, wrongTypes(e.body))));
        }
        if (d.body != null && d.body.length == 0 && r.nextBoolean()) {
            d.omitLength = true;
        }
        if (r.nextInt(8) != 0) {
            d.contentType("application/json");
        }
        return d;
    }

    private Draft utf8Controls(Random r, Auth auth) {
        String[] encoded = {"%FF", "%C3%28", "%E2%82", "%ED%A0%80", "%F4%90%80%80", "%C0%AF", "%C0%80", "%00", "%01", "%0A",
                "%0D", "%1B", "%7F", "%09", "%0D%0A", "%E2%80%8B", "%EF%BB%BF", "%F0%9F%92%A9", "%C2%A0", "%20"};
        byte[][] rawBytes = {{(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0x80}, {0x01}, {0x7f}, {0x09}, {0x00}, {0x0b},
                {(byte) 0xe2, (byte) 0x82}};
        if (r.nextBoolean()) {
            // in the path: a key, a service or an instance name
            String bad = r.nextInt(3) == 0 ? new String(pickBytes(r, rawBytes), StandardCharsets.ISO_8859_1) : pick(r, encoded);
            String name = "n" + r.nextInt(100) + bad + (r.nextBoolean() ? "x" : "");
            String path = switch (r.nextInt(7)) {
                case 0 -> "/v1/kv/fuzz/" + name;
                case 1 -> "/v1/services/fuzz-" + name + "/instances/i1";
                case 2 -> "/v1/services/fuzz-a/instances/" + name;
                case 3 -> "/v1/services/fuzz-a/instances/" + name + "/heartbeat";
                case 4 -> "/v1/watch/kv/fuzz/" + name;
                case 5 -> "/v1/leases/" + name;
                default -> "/v1/services/fuzz-" + name + "/instances";
            };
            String method = pick(r, new String[]{"GET", "PUT", "DELETE", "PATCH", "HEAD"});
            if (path.startsWith("/v1/leases/") && auth == Auth.VALID && !method.equals("GET")) {
                method = "GET";
            }
            Draft d = Draft.of(method, path);
            if (method.equals("PUT") || method.equals("PATCH")) {
                d.body(ascii(path.startsWith("/v1/kv") ? "{\"value\":\"v\"}" : "{\"host\":\"10.0.0.1\",\"port\":80,\"ttlSeconds\":5}"));
                d.contentType("application/json");
            }
            if (path.endsWith("/heartbeat")) {
                d.method = "PUT";
                d.body = null;
            }
            return d;
        }
        // in the body: names, keys and values with controls or bytes that are not UTF-8
        Endpoint e = pick(r, bodyEndpoints(r, auth));
        Draft d = Draft.of(e.method, e.path);
        d.contentType(r.nextInt(4) == 0 ? "application/json; charset=" + pick(r, new String[]{"utf-8", "iso-8859-1", "utf-16", "bogus", "\"utf-8\""})
                : "application/json");
        if (e.membership && auth == Auth.VALID) {
            d.body(ascii(pick(r, NOT_JSON)));
            return d;
        }
        String escaped = pick(r, new String[]{"\\u0000", "\\u0001", "\\u001b", "\\u007f", "\\ud800", "\\udfff", "\\ud800\\u0041", "\\r\\n",
                "\\t", "\\u2028", "\\ufeff", "\\uffff", "\\u0000\\u0000"});
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String template = switch (e.body) {
            case KV -> pick(r, new String[]{"{\"value\":\"%s\"}", "{\"value\":\"v\",\"lease\":\"%s\"}", "{\"%s\":\"v\"}"});
            case INSTANCE -> pick(r, new String[]{"{\"host\":\"%s\",\"port\":80}", "{\"host\":\"h\",\"port\":80,\"zone\":\"%s\"}",
                    "{\"host\":\"h\",\"port\":80,\"metadata\":{\"%s\":\"v\"}}", "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":\"%s\"}}",
                    "{\"host\":\"h\",\"port\":80,\"status\":\"%s\"}"});
            case PATCH -> pick(r, new String[]{"{\"status\":\"%s\"}", "{\"metadata\":{\"%s\":\"v\"}}", "{\"metadata\":{\"k\":\"%s\"}}"});
            case LEASE -> "{\"ttlSeconds\":\"%s\"}";
            default -> pick(r, new String[]{"{\"name\":\"n%s\",\"peerUrls\":[\"http://127.0.0.1:1\"],\"isLearner\":true}",
                    "{\"name\":\"fuzz-learner\",\"peerUrls\":[\"http://127.0.0.1:1/%s\"],\"isLearner\":true}",
                    "{\"peerUrls\":[\"http://127.0.0.1:1%s\"]}"});
        };
        String[] parts = template.split("%s", -1);
        body.writeBytes(ascii(parts[0]));
        switch (r.nextInt(3)) {
            case 0 -> body.writeBytes(ascii(escaped));
            case 1 -> body.writeBytes(pickBytes(r, rawBytes)); // raw bytes: controls are not allowed unescaped in JSON
            default -> body.writeBytes(new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80}); // an encoded surrogate
        }
        body.writeBytes(ascii(parts[1]));
        d.body(body.toByteArray());
        return d;
    }

    private Draft pathTricks(Random r, Auth auth) {
        Endpoint e = pick(r, endpoints(r, auth, false));
        Draft d = Draft.of(e.method, e.path);
        bodyFor(r, d, e, auth);
        int trick = r.nextInt(4);
        if (trick == 0 && !(auth == Auth.VALID && !e.path.startsWith("/v1/kv/fuzz/") && !e.path.startsWith("/v1/services/fuzz-"))) {
            // another method; a valid token only with paths that name fuzz keys or services
            d.method = pick(r, new String[]{"FOO", "TRACE", "PROPFIND", "get", "put", "delete", "OPTIONS", "CONNECT", "PATCH", "HEAD",
                    "M-SEARCH", "GETS", "G\u00c9T", "X".repeat(300), "MKCOL", "LOCK", "PRI", "POST"});
            if (d.method.equals("CONNECT")) {
                d.target = "127.0.0.1:" + (1 + r.nextInt(65535));
            }
            return d;
        }
        if (trick == 1) {
            contentTypes(r, d);
            return d;
        }
        d.target = trickPath(r, d.target, auth);
        return d;
    }

    private Draft query(Random r, Auth auth) {
        Endpoint e = pick(r, endpoints(r, auth, true));
        Draft d = Draft.of(e.method, e.path);
        bodyFor(r, d, e, auth);
        List<String> params = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            params.add(pick(r, new String[]{"%ZZ=1", "==1", "%00=x", "a%00b=1", "unknown=1", "x=" + "y".repeat(1 + r.nextInt(20_000)),
                    "revision=abc", "revision=-1", "revision=99999999999999999999", "revision=1e3", "revision=", "revision=0x10",
                    "revision=9223372036854775807", "revision=" + r.nextInt(50), "wait=forever", "wait=-1s", "wait=99999h", "wait=1e3s",
                    "wait=20ms", "wait=", "prefix=maybe", "prefix=", "prefix", "prefix=true", "prefix=TRUE", "limit=-1", "limit=abc",
                    "limit=99999999999", "limit=1e3", "limit=1", "limit=", "consistency=bogus", "consistency=", "consistency=serializable",
                    "consistency=LINEARIZABLE", "status=SIDEWAYS", "status=UP", "status=", "metadata=noequals", "metadata==", "metadata=k=v",
                    "zone=%C3%28", "force=banana", "force=true", "prevRevision=x", "prevRevision=-5", "&&&", "%", "a=%", "a=%G1",
                    "a=%C3%28", "a=%FF", "a=1&a=2", "limit=1&limit=2", "+", "a+b=c+d", "%3D=%3D", "a=%E2%82", "%2e%2e=1", "=", "a==b", "a\u0000b=1", "a=\u0000", "a=\u00ff", "\u0001=1"}));
        }
        if (r.nextInt(40) == 0) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 2_000 + r.nextInt(12_000); i++) {
                many.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
            }
            params.add(many.toString());
        }
        String query = String.join("&", params);
        if (query.contains("revision=")) {
            // A valid blocking query would otherwise be held for the default 30 s (a blank wait= included);
            // with a second wait= the pair is refused, which is fine too.
            query += "&wait=20ms";
        }
        if (auth == Auth.VALID && d.method.equals("DELETE") && !d.target.startsWith("/v1/kv/fuzz/")) {
            d.method = "GET";
        }
        d.target = d.target + "?" + query;
        return d;
    }

    private Draft authorization(Random r) {
        Endpoint e = pick(r, endpoints(r, Auth.VALID, false));
        Draft d = Draft.of(e.method, e.path);
        bodyFor(r, d, e, Auth.VALID);
        String t = token;
        List<String> headers = new ArrayList<>();
        Auth auth = Auth.INVALID;
        switch (r.nextInt(24)) {
            case 0 -> headers.add("Authorization: " + t);
            case 1 -> headers.add("Authorization: Basic dXNlcjpwYXNz");
            case 2 -> headers.add("Authorization: Basic " + Base64.getEncoder().encodeToString(("roster:" + t).getBytes(StandardCharsets.UTF_8)));
            case 3 -> headers.add("Authorization: Bearer");
            case 4 -> headers.add("Authorization: Bearer " + t.substring(0, 8) + pick(r, new String[]{"\u0001", "\u007f", "\u0000", "\u001b"}) + t.substring(8));
            case 5 -> headers.add("Authorization: Bearer " + t + " " + t);
            case 6 -> headers.add("Authorization: Bearer " + "a".repeat(10_240));
            case 7 -> headers.add("Authorization: Bearer " + "a".repeat(6_000 + r.nextInt(2_000)));
            case 8 -> {
                headers.add("Authorization: Bearer " + t);
                headers.add("Authorization: Bearer not-the-token-0000000000");
            }
            case 9 -> {
                headers.add("Authorization: Basic dXNlcjpwYXNz");
                headers.add("Authorization: Bearer " + t);
            }
            case 10 -> headers.add("Authorization: Bearer " + t + pick(r, new String[]{"x", "=", "\u00e9", "\u0080", "%00", "\u00ff", ".", "\u0001"}));
            case 11 -> headers.add("Authorization: Bearer " + pick(r, new String[]{"x", "\u00e9", "\u0080", " x"}) + t);
            case 12 -> headers.add("Authorization: Bearer " + t.substring(0, t.length() - 1));
            case 13 -> headers.add("Authorization: Bearer " + t.substring(0, 5) + (char) (t.charAt(5) ^ 1) + t.substring(6));
            case 14 -> headers.add("Authorization: Bearer\t" + t);
            case 15 -> headers.add("Authorization: Bearer " + t + " extra");
            case 16 -> headers.add("Authorization : Bearer " + t);
            case 17 -> {
                // obsolete line folding, which Tomcat unfolds to a space as RFC 9112 allows: the right token
                headers.add("Authorization: Bearer\r\n " + t);
                auth = Auth.VALID;
            }
            case 18 -> headers.add("Authorization: " + "Bearer ".repeat(2 + r.nextInt(4)) + t);
            case 19 -> headers.add("Authorization: Bearer " + new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1).toUpperCase());
            case 20 -> {
                headers.add("authorization: bearer " + t);
                auth = Auth.VALID;
            }
            case 21 -> {
                headers.add("Authorization:Bearer  " + t);
                auth = Auth.VALID;
            }
            case 22 -> headers.add("Authorization: Bearer " + t + "\u0000");
            default -> headers.add("Authorization: Bearer \"" + t + "\"");
        }
        d.authHeaders = headers;
        d.auth = auth;
        return d;
    }

    private Draft rawSocket(Random r, Auth auth) {
        Endpoint e = pick(r, endpoints(r, auth, false));
        Draft d = Draft.of(e.method, e.path);
        bodyFor(r, d, e, auth);
        d.halfClose = true;
        String auths = String.join("", authHeaders(r, auth).stream().map(h -> h + "\r\n").toList());
        String host = "Host: 127.0.0.1\r\n";
        String target = e.path;
        switch (r.nextInt(20)) {
            case 0 -> d.raw = ascii(pick(r, new String[]{"G", "GET", "GET ", "GET " + target, "GET " + target + " HTTP/1.",
                    "GET " + target + " HTTP/1.1\r\n" + host + auths, "PUT " + target + " HTTP/1.1\r\nContent-Le"}));
            case 1 -> d.raw = ascii("PUT " + target + " HTTP/1.1\r\n" + host + auths + "Content-Type: application/json\r\nContent-Length: "
                    + (20 + r.nextInt(1000)) + "\r\nConnection: close\r\n\r\n{\"va");
            case 2 -> d.raw = ascii("PUT " + target + " HTTP/1.1\r\n" + host + auths + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n" + pick(r, new String[]{"zz\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n",
                    "FFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n", "2\r\n{}0\r\n\r\n", "2;" + "e".repeat(10_000) + "\r\n{}\r\n0\r\n\r\n",
                    "2\r\n{}\r\n", "5\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\nX-Trailer-Without-Colon\r\n\r\n", "0x2\r\n{}\r\n0\r\n\r\n",
                    "2 \r\n{}\r\n0\r\n\r\n", "\r\n", "0\r\n\r\nGET / HTTP/1.1\r\n\r\n"}));
            case 3 -> d.raw = ascii("PUT " + target + " HTTP/1.1\r\n" + host + auths + "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
            case 4 -> d.raw = ascii("PUT " + target + " HTTP/1.1\r\n" + host + auths + "Content-Type: application/json\r\nTransfer-Encoding: "
                    + pick(r, new String[]{"gzip", "identity", "chunked, chunked", "xchunked", "chunked, gzip", "gzip, chunked", " chunked", "CHUNKED"})
                    + "\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
            case 5 -> d.raw = ascii(pick(r, new String[]{"GET /\r\n", "GET " + target + "\r\n", "GET\r\n", "GET " + target + "\r\n\r\n"}));
            case 6 -> d.raw = ascii(e.method + " " + target + " " + pick(r, new String[]{"HTTP/2.0", "HTTP/1.2", "HTTP/9.9", "HTTP/1", "HTTPS/1.1",
                    "http/1.1", "HTTP/1.1 extra", "HTTP/01.1", "HTTP/1.10", "HTTP/3"}) + "\r\n" + host + auths + "Connection: close\r\n\r\n");
            case 7 -> d.raw = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            case 8 -> {
                byte[] garbage = new byte[1 + r.nextInt(2_000)];
                r.nextBytes(garbage);
                d.raw = garbage;
            }
            case 9 -> d.raw = new byte[]{0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, 0x00, 0x01, 0x02};
            case 10 -> d.extraHeaders.add("X-Big: " + "b".repeat(9_000 + r.nextInt(60_000)));
            case 11 -> {
                for (int i = 0; i < 200 + r.nextInt(400); i++) {
                    d.extraHeaders.add("X-H" + i + ": v");
                }
            }
            case 12 -> d.extraHeaders.add(pick(r, new String[]{"X Space: v", "NoColon", "X-Nul: a\u0000b", ": empty-name", "X-Ctl: a\u0001b",
                    "X-8bit: \u00ff\u00fe", "(X): v", "X-Fold: a\r\n b", "X-Del: \u007f"}));
            case 13 -> d.raw = ascii(e.method + " " + target + " HTTP/1.1\n" + host.replace("\r\n", "\n") + auths.replace("\r\n", "\n")
                    + "Connection: close\n\n");
            case 14 -> d.raw = ascii(e.method + " " + target + " HTTP/1.1\r" + host.replace("\r\n", "\r") + auths + "Connection: close\r\n\r\n");
            case 15 -> d.raw = ascii("GET " + target + " HTTP/1.1\r\n" + auths + "Connection: close\r\n\r\n"); // no Host
            case 16 -> d.extraHeaders.add(pick(r, new String[]{"Host: second", "Host: a b", "Host: [::1", "Host: x:y:z", "Host: " + "h".repeat(5_000)}));
            case 17 -> d.extraHeaders.add(pick(r, new String[]{"Expect: 100-continue", "Expect: foo", "Expect: 100-continue, foo"}));
            case 18 -> d.raw = ascii("\r\n\r\n\r\n" + e.method + " " + target + " HTTP/1.1\r\n" + host + auths + "Connection: close\r\n\r\n");
            default -> d.raw = ascii(pick(r, new String[]{"\r\n\r\n", " ", "\u0000\u0000\u0000\u0000", "GET  " + target + "  HTTP/1.1\r\n\r\n",
                    "GET\t" + target + "\tHTTP/1.1\r\n" + host + "\r\n", "GET " + target + " HTTP/1.1 \r\n" + host + "\r\n",
                    " GET " + target + " HTTP/1.1\r\n" + host + "\r\n", "GET " + target + "HTTP/1.1\r\n\r\n"}));
        }
        return d;
    }

    // ---------------------------------------------------------------- endpoints

    /** Endpoints that read a body. With the valid token: fuzz names only, and membership only with non-JSON. */
    private List<Endpoint> bodyEndpoints(Random r, Auth auth) {
        String key = "/v1/kv/fuzz/" + name(r);
        String instance = "/v1/services/fuzz-" + name(r) + "/instances/i" + r.nextInt(5);
        String memberId = hex16(r);
        return List.of(
                new Endpoint("PUT", key, Body.KV, false),
                new Endpoint("PUT", key, Body.KV, false),
                new Endpoint("PUT", instance, Body.INSTANCE, false),
                new Endpoint("PUT", instance, Body.INSTANCE, false),
                new Endpoint("PATCH", instance, Body.PATCH, false),
                new Endpoint("POST", "/v1/leases", Body.LEASE, false),
                new Endpoint("POST", "/v1/members", Body.MEMBER_ADD, true),
                new Endpoint("PUT", "/v1/members/" + memberId, Body.MEMBER_UPDATE, true));
    }

    /**
     * Every API family. With the valid token, paths name only fuzz keys, fuzz services and unprotected
     * leases, and no membership change is among them.
     */
    private List<Endpoint> endpoints(Random r, Auth auth, boolean withQueries) {
        String key = "/v1/kv/fuzz/" + name(r);
        String service = "fuzz-" + name(r);
        String instance = "/v1/services/" + service + "/instances/i" + r.nextInt(5);
        String lease = lease(r, auth);
        List<Endpoint> all = new ArrayList<>(List.of(
                new Endpoint("GET", key, Body.NONE, false),
                new Endpoint("PUT", key, Body.KV, false),
                new Endpoint("DELETE", key, Body.NONE, false),
                new Endpoint("GET", "/v1/kv/" + (r.nextBoolean() ? "seed/alpha" : "fuzz/"), Body.NONE, false),
                new Endpoint("GET", "/v1/services", Body.NONE, false),
                new Endpoint("GET", "/v1/services/" + (r.nextBoolean() ? service : "seeded") + "/instances", Body.NONE, false),
                new Endpoint("GET", instance, Body.NONE, false),
                new Endpoint("PUT", instance, Body.INSTANCE, false),
                new Endpoint("PATCH", instance, Body.PATCH, false),
                new Endpoint("DELETE", instance, Body.NONE, false),
                new Endpoint("PUT", instance + "/heartbeat", Body.NONE, false),
                new Endpoint("POST", "/v1/leases", Body.LEASE, false),
                new Endpoint("GET", "/v1/leases/" + lease, Body.NONE, false),
                new Endpoint("PUT", "/v1/leases/" + lease + "/keepalive", Body.NONE, false),
                new Endpoint("DELETE", "/v1/leases/" + lease, Body.NONE, false),
                new Endpoint("GET", "/v1/watch/kv/fuzz/" + name(r), Body.NONE, false),
                new Endpoint("GET", "/v1/watch/services", Body.NONE, false),
                new Endpoint("GET", "/v1/watch/services/" + service, Body.NONE, false),
                new Endpoint("GET", "/v1/members", Body.NONE, false),
                new Endpoint("GET", "/v1/status", Body.NONE, false),
                new Endpoint("GET", "/v1/status/members", Body.NONE, false),
                new Endpoint("GET", "/v1/snapshot", Body.NONE, false),
                new Endpoint("GET", pick(r, new String[]{"/actuator", "/actuator/health", "/actuator/health/readiness",
                        "/actuator/health/liveness", "/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used",
                        "/actuator/info", "/actuator/env", "/actuator/shutdown"}), Body.NONE, false),
                new Endpoint(r.nextBoolean() ? "GET" : "POST", "/error", Body.NONE, false),
                new Endpoint("GET", pick(r, new String[]{"/", "/v1", "/v1/", "/nope", "/v3/api-docs", "/swagger-ui.html", "/v3/api-docs/swagger-config",
                        "/swagger-ui/index.html", "/favicon.ico", "/ui", "/ui/", "/ui/app.js", "/ui/index.html"}), Body.NONE, false)));
        if (withQueries && auth == Auth.VALID) {
            all.add(new Endpoint("DELETE", "/v1/kv/fuzz/" + name(r), Body.NONE, false));
        }
        if (auth != Auth.VALID) {
            String id = hex16(r);
            all.add(new Endpoint("POST", "/v1/members", Body.MEMBER_ADD, true));
            all.add(new Endpoint("PUT", "/v1/members/" + id, Body.MEMBER_UPDATE, true));
            all.add(new Endpoint("DELETE", "/v1/members/" + id, Body.NONE, true));
            all.add(new Endpoint("POST", "/v1/members/" + id + "/promote", Body.NONE, true));
            all.add(new Endpoint("POST", "/v1/members/" + id + "/transfer-leadership", Body.NONE, true));
            all.add(new Endpoint("PUT", "/v1/kv/seed/alpha", Body.KV, false));
            all.add(new Endpoint("DELETE", "/v1/services/seeded/instances/seeded-1", Body.NONE, false));
            all.add(new Endpoint("PATCH", "/v1/services/seeded/instances/seeded-2", Body.PATCH, false));
        }
        return all;
    }

    /** A plausible body for an endpoint, so that the request's other oddity is what gets tested. */
    private void bodyFor(Random r, Draft d, Endpoint e, Auth auth) {
        String json = switch (e.body) {
            case NONE -> null;
            case KV -> "{\"value\":\"fuzz-" + r.nextInt(1000) + "\"}";
            case INSTANCE -> "{\"host\":\"10.0.0." + r.nextInt(255) + "\",\"port\":" + (1 + r.nextInt(65535)) + ",\"ttlSeconds\":" + (1 + r.nextInt(30)) + "}";
            case PATCH -> "{\"weight\":" + r.nextInt(100) + "}";
            case LEASE -> "{\"ttlSeconds\":" + (1 + r.nextInt(20)) + "}";
            case MEMBER_ADD -> auth == Auth.VALID ? pick(r, NOT_JSON) : LEARNER;
            case MEMBER_UPDATE -> auth == Auth.VALID ? pick(r, NOT_JSON) : "{\"peerUrls\":[\"http://127.0.0.1:1\"]}";
        };
        if (json != null) {
            d.body(ascii(json));
            d.contentType("application/json");
        }
    }

    private static void contentTypes(Random r, Draft d) {
        if (d.body == null) {
            d.body(ascii("{\"value\":\"x\"}"));
        }
        d.contentTypes.clear();
        switch (r.nextInt(5)) {
            case 0 -> d.contentType(pick(r, new String[]{"text/plain", "application/xml", "application/yaml", "application/x-yaml", "text/yaml",
                    "application/cbor", "application/x-www-form-urlencoded", "application/octet-stream", "text/html", "*/*", "application/*",
                    "application/problem+json", "application/merge-patch+json", "application/json-patch+json", "text/json", "application/x-ndjson"}));
            case 1 -> {
                String boundary = "b" + r.nextInt(1000);
                d.contentType("multipart/form-data; boundary=" + boundary);
                d.body(ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\nx\r\n--" + boundary + "--\r\n"));
            }
            case 2 -> d.contentType(pick(r, new String[]{"application/json; charset=utf-16", "application/json; charset=bogus", "application/json;;",
                    "application/", "/json", "json", ";", "application/json, text/plain", "application/json; charset", "application/json; =x",
                    "application/json; charset=\"", "application/json\u0000", "application /json", "application/json; q=x", "\u00e9/\u00e9", ""}));
            case 3 -> {
                d.contentType("application/json");
                d.contentType(pick(r, new String[]{"application/json", "text/plain", "application/xml"}));
            }
            default -> d.extraHeaders.add("Accept: " + pick(r, new String[]{";;;", "application/", "*/*;q=x", "text/html", "application/xml",
                    "application/json;q=0", "text/event-stream", "/", "a/b/c", "application/json, ", "\u00e9", "*/*;q=1.5", "application/x-yaml"}));
        }
    }

    private static String trickPath(Random r, String path, Auth auth) {
        boolean fuzzOnly = auth == Auth.VALID;
        int fuzz = path.indexOf("/fuzz/") >= 0 ? path.indexOf("/fuzz/") + 6 : path.indexOf("/fuzz-") >= 0 ? path.indexOf('/', path.indexOf("/fuzz-") + 1) + 1 : -1;
        String tail = fuzz > 0 && fuzz <= path.length() ? path.substring(fuzz) : "x";
        String head = fuzz > 0 && fuzz <= path.length() ? path.substring(0, fuzz) : path + "/";
        return switch (r.nextInt(26)) {
            case 0 -> path.replaceFirst("^/v1", "/%761");
            case 1 -> path.replaceFirst("^/v1", "/v%31");
            case 2 -> path.replaceFirst("^/v1", "/%76%31");
            case 3 -> path.replaceFirst("^/v1", "/v1;x=1");
            case 4 -> path.replaceFirst("^/v1", "/v1;");
            case 5 -> path + pick(r, new String[]{";x=1", ";", ";jsessionid=1", ";b=c"});
            case 6 -> fuzzOnly ? head + "./" + tail : path.replaceFirst("^/v1/", "/v1/./");
            case 7 -> fuzzOnly ? head + "a/../" + tail : pick(r, new String[]{"/v1/kv/../members", "/v1/x/../kv/seed/alpha", "/../v1/status",
                    "/v1/kv/seed/../../services/seeded/instances/seeded-1", "/actuator/health/readiness/../../env", "/actuator/health/readiness/.."});
            case 8 -> head.replaceFirst("/$", "%2F") + tail;
            case 9 -> head + "a%2fb" + tail;
            case 10 -> head + (fuzzOnly ? "a/" : "") + pick(r, new String[]{"%2e/", "%2e%2e/", "%2E%2E/", ".%2e/", "%2e%2e%2f", "..%2f", "..;/", "%2e"}) + tail;
            case 11 -> path.replace("/", "//");
            case 12 -> head + "/" + tail;
            case 13 -> head + "o".repeat(1_000 + r.nextInt(20_000));
            case 14 -> head + "o/".repeat(500 + r.nextInt(5_000)) + tail;
            case 15 -> path + "%";
            case 16 -> path + pick(r, new String[]{"%ZZ", "%Z", "%4", "%%", "%u0041", "%-1", "%+1"});
            case 17 -> head + "a\\b" + tail;
            case 18 -> path + "#frag";
            case 19 -> "http://127.0.0.1" + path;
            case 20 -> pick(r, new String[]{"*", "", "?", "v1/status", "http://", "//127.0.0.1/v1/status", "/\u0000"});
            case 21 -> path.toUpperCase();
            case 22 -> path + "/";
            case 23 -> path.replaceFirst("/kv/", "/%6Bv/").replaceFirst("/services/", "/%73ervices/").replaceFirst("/actuator", "/%61ctuator");
            case 24 -> path.replaceFirst("^/actuator/prometheus$", "/actuator/%70rometheus").replaceFirst("^/v1/", "/V1/");
            default -> head + pick(r, new String[]{"%41", "%7E", "%2D", "%5F", "%2E", "%30"}) + tail;
        };
    }

    // ---------------------------------------------------------------- bodies

    private static String[] invalidJson(Body body) {
        String good = exampleBody(body);
        return new String[]{"{", "}", "[", "nul", "tru", good.substring(0, good.length() / 2), good + "}", good + " xyz", good + good,
                "{'value':'x'}", "{\"value\":}", "{\"value\":\"x\",}", "{\"value\":\"\\x\"}", "{\"value\":\"\\uZZZZ\"}",
                "/* c */" + good, "// c\n" + good, "\ufeff" + good, "{\"value\" \"x\"}", "{value:\"x\"}", "{\"value\":\"x\"", "\"", "{\"a\":01}",
                "{\"port\":0x50}", "{,}", "{\"value\":\"x\"]", "[]]", " ", "\t\n"};
    }

    private static String[] wrongTypes(Body body) {
        return switch (body) {
            case KV -> new String[]{"{\"value\":1}", "{\"value\":true}", "{\"value\":{\"a\":1}}", "{\"value\":[\"x\"]}", "{\"value\":null}",
                    "{\"value\":\"x\",\"lease\":1}", "{\"value\":\"x\",\"lease\":\"nope\"}", "{\"value\":\"x\",\"prevRevision\":\"1\"}",
                    "{\"value\":\"x\",\"prevRevision\":true}", "{\"value\":\"x\",\"unknown\":1}", "[]", "\"str\"", "null", "1", "{}",
                    "{\"value\":\"x\",\"value\":\"y\"}", "{\"value\":\"x\",\"lease\":\"0000000000000000\"}", "{\"value\":\"x\",\"lease\":\"ffffffffffffffff\"}"};
            case INSTANCE -> new String[]{"{\"host\":123,\"port\":\"80\"}", "{\"host\":\"h\",\"port\":true}", "{\"host\":\"h\",\"port\":80,\"metadata\":[1]}",
                    "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":null}}", "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":1}}",
                    "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":{\"a\":1}}}", "{\"host\":\"h\",\"port\":80,\"status\":1}",
                    "{\"host\":\"h\",\"port\":80,\"status\":\"SIDEWAYS\"}", "{\"host\":\"h\",\"port\":80,\"secure\":\"yes\"}",
                    "{\"host\":\"h\",\"port\":80,\"secure\":1}", "{\"host\":null,\"port\":null}", "{\"host\":\"h\"}", "{\"port\":80}",
                    "{\"host\":\"\",\"port\":80}", "{\"host\":\"h\",\"port\":80,\"zone\":[]}", "{\"host\":\"h\",\"port\":80,\"weight\":\"1\"}",
                    "{\"host\":\"h\",\"port\":80,\"ttlSeconds\":\"5\"}", "{\"host\":[\"h\"],\"port\":80}", "[]", "\"str\"", "null", "{}",
                    "{\"host\":\"h\",\"port\":80,\"metadata\":null}", "{\"host\":\"h\",\"port\":80,\"unknown\":{}}"};
            case PATCH -> new String[]{"{\"weight\":\"1\"}", "{\"weight\":null}", "{\"status\":1}", "{\"status\":\"SIDEWAYS\"}", "{\"metadata\":[]}",
                    "{\"metadata\":{\"k\":null}}", "{\"metadata\":\"k=v\"}", "[]", "null", "{}", "{\"weight\":true}", "{\"host\":\"h\"}"};
            case LEASE -> new String[]{"{\"ttlSeconds\":\"10\"}", "{\"ttlSeconds\":true}", "{\"ttlSeconds\":null}", "{\"ttlSeconds\":[10]}",
                    "{\"ttlSeconds\":{}}", "{}", "[]", "null", "10", "{\"ttl\":10}"};
            default -> new String[]{"{\"name\":1,\"peerUrls\":[\"http://127.0.0.1:1\"],\"isLearner\":true}",
                    "{\"name\":\"n\",\"peerUrls\":\"http://127.0.0.1:1\",\"isLearner\":true}", "{\"name\":\"n\",\"peerUrls\":[1],\"isLearner\":true}",
                    "{\"name\":\"n\",\"peerUrls\":[\"http://127.0.0.1:1\"],\"isLearner\":\"yes\"}", "{\"peerUrls\":[\"http://127.0.0.1:2380/\\u0000\"],\"name\":\"x\",\"isLearner\":true}",
                    "{\"peerUrls\":null}", "[]", "null", "{}"};
        };
    }

    private static String numbers(Random r, Body body) {
        String n = pick(r, new String[]{"99999999999999999999999999", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
                "1e400", "-1e400", "1.5", "1e2", "NaN", "Infinity", "-Infinity", "-0", "0x10", "00012", "\"12\"", "+1", ".5", "2147483648",
                "-2147483649", "0", "65536", "1".repeat(1_000 + r.nextInt(10_000)), "1e-400", "1E9", "4.9e-324", "-"});
        return switch (body) {
            case KV -> "{\"value\":\"x\",\"prevRevision\":" + n + "}";
            case INSTANCE -> pick(r, new String[]{"{\"host\":\"h\",\"port\":%s}", "{\"host\":\"h\",\"port\":80,\"weight\":%s}",
                    "{\"host\":\"h\",\"port\":80,\"ttlSeconds\":%s}"}).replace("%s", n);
            case PATCH -> "{\"weight\":" + n + "}";
            case LEASE -> "{\"ttlSeconds\":" + n + "}";
            default -> "{\"name\":" + n + ",\"peerUrls\":[\"http://127.0.0.1:1\"],\"isLearner\":true}";
        };
    }

    private static String deep(Random r, Body body) {
        int depth = 1_000 + r.nextInt(20_000);
        boolean close = r.nextBoolean();
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        String shut = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + (open.equals("[") ? "" : "1") + (close ? shut.repeat(depth) : "");
        return switch (body) {
            case KV -> "{\"value\":" + nested + "}";
            case INSTANCE -> "{\"host\":\"h\",\"port\":80,\"metadata\":" + nested + "}";
            case PATCH -> "{\"metadata\":" + nested + "}";
            case LEASE -> "{\"ttlSeconds\":" + nested + "}";
            default -> nested;
        };
    }

    /** Over the 2 MB body limit: announced by Content-Length, or sent chunked with none. */
    private static void oversized(Random r, Draft d, Body body) {
        int size = 2 * 1024 * 1024 + 1 + r.nextInt(512 * 1024);
        String prefix = body == Body.KV ? "{\"value\":\"" : "{\"host\":\"";
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) 'a');
        System.arraycopy(ascii(prefix), 0, bytes, 0, prefix.length());
        bytes[size - 2] = '"';
        bytes[size - 1] = '}';
        d.body(bytes);
        d.chunked = r.nextBoolean();
    }

    private static String exampleBody(Body body) {
        return switch (body) {
            case KV -> "{\"value\":\"x\"}";
            case INSTANCE -> "{\"host\":\"h\",\"port\":80}";
            case PATCH -> "{\"weight\":1}";
            case LEASE -> "{\"ttlSeconds\":5}";
            default -> LEARNER;
        };
    }

    // ---------------------------------------------------------------- helpers

    private List<String> authHeaders(Random r, Auth auth) {
        return switch (auth) {
            case VALID -> List.of("Authorization: Bearer " + token);
            case NONE -> List.of();
            case INVALID -> List.of(pick(r, new String[]{"Authorization: Bearer not-the-token-0123456789", "Authorization: Basic dXNlcjpwYXNz",
                    "Authorization: " + token, "Authorization: Bearer " + token + "x", "Authorization: Bearer", "Authorization: Bearer " + token.substring(1)}));
        };
    }

    private String lease(Random r, Auth auth) {
        String id = switch (r.nextInt(4)) {
            case 0 -> hex16(r);
            case 1 -> String.format("%016x", 1 + r.nextInt(64));
            case 2 -> pick(r, new String[]{"abc", "-1", "0000000000000000", "ffffffffffffffff", "fffffffffffffffff", "0x0000000000000001",
                    "GGGGGGGGGGGGGGGG", "1"});
            default -> String.format("%016x", r.nextLong() >>> 1);
        };
        if (auth == Auth.VALID && protectedLeases.contains(id)) {
            return "ffffffffffffffff";
        }
        return id;
    }

    private static String name(Random r) {
        return pick(r, new String[]{"a", "b", "c", "config/db", "x-" + r.nextInt(100), "deep/er/key", "k" + r.nextInt(10)});
    }

    private static String hex16(Random r) {
        return String.format("%016x", r.nextLong());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static <T> T pick(Random r, T[] options) {
        return options[r.nextInt(options.length)];
    }

    private static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static byte[] pickBytes(Random r, byte[][] options) {
        return options[r.nextInt(options.length)];
    }

    /** A request being built; {@code raw}, when set, is sent as it is. */
    private static final class Draft {
        String method;
        String target;
        final List<String> contentTypes = new ArrayList<>();
        final List<String> extraHeaders = new ArrayList<>();
        List<String> authHeaders;
        Auth auth;
        byte[] body;
        boolean omitLength;
        boolean chunked;
        boolean halfClose;
        byte[] raw;

        static Draft of(String method, String target) {
            Draft d = new Draft();
            d.method = method;
            d.target = target;
            return d;
        }

        void body(byte[] body) {
            this.body = body;
        }

        void contentType(String contentType) {
            contentTypes.add(contentType);
        }

        String pathOnly() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        byte[] build() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1\r\n");
            for (String header : authHeaders) {
                head.append(header).append("\r\n");
            }
            for (String contentType : contentTypes) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            for (String header : extraHeaders) {
                head.append(header).append("\r\n");
            }
            if (body != null && chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (body != null && !omitLength) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.writeBytes(ascii(head.toString()));
            if (body != null && chunked) {
                for (int i = 0; i < body.length; i += 65_536) {
                    int n = Math.min(65_536, body.length - i);
                    out.writeBytes(ascii(Integer.toHexString(n) + "\r\n"));
                    out.write(body, i, n);
                    out.writeBytes(ascii("\r\n"));
                }
                out.writeBytes(ascii("0\r\n\r\n"));
            } else if (body != null) {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }
    }
}
