package io.roster.api;

import io.roster.testing.RawHttp;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp.Reply;
import io.roster.watch.WatchHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inputs a hostile-input run found answered with 500s, HTML, or not refused at all (issue 14), one
 * test each: every one is now a 4xx problem that names what is wrong, and changes nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputRegressionTest extends RealNodeTest {

    @Autowired
    WatchHub watchHub;

    @Test
    void aQueryStringThatDoesNotDecodeIsA400ProblemAboutTheQuery() {
        for (String query : List.of("%ZZ=1", "==1", "%00=x", "a%00b=1", "revision=%C3%28", "x=%0A")) {
            RawHttp.Response answer = raw("GET", "/v1/kv/a?" + query, null);
            assertProblem(answer, 400);
            assertThat(answer.bodyText()).as(query).contains("\"field\":\"query\"");
        }
        RawHttp.Response head = raw("HEAD", "/actuator/health?%ZZ=1", null);
        assertThat(head.status()).as("HEAD on actuator with a bad query").isEqualTo(400);
    }

    @Test
    void multipartAndYamlBodiesAre415AndWriteNothing() {
        String multipart = "--b\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\nx\r\n--b--\r\n";
        for (String[] request : List.of(new String[] {"PUT", "/v1/kv/a"}, new String[] {"PUT", "/v1/services/web/instances/w1"},
                new String[] {"PATCH", "/v1/services/web/instances/w1"}, new String[] {"POST", "/v1/leases"})) {
            assertProblem(withBody(request[0], request[1], "multipart/form-data; boundary=b", multipart), 415);
            assertProblem(withBody(request[0], request[1], "application/yaml", "value: x\nhost: h\nport: 80\n"), 415);
        }
        assertThat(http.get("/v1/kv/a").status()).isEqualTo(404);
        assertThat(http.get("/v1/services/web/instances/w1").status()).isEqualTo(404);
    }

    @Test
    void aNullMetadataValueIsA400NamingTheKey() {
        Reply answer = http.put("/v1/services/web/instances/w1", "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":null}}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().get("field").asString()).isEqualTo("metadata.k");
        Reply patch = http.put("/v1/services/web/instances/w2", "{\"host\":\"h\",\"port\":80}");
        assertThat(patch.status()).isEqualTo(201);
        Reply nullPatch = http.send(HttpRequest.newBuilder(http.uri("/v1/services/web/instances/w2")).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"k\":null}}")));
        assertThat(nullPatch.status()).as(nullPatch.toString()).isEqualTo(400);
        assertThat(http.get("/v1/services/web/instances/w1").status()).isEqualTo(404);
    }

    @Test
    void wrongJsonTypesNameTheFieldAndNoJavaType() {
        String[][] cases = {
                {"{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":[]}}", "metadata.k", "must be a string"},
                {"{\"host\":\"h\",\"port\":\"80\"}", "port", "must be an integer"},
                {"{\"host\":\"h\",\"port\":80.5}", "port", "must be an integer"},
                {"{\"host\":\"h\",\"port\":99999999999}", "port", "out of range"},
                {"{\"host\":\"h\",\"port\":80,\"secure\":\"yes\"}", "secure", "true or false"},
                {"{\"host\":\"h\",\"port\":80,\"metadata\":[1]}", "metadata", "must be an object"},
                {"{\"host\":\"h\",\"port\":80", "body", "ends too early"},
                {"{\"host\":\"h\",\"port\":80} trailing", "body", "not valid JSON"},
                {"{\"ignored\":" + "[".repeat(5000), "body", "parser limit"}};
        for (String[] c : cases) {
            Reply answer = http.put("/v1/services/web/instances/w1", c[0]);
            assertThat(answer.status()).as(c[0]).isEqualTo(400);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.json().get("field").asString()).as(answer.body()).isEqualTo(c[1]);
            assertThat(answer.json().get("detail").asString()).as(answer.body()).contains(c[2]).doesNotContain("java.", "jackson", "`");
        }
        assertThat(http.get("/v1/services/web/instances/w1").status()).isEqualTo(404);
    }

    @Test
    void errorItselfIsA404Problem() {
        assertProblem(raw("GET", "/error", null), 404);
        assertProblem(raw("POST", "/error", "{}"), 404);
    }

    @Test
    void whatTheServerRefusesBeforeTheApplicationIsAProblemNotAnEmptyAnswerOrA5xx() {
        for (String request : List.of("GET /v1/kv/a%2Fb HTTP/1.1", "GET /v1/kv/a|b HTTP/1.1", "GET /../x HTTP/1.1", "GET /v1/kv/a HTTP/2.0")) {
            RawHttp.Response answer = raw().exchange((request + "\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertProblem(answer, 400);
        }
        RawHttp.Response gzip = raw().exchange(("PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(gzip, 400);
        assertThat(gzip.bodyText()).contains("Transfer-Encoding");
    }

    /**
     * Found by the fuzzer once the API ran on Reactor Netty: a target that is not a path ({@code ?}) or has a
     * fragment reached the console's redirect without credentials, a chunked body whose framing breaks got an
     * empty 400, and a Content-Type with a wildcard a 415 without a detail.
     */
    @Test
    void targetsThatAreNoPathBrokenChunksAndWildcardContentTypesAreProblems() {
        for (String request : List.of("GET ? HTTP/1.1", "GET /ui#frag HTTP/1.1", "GET * HTTP/1.1")) {
            RawHttp.Response answer = raw().exchange((request + "\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertProblem(answer, 400);
        }
        RawHttp.Response brokenChunk = raw().exchange(("PUT /v1/kv/a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(brokenChunk, 400);
        RawHttp.Response wildcard = withBody("PUT", "/v1/kv/a", "application/*", "{\"value\":\"x\"}");
        assertProblem(wildcard, 415);
        assertThat(wildcard.bodyText()).contains("application/json");
        assertThat(http.get("/v1/kv/a").status()).isEqualTo(404);
    }

    @Test
    void aHeadRequestOnAWatchEndsAndLeavesNoWatcher() {
        int before = watchHub.subscriberCount();
        for (String path : List.of("/v1/watch/services", "/v1/watch/services/web", "/v1/watch/kv/config?prefix=true")) {
            RawHttp.Response answer = raw("HEAD", path, null);
            assertThat(answer.status()).as(path).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> watchHub.subscriberCount() == before);
    }

    @Test
    void aMemberNameMustBeAStringAndAPeerUrlHasNoControlCharacters() {
        String members = http.get("/v1/members").body();
        Reply numericName = http.post("/v1/members", "{\"name\":1,\"peerUrls\":[\"http://127.0.0.1:2380\"]}");
        assertThat(numericName.status()).as(numericName.toString()).isEqualTo(400);
        assertThat(numericName.json().get("field").asString()).isEqualTo("name");
        Reply nul = http.post("/v1/members", "{\"name\":\"n9\",\"peerUrls\":[\"http://127.0.0.1:2380/\\u0000\"]}");
        assertThat(nul.status()).as(nul.toString()).isEqualTo(400);
        assertThat(nul.json().get("detail").asString()).contains("control character");
        assertThat(http.get("/v1/members").body()).isEqualTo(members);
    }

    @Test
    void aMemberWithATlsPeerUrlIsRefusedByAClusterOfPlainMembers() {
        String members = http.get("/v1/members").body();
        String memberId = http.get("/v1/status").json().get("memberId").asString();
        Reply added = http.post("/v1/members", "{\"name\":\"n9\",\"peerUrls\":[\"https://127.0.0.1:2380\"]}");
        assertThat(added.status()).as(added.toString()).isEqualTo(400);
        assertThat(added.json().get("field").asString()).isEqualTo("peerUrls");
        assertThat(added.json().get("detail").asString()).contains("members of this cluster talk plain TCP: use http://");
        Reply updated = http.put("/v1/members/" + memberId, "{\"peerUrls\":[\"https://127.0.0.1:2380\"]}");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(400);
        assertThat(http.get("/v1/members").body()).isEqualTo(members);
    }

    @Test
    void aPathParameterNeverWritesAnotherKey() {
        RawHttp.Response answer = raw("PUT", "/v1/kv/a;b=c", "{\"value\":\"x\"}");
        assertProblem(answer, 400);
        assertThat(answer.bodyText()).contains("\"field\":\"path\"");
        assertThat(http.get("/v1/kv/a").status()).isEqualTo(404);
    }

    @Test
    void aMalformedAcceptHeaderIsA400Problem() {
        RawHttp.Response answer = raw().send("GET", "/v1/kv/a", List.of("Accept: ;;;/x"), null);
        assertProblem(answer, 400);
        assertThat(answer.bodyText()).contains("Accept");
    }

    @Test
    void aClientLeavingDuringAWatchReplayIsNotLoggedAsABug(CapturedOutput output) throws Exception {
        String big = "v".repeat(60_000);
        for (int i = 0; i < 40; i++) {
            assertThat(http.put("/v1/kv/replay/k" + i, "{\"value\":\"" + big + "\"}").status()).isEqualTo(200);
        }
        int before = watchHub.subscriberCount();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(("GET /v1/watch/kv/replay/?prefix=true&revision=0 HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            in.readNBytes(1024); // the replay has started; leave in the middle of it
            socket.setSoLinger(true, 0); // a reset, as a killed client gives
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> watchHub.subscriberCount() == before);
        assertThat(output.getAll()).doesNotContain("this is a bug");
    }

    private RawHttp.Response raw(String method, String path, String json) {
        return raw().send(method, path, List.of(), json);
    }

    private RawHttp.Response withBody(String method, String path, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        byte[] request = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
        System.arraycopy(bytes, 0, request, head.length(), bytes.length);
        return raw().exchange(request);
    }

    private static void assertProblem(RawHttp.Response answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.isProblem()).as(answer.toString()).isTrue();
        assertThat(answer.bodyText()).doesNotContain("java.", "Exception", "<html");
    }

    private RawHttp raw() {
        return new RawHttp(port, java.time.Duration.ofSeconds(30));
    }
}
