package io.roster.testing;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Firefox driven over WebDriver BiDi, the protocol built into Firefox, for the console's tests.
 * Debian packages no geckodriver and nothing here may download one, so this speaks BiDi itself: Firefox is
 * started with {@code --remote-debugging-port 0} on a fresh temporary profile, says on its output which port
 * it took ({@code WebDriver BiDi listening on ws://127.0.0.1:<port>}), and this opens a WebSocket to
 * {@code /session} there. Firefox is Debian's {@code firefox-esr}, found (or installed, as root on Debian)
 * by {@code scripts/firefox.sh}; a test that {@link #open()}s one where none can be had is skipped with the
 * script's reason. One per test class: starting Firefox is the slow part.
 *
 * <p>It offers what the console's tests need and no more: {@link #navigate}, {@link #reload}, a script with
 * arguments whose (awaited) result comes back as JSON ({@link #script}), the text of a selector, axe-core,
 * and the page's uncaught errors. {@link #close()} ends Firefox and every process it started and deletes the
 * profile.
 */
public final class FirefoxBidi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FirefoxBidi.class);

    /** Firefox's first start on a new profile, on a loaded 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Any one command; a navigation waits for the page's load event, axe-core for its whole run. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int OUTPUT_LINES_KEPT = 40;

    private static BrowserSetup setup;

    private final Process process;
    private final Path profile;
    private final Deque<String> output;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private WebSocket socket;
    private String context;
    private String version;

    private FirefoxBidi(Process process, Path profile, Deque<String> output) {
        this.process = process;
        this.profile = profile;
        this.output = output;
    }

    /** A fresh headless Firefox with a 1280×900 viewport; skips the calling test when there is no Firefox here. */
    public static FirefoxBidi open() {
        BrowserSetup installed = located();
        String unavailable = installed.unavailable();
        String firefox = installed.settings().get("ROSTER_FIREFOX");
        if (unavailable != null) {
            // Surefire counts a class skipped in @BeforeAll as "Tests run: 0" without the reason; say it here too.
            log.warn("skipped, no Firefox: {}", unavailable);
        }
        Assumptions.assumeTrue(unavailable == null, () -> "no Firefox, so this Firefox test is skipped: " + unavailable);
        Path profile;
        try {
            profile = Files.createTempDirectory("roster-firefox");
            Files.createDirectories(profile.resolve("home"));
            // The remote agent applies its recommended automation preferences itself (remote.prefs.recommended);
            // these only keep a throwaway profile from reaching for the network or restoring a session.
            Files.writeString(profile.resolve("user.js"), """
                    user_pref("browser.shell.checkDefaultBrowser", false);
                    user_pref("browser.startup.page", 0);
                    user_pref("browser.sessionstore.resume_from_crash", false);
                    user_pref("app.update.disabledForTesting", true);
                    user_pref("datareporting.policy.dataSubmissionEnabled", false);
                    user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(firefox, "--headless", "--no-remote", "--profile", profile.toString(),
                "--remote-debugging-port", "0", "about:blank").redirectErrorStream(true);
        builder.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
        // Firefox also writes beside the profile (~/.config/mozilla, ~/.cache/mozilla, ~/Downloads): a home
        // inside the temporary profile, so the test leaves nothing behind in the user's.
        Path home = profile.resolve("home");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        builder.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        builder.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        Deque<String> output = new ArrayDeque<>();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            FileSystemUtils.deleteRecursively(profile.toFile());
            throw new UncheckedIOException("cannot start " + firefox, e);
        }
        FirefoxBidi browser = new FirefoxBidi(process, profile, output);
        try {
            Thread reader = new Thread(() -> readOutput(process, output, listening), "firefox-output");
            reader.setDaemon(true);
            reader.start();
            String endpoint = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            browser.connect(URI.create(endpoint + "/session"));
            return browser;
        } catch (TimeoutException e) {
            browser.close();
            throw new IllegalStateException("Firefox did not open its WebDriver BiDi port within " + START_TIMEOUT + "; it said:\n"
                    + browser.outputTail());
        } catch (ExecutionException e) {
            browser.close();
            throw new IllegalStateException(e.getCause().getMessage() + "; it said:\n" + browser.outputTail(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            browser.close();
            throw new IllegalStateException("interrupted while starting Firefox", e);
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    /** Firefox's stdout and stderr: the line naming the BiDi endpoint, and the last lines kept for errors. */
    private static void readOutput(Process process, Deque<String> output, CompletableFuture<String> listening) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > OUTPUT_LINES_KEPT) {
                        output.removeFirst();
                    }
                }
                Matcher found = LISTENING.matcher(line);
                if (found.find()) {
                    listening.complete(found.group(1));
                }
            }
        } catch (IOException e) {
            // The process ended; what it said is kept.
        }
        listening.completeExceptionally(new IllegalStateException("Firefox exited (status "
                + (process.isAlive() ? "unknown" : process.exitValue()) + ") before opening its WebDriver BiDi port"));
    }

    private String outputTail() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private void connect(URI endpoint) throws InterruptedException, ExecutionException, TimeoutException {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, new Listener()).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode session = command("session.new", Map.of("capabilities", Map.of()));
        version = session.path("capabilities").path("browserName").asString() + " "
                + session.path("capabilities").path("browserVersion").asString();
        command("session.subscribe", Map.of("events", List.of("log.entryAdded")));
        context = command("browsingContext.getTree", Map.of("maxDepth", 0)).path("contexts").path(0).path("context").asString();
        command("browsingContext.setViewport", Map.of("context", context, "viewport", Map.of("width", 1280, "height", 900)));
    }

    private static synchronized BrowserSetup located() {
        if (setup == null) {
            setup = BrowserSetup.run("firefox.sh", "ROSTER_FIREFOX");
        }
        return setup;
    }

    /** "firefox 153.8.0", as the browser reports itself in its session. */
    public String version() {
        return version;
    }

    /** Opens the URL and waits for the page's load event (for a change of the hash alone, for the change). */
    public void navigate(String url) {
        command("browsingContext.navigate", Map.of("context", context, "url", url, "wait", "complete"));
    }

    /** Reloads the page and waits for its load event. */
    public void reload() {
        command("browsingContext.reload", Map.of("context", context, "wait", "complete"));
    }

    /**
     * Runs {@code body} as the body of an async function in the page, with {@code args} (strings, numbers,
     * booleans, null) as {@code arguments}, as Selenium's executeScript does, and answers what it returns
     * once any promise settles, as JSON (a missing value is JSON null). A thrown error fails the call with
     * the page's message.
     */
    public JsonNode script(String body, Object... args) {
        ArrayNode arguments = JSON.createArrayNode();
        for (Object arg : args) {
            arguments.add(localValue(arg));
        }
        ObjectNode params = JSON.createObjectNode();
        params.put("functionDeclaration", "async function () { const value = await (async function () {\n" + body
                + "\n}).apply(this, arguments); return JSON.stringify(value === undefined ? null : value); }");
        params.set("arguments", arguments);
        params.put("awaitPromise", true);
        params.put("resultOwnership", "none");
        params.set("target", JSON.createObjectNode().put("context", context));
        JsonNode answer = command("script.callFunction", params);
        if (!"success".equals(answer.path("type").asString())) {
            JsonNode details = answer.path("exceptionDetails");
            throw new IllegalStateException("the script threw: " + details.path("text").asString()
                    + " (line " + details.path("lineNumber").asInt() + ")");
        }
        return JSON.readTree(answer.path("result").path("value").asString());
    }

    private static JsonNode localValue(Object arg) {
        ObjectNode value = JSON.createObjectNode();
        if (arg == null) {
            return value.put("type", "null");
        } else if (arg instanceof String text) {
            return value.put("type", "string").put("value", text);
        } else if (arg instanceof Boolean flag) {
            return value.put("type", "boolean").put("value", flag);
        } else if (arg instanceof Number number) {
            return value.put("type", "number").put("value", number.doubleValue());
        }
        throw new IllegalArgumentException("only strings, numbers, booleans and null go to the page: " + arg);
    }

    /**
     * The first matching element's text, trimmed, or null when there is none (yet): read in the page, so a
     * row the console just redrew is never stale. For awaitility conditions.
     */
    public String text(String css) {
        JsonNode text = script("const found = document.querySelector(arguments[0]); return found ? found.textContent.trim() : null;", css);
        return text.isNull() ? null : text.asString();
    }

    /** Whether the element exists and is not hidden. */
    public boolean shown(String css) {
        return script("const found = document.querySelector(arguments[0]); return !!found && !found.closest('[hidden]');", css).asBoolean();
    }

    /** Clicks the first matching element, as a user's click does (a button's handler, a form's submit). */
    public void click(String css) {
        script("const found = document.querySelector(arguments[0]); if (!found) throw new Error('nothing matches ' + arguments[0]); found.click();", css);
    }

    /** Types into a field: sets its value and fires the input event the page listens to. */
    public void fill(String css, String value) {
        script("""
                const field = document.querySelector(arguments[0]);
                if (!field) throw new Error('nothing matches ' + arguments[0]);
                field.focus();
                field.value = arguments[1];
                field.dispatchEvent(new Event('input', { bubbles: true }));
                """, css, value);
    }

    /**
     * Runs axe-core on the page as it is now and answers its serious and critical violations, each as
     * "rule [impact]: help (targets)"; an empty list is a pass.
     */
    public List<String> seriousAccessibilityViolations() {
        if (!script("return typeof window.axe === 'object'").asBoolean()) {
            ObjectNode params = JSON.createObjectNode();
            params.put("expression", ConsoleBrowser.axeSource() + "\n;undefined");
            params.put("awaitPromise", false);
            params.put("resultOwnership", "none");
            params.set("target", JSON.createObjectNode().put("context", context));
            JsonNode loaded = command("script.evaluate", params);
            if (!"success".equals(loaded.path("type").asString())) {
                throw new IllegalStateException("axe-core did not load: " + loaded.path("exceptionDetails").path("text").asString());
            }
        }
        JsonNode violations = script("""
                const results = await axe.run(document, { resultTypes: ['violations'] });
                return results.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' [' + v.impact + ']: ' + v.help + ' ' + JSON.stringify(v.nodes.map(n => n.target)));
                """);
        List<String> found = new ArrayList<>();
        violations.forEach(violation -> found.add(violation.asString()));
        return found;
    }

    /** Every uncaught error and console.error the page logged since the browser opened or the last {@link #clearPageErrors()}. */
    public List<String> pageErrors() {
        return List.copyOf(pageErrors);
    }

    public void clearPageErrors() {
        pageErrors.clear();
    }

    /** Sends one BiDi command and answers its result, or fails with Firefox's error. */
    private JsonNode command(String method, Object params) {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (this) {
                // One message at a time: a WebSocket may not send the next before the last is sent.
                socket.sendText(JSON.writeValueAsString(message), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if ("error".equals(reply.path("type").asString())) {
                throw new IllegalStateException(method + " failed: " + reply.path("error").asString() + ": " + reply.path("message").asString());
            }
            return reply.path("result");
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + " had no answer within " + COMMAND_TIMEOUT);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Routes each answer to its command, and keeps the page's errors. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = JSON.readTree(partial.toString());
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> waiting = pending.get(message.path("id").asLong());
                    if (waiting != null) {
                        waiting.complete(message);
                    }
                } else if ("log.entryAdded".equals(message.path("method").asString())) {
                    JsonNode entry = message.path("params");
                    if ("error".equals(entry.path("level").asString())) {
                        pageErrors.add(entry.path("type").asString() + ": " + entry.path("text").asString());
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(new IllegalStateException("Firefox closed the WebDriver BiDi connection (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(error);
        }

        private void fail(Throwable error) {
            pending.values().forEach(waiting -> waiting.completeExceptionally(error));
        }
    }

    /** Ends Firefox and every process it started, then deletes the profile. */
    @Override
    public void close() {
        if (socket != null) {
            if (context != null) {
                try {
                    command("session.end", Map.of());
                } catch (RuntimeException e) {
                    // Ending the process below is what matters.
                }
            }
            socket.abort();
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.destroyForcibly();
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A child that will not die is the machine's problem; the profile goes all the same.
        }
        FileSystemUtils.deleteRecursively(profile.toFile());
    }
}
