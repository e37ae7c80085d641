package io.roster.console;

import io.roster.testing.ConsoleBrowser;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real headless Chromium against a real node that requires a client token: the page
 * asks for one, then lists, follows the watch live (no reload), fades out expired instances, shows the
 * leader and each member's term and indexes, refuses a conflicting key edit or delete, and passes axe-core on
 * every view. One browser for the class.
 *
 * <p>With {@code -Droster.console.screenshots=docs/images} it also saves a 1280 px PNG of each view
 * (docs/console.md).
 */
@TestPropertySource(properties = "roster.auth.tokens=" + ConsoleBrowserTest.TOKEN)
class ConsoleBrowserTest extends RealNodeTest {

    static final String TOKEN = "console-browser-test-token-0123";
    private static final Duration LIVE = Duration.ofSeconds(1);

    private static ConsoleBrowser browser;
    private RosterHttp api;
    /** Instances the test keeps alive, as a well-behaved service would (every 500 ms, TTL 2 s). */
    private final Set<String> heartbeating = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService heartbeats;

    @BeforeAll
    static void startBrowser() {
        browser = ConsoleBrowser.open();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signIn() {
        api = http.withToken(TOKEN);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(() -> heartbeating.forEach(path -> api.put(path + "/heartbeat", null)),
                0, 500, TimeUnit.MILLISECONDS);
        browser.get(url("#/services"));
        browser.script("sessionStorage.clear()");
        browser.driver().navigate().refresh();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#token-prompt"));
        browser.one("#token-input").sendKeys(TOKEN, Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.shown("#token-prompt"));
    }

    @AfterEach
    void stopHeartbeats() {
        heartbeats.shutdownNow();
    }

    @Test
    void withoutATokenThePagePromptsWithTheServersReasonAndKeepsTheTokenForTheTabOnly() {
        browser.get(url("#/cluster"));
        browser.script("sessionStorage.clear()");
        browser.driver().navigate().refresh();

        await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#token-prompt"));
        assertThat(browser.text("#token-reason")).as("the 401's detail, from the server").contains("requires a client token");
        assertThat(browser.text("#main")).as("nothing is shown without a token").isEmpty();
        assertNoSeriousAccessibilityViolations("token");

        browser.one("#token-input").sendKeys("not-the-token-but-long-enough", Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#token-prompt")
                && String.valueOf(browser.text("#token-reason")).contains("not one this member accepts"));

        browser.one("#token-input").sendKeys(TOKEN, Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#members-table tbody tr[data-member='default']") != null);
        assertThat(browser.script("return sessionStorage.getItem('roster.console.token')")).isEqualTo(TOKEN);
        assertThat(browser.script("return localStorage.length")).as("never kept beyond the tab").isEqualTo(0L);
    }

    @Test
    void instancesAppearLiveLeaveAfterTheirTtlAndChangeStatusWithoutAReload() {
        browser.get(url("#/services/shop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "Live: changes appear as they happen.".equals(browser.text("#service-live")));
        browser.script("window.notReloaded = true");

        for (String id : List.of("shop-1", "shop-2", "shop-3")) {
            register("shop", id, "eu-1a");
            await().atMost(LIVE).until(() -> browser.text(row(id) + " td:nth-child(4)") != null);
        }
        assertThat(browser.text(row("shop-2") + " td:nth-child(2)")).isEqualTo("10.0.0.2:8080");
        assertThat(browser.text("#count-total")).isEqualTo("3");

        heartbeating.remove(instance("shop", "shop-3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "expired".equals(browser.text(row("shop-3") + " td.reason")));
        assertThat(browser.one(row("shop-3")).getAttribute("class")).contains("gone");
        assertThat(browser.text("#count-total")).isEqualTo("2");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(row("shop-3")) == null);

        assertThat(api.request("PATCH", instance("shop", "shop-1"), Map.of("status", "OUT_OF_SERVICE")).status()).isEqualTo(200);
        await().atMost(LIVE).until(() -> "OUT_OF_SERVICE".equals(browser.text(row("shop-1") + " td:nth-child(4)")));
        assertThat(browser.text("#count-up")).isEqualTo("1");

        // The row's button opens every field, metadata in full; the row keeps its focus while the clock ticks.
        browser.one(row("shop-2") + " button").click();
        await().atMost(LIVE).until(() -> browser.shown("#instance-details"));
        assertThat(browser.text("#instance-details")).contains("10.0.0.2:8080").contains("metadata version").contains("1.0");
        String registered = browser.text(row("shop-2") + " td:nth-child(6)");
        await("the clock redraws the row").atMost(Duration.ofSeconds(3)).until(() -> !registered.equals(browser.text(row("shop-2") + " td:nth-child(6)")));
        assertThat(browser.script("return document.activeElement.closest('tr')?.dataset.instance")).isEqualTo("shop-2");

        assertThat(browser.script("return window.notReloaded === true")).as("the page never reloaded").isEqualTo(true);
        // No screenshot: with a TTL of 2 s the time left reads 0 or 1 s; theTimeLeftOnALeaseCountsDown... takes it.
        assertThat(browser.seriousAccessibilityViolations()).as("axe-core on the service view").isEmpty();
    }

    @Test
    void theTimeLeftOnALeaseCountsDownAndAHeartbeatRestartsIt() {
        RosterHttp.Reply registered = api.put(instance("clock", "clock-1"), RosterHttp.json(Map.of("host", "10.0.0.9", "port", 8080,
                "ttlSeconds", 30)));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        RosterHttp.Reply other = api.put(instance("clock", "clock-2"), RosterHttp.json(Map.of("host", "10.0.0.10", "port", 8080,
                "ttlSeconds", 30, "zone", "eu-1b", "metadata", Map.of("version", "1.4.2"))));
        assertThat(other.status()).as(other.toString()).isEqualTo(201);
        browser.get(url("#/services/clock"));
        String timeLeft = row("clock-1") + " td:nth-child(7)";

        int first = await("the leader's time left is shown").atMost(Duration.ofSeconds(10))
                .until(() -> secondsLeft(browser.text(timeLeft)), left -> left > 0);
        await("it counts down between readings").atMost(Duration.ofSeconds(15))
                .until(() -> secondsLeft(browser.text(timeLeft)), left -> left > 0 && left <= first - 3);

        assertThat(api.put(instance("clock", "clock-1") + "/heartbeat", null).status()).isEqualTo(200);
        await("a heartbeat restarts it, seen at the next reading").atMost(Duration.ofSeconds(15))
                .until(() -> secondsLeft(browser.text(timeLeft)), left -> left >= 28);
        // Registered before the page opened, and still the time since its registration, not since the page opened.
        assertThat(browser.text(row("clock-1") + " td:nth-child(6)")).doesNotStartWith("over").matches("\\d+ s");
        assertNoSeriousAccessibilityViolations("service");
    }

    /** The seconds of "27 of 30 s", or -1 while the cell shows something else. */
    private static int secondsLeft(String cell) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d+) of 30 s").matcher(String.valueOf(cell));
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    @Test
    void theServiceListCountsInstancesAndFiltersByNameZoneAndStatus() {
        register("orders", "orders-1", "eu-1a");
        register("orders", "orders-2", "eu-1b");
        register("billing", "billing-1", "eu-1b");
        browser.get(url("#/services"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "2".equals(browser.text(serviceRow("orders") + " .total")));
        assertThat(browser.text(serviceRow("orders") + " .up")).isEqualTo("2");

        register("orders", "orders-3", "eu-1c");
        await().atMost(LIVE).until(() -> "3".equals(browser.text(serviceRow("orders") + " .total")));
        assertThat(api.request("PATCH", instance("orders", "orders-3"), Map.of("status", "DOWN")).status()).isEqualTo(200);
        await().atMost(LIVE).until(() -> "2".equals(browser.text(serviceRow("orders") + " .up")));

        choose("#filter-zone", "eu-1c");
        await().atMost(LIVE).until(() -> browser.text(serviceRow("billing")) == null);
        assertThat(browser.text(serviceRow("orders"))).isNotNull();
        choose("#filter-zone", "");
        choose("#filter-status", "DOWN");
        await().atMost(LIVE).until(() -> browser.text(serviceRow("billing")) == null && browser.text(serviceRow("orders")) != null);
        choose("#filter-status", "");
        browser.one("#filter-name").sendKeys("bill");
        await().atMost(LIVE).until(() -> browser.text(serviceRow("orders")) == null && browser.text(serviceRow("billing")) != null);

        browser.one("#filter-name").clear();
        await().atMost(LIVE).until(() -> browser.text(serviceRow("orders")) != null);
        assertNoSeriousAccessibilityViolations("services");

        browser.one(serviceRow("billing") + " a").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(row("billing-1")) != null);
    }

    @Test
    void withUsersAndRolesItShowsOnlyWhatTheUserMaySeeAndTheServersRefusals() {
        register("payments", "payments-1", "eu-1a");
        register("inventory", "inventory-1", "eu-1a");
        api.kvPut("config/payments/db", "postgres://payments");
        api.kvPut("config/other/db", "postgres://other");
        String password = "correct horse battery";
        for (String user : List.of("root", "pay")) {
            assertThat(api.post("/v1/auth/users", RosterHttp.json(Map.of("name", user, "password", password))).status()).isEqualTo(201);
        }
        assertThat(api.put("/v1/auth/users/root/roles/root", null).status()).isEqualTo(200);
        assertThat(api.post("/v1/auth/roles", RosterHttp.json(Map.of("name", "payments"))).status()).isEqualTo(201);
        for (Map<String, String> permission : List.of(Map.of("access", "discover", "prefix", "payments"),
                Map.of("access", "read", "prefix", "config/payments/"))) {
            assertThat(api.post("/v1/auth/roles/payments/permissions", RosterHttp.json(permission)).status()).isEqualTo(200);
        }
        assertThat(api.put("/v1/auth/users/pay/roles/payments", null).status()).isEqualTo(200);
        assertThat(api.post("/v1/auth/enable", null).status()).isEqualTo(200);
        try {
            String userToken = http.post("/v1/auth/authenticate", RosterHttp.json(Map.of("name", "pay", "password", password))).string("token");
            // A known caller who is not root loads the console too (a client certificate goes with every request).
            assertThat(http.withToken(userToken).get("/ui/app.js").status()).isEqualTo(200);
            assertThat(http.withToken(userToken).get("/").status()).isEqualTo(302);
            browser.script("sessionStorage.clear()");
            browser.get(url("#/services"));
            browser.driver().navigate().refresh();
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#token-prompt"));
            browser.one("#token-input").sendKeys(userToken, Keys.ENTER);

            await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(serviceRow("payments")) != null);
            assertThat(browser.text(serviceRow("inventory"))).as("a service the user may not discover").isNull();

            browser.get(url("#/services/inventory"));
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#problem"));
            assertThat(browser.text("#problem")).as("the 403's detail, from the server")
                    .startsWith("Forbidden (403): pay (roles: payments) lacks").contains("inventory");
            assertNoSeriousAccessibilityViolations("forbidden");

            browser.get(url("#/keys?prefix=config%2F"));
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#problem"));
            assertThat(browser.text("#problem")).contains("pay (roles: payments) lacks read");

            browser.get(url("#/keys?prefix=config%2Fpayments%2F"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.all("#keys-list button[data-key='config/payments/db']").isEmpty());
            assertThat(browser.shown("#problem")).isFalse();
        } finally {
            assertThat(api.post("/v1/auth/disable", null).status()).isEqualTo(200);
        }
    }

    @Test
    void everyViewFitsAPhoneWithoutScrollingSideways() {
        register("phone", "phone-1", "eu-1a");
        api.kvPut("phone/setting", "on");
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            for (String view : List.of("#/services", "#/services/phone", "#/cluster", "#/keys?prefix=phone%2F")) {
                browser.get(url(view));
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("h1") != null && browser.text("#main tbody tr, #keys-list li") != null);
                assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                        .as("%s fits 390 px (wide tables scroll inside their own box)", view).isEqualTo(true);
            }
        } finally {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    @Test
    void theClusterViewMarksTheLeaderAndShowsEachMembersTermAndIndexes() {
        browser.get(url("#/cluster"));
        String member = "#members-table tr[data-member='default'] ";
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text(member + "td") != null);
        assertThat(browser.text(member + "td.role")).isEqualTo("★ leader");
        assertThat(browser.text("#cluster-summary")).contains("Leader: default").contains("Health: UP");

        RosterHttp.Reply written = api.kvPut("cluster-view/k", "v");
        assertThat(written.status()).isEqualTo(200);
        long revision = written.json().path("revision").asLong();
        RosterHttp.Reply status = api.get("/v1/status");
        await("the write shows at the next poll").atMost(Duration.ofSeconds(2)).until(() ->
                Long.parseLong(browser.text(member + "td.revision")) >= revision);
        assertThat(browser.text(member + "td.term")).isEqualTo(status.json().path("raftTerm").asString());
        long commit = Long.parseLong(browser.text(member + "td.commit"));
        long applied = Long.parseLong(browser.text(member + "td.applied"));
        assertThat(commit).as("commit index").isGreaterThanOrEqualTo(status.json().path("commitIndex").asLong()).isPositive();
        assertThat(applied).as("applied index").isPositive().isLessThanOrEqualTo(commit);
        await("a lone member lags nothing behind itself").atMost(Duration.ofSeconds(2))
                .until(() -> "0".equals(browser.text(member + "td.lag")));
        assertThat(browser.text(member + "td.reachable")).isEqualTo("yes");
        assertThat(browser.text(member + "td.state")).isEqualTo("this member");
        // No screenshot: docs/images/console-cluster.png is ConsoleClusterIT's, with three members.
        assertThat(browser.seriousAccessibilityViolations()).as("axe-core on the cluster view").isEmpty();
    }

    @Test
    void aKeyEditedElsewhereMeanwhileIsShownAndNeverOverwritten() {
        api.kvPut("console/app/db", "postgres://one");
        browser.get(url("#/keys?prefix=console%2F"));
        WebElement key = await().atMost(Duration.ofSeconds(10)).until(
                () -> browser.all("#keys-list button[data-key='console/app/db']").stream().findFirst().orElse(null), found -> found != null);
        key.click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "postgres://one".equals(browser.script("return document.getElementById('kv-value')?.value")));

        WebElement value = browser.one("#kv-value");
        value.clear();
        value.sendKeys("postgres://mine");
        assertThat(api.kvPut("console/app/db", "postgres://theirs").status()).isEqualTo(200);
        browser.one("#kv-save").click();

        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#kv-conflict") != null);
        assertThat(browser.text("#kv-conflict")).contains("compare failed for key 'console/app/db'"); // the server's detail
        assertThat(browser.text("#kv-current")).isEqualTo("postgres://theirs");
        assertThat(browser.script("return document.getElementById('kv-value').value")).as("the edit is kept").isEqualTo("postgres://mine");
        assertThat(api.kvGet("console/app/db", null).string("value")).as("never overwritten").isEqualTo("postgres://theirs");
        assertNoSeriousAccessibilityViolations("keys-conflict");

        browser.one("#kv-take-theirs").click();
        WebElement rebased = browser.one("#kv-value");
        rebased.clear();
        rebased.sendKeys("postgres://merged");
        browser.one("#kv-save").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(browser.text("#kv-result")).startsWith("Saved at revision"));
        assertThat(api.kvGet("console/app/db", null).string("value")).isEqualTo("postgres://merged");
        assertNoSeriousAccessibilityViolations("keys");

        browser.one("#new-key").click();
        WebElement name = browser.one("#new-key-name");
        name.clear();
        name.sendKeys("console/app/db");
        browser.one("#new-key-value").sendKeys("postgres://created");
        browser.one("#new-form button[type='submit']").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#kv-conflict") != null);
        assertThat(browser.text("#kv-conflict")).startsWith("Not created: the key exists already.");
        assertThat(api.kvGet("console/app/db", null).string("value")).as("create-only never overwrites").isEqualTo("postgres://merged");
    }

    @Test
    void aDeleteOfAKeyChangedElsewhereMeanwhileIsRefusedAndShownAndNothingIsDeleted() {
        api.kvPut("console/app/flag", "on");
        browser.get(url("#/keys?prefix=console%2Fapp%2Ff"));
        WebElement key = await().atMost(Duration.ofSeconds(10)).until(
                () -> browser.all("#keys-list button[data-key='console/app/flag']").stream().findFirst().orElse(null), found -> found != null);
        key.click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "on".equals(browser.script("return document.getElementById('kv-value')?.value")));
        String shown = browser.text("#kv-mod-revision");

        RosterHttp.Reply theirs = api.kvPut("console/app/flag", "off");
        assertThat(theirs.status()).isEqualTo(200);
        browser.one("#kv-delete").click();

        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#kv-conflict") != null);
        assertThat(browser.text("#kv-conflict")).startsWith("Not deleted: the key changed after revision " + shown + ", which this page showed.")
                .contains("compare failed for key 'console/app/flag'"); // the server's detail
        assertThat(browser.text("#kv-current")).isEqualTo("off");
        RosterHttp.Reply stored = api.kvGet("console/app/flag", null);
        assertThat(stored.status()).as("never deleted").isEqualTo(200);
        assertThat(stored.string("value")).isEqualTo("off");
        assertThat(browser.text("#keys-list")).as("still listed").contains("console/app/flag");
        assertThat(browser.seriousAccessibilityViolations()).as("axe-core on a refused delete").isEmpty();

        // On their version, the delete goes through.
        browser.one("#kv-take-theirs").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> theirs.json().path("modRevision").asString().equals(browser.text("#kv-mod-revision")));
        browser.one("#kv-delete").click();
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(browser.text("#kv-result")).startsWith("Deleted"));
        assertThat(api.kvGet("console/app/flag", null).status()).isEqualTo(404);
    }

    @Test
    void theKeyboardAloneBrowsesKeysWithTheFocusVisible() {
        api.kvPut("kbd/greeting", "hello");
        browser.get(url("#/keys"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.shown("#prefix-input"));
        browser.one("#prefix-input").sendKeys("kbd/", Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.all("#keys-list button[data-key='kbd/greeting']").isEmpty());

        Actions keyboard = new Actions(browser.driver());
        for (int presses = 0; presses < 10 && !Boolean.TRUE.equals(browser.script(
                "return document.activeElement.dataset.key === 'kbd/greeting'")); presses++) {
            keyboard.sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.script("return document.activeElement.dataset.key")).as("reached by Tab").isEqualTo("kbd/greeting");
        assertThat(browser.script("return getComputedStyle(document.activeElement).outlineStyle")).as("focus visible").isNotEqualTo("none");
        keyboard.sendKeys(Keys.ENTER).perform();
        await().atMost(Duration.ofSeconds(10)).until(() -> "hello".equals(browser.script("return document.getElementById('kv-value')?.value")));
    }

    /**
     * The watch protocol of {@code sse.js}, in the browser, against scripted answers (a real member rarely
     * compacts or shuts down on cue): a stream ending with {@code resume} is opened again after the last
     * event id; a 410 and an {@code end} event list again and watch from the list's revision; any other
     * refusal ends the watch with the server's problem. Every stream carries the tab's token.
     */
    @Test
    void theWatchResumesAfterTheLastEventAndListsAgainOn410OrEnd() {
        browser.get(url("#/cluster"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#members-table tbody tr") != null);
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const { follow } = await import('/ui/sse.js');
                  const stream = text => new Response(new Blob([text]).stream(), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
                  const problem = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
                  const answers = [
                    () => stream(':watching\\n\\nid:5\\ndata:{"n":5}\\n\\nevent:resume\\ndata:this member is shutting down\\n\\n'),
                    () => problem(410, { title: 'Gone', status: 410, detail: 'revision 6 is older than the history', currentRevision: 9 }),
                    () => stream('id:10\\ndata:{"n":10}\\n\\nevent:end\\ndata:list again\\n\\n'),
                    () => problem(403, { title: 'Forbidden', status: 403, detail: 'pay lacks discover on service x' }),
                  ];
                  const calls = [];
                  const tokens = [];
                  const realFetch = window.fetch;
                  window.fetch = async (url, init) => { calls.push(String(url)); tokens.push(init.headers.Authorization); return answers.shift()(); };
                  const changes = [];
                  const relists = [];
                  const errors = [];
                  let listedAt = 9;
                  try {
                    await follow('/v1/watch/services/x', 4, {
                      signal: new AbortController().signal,
                      onChange: change => changes.push(change.n),
                      relist: async () => { relists.push(listedAt); return listedAt++; },
                      onError: failure => errors.push(failure.status + ' ' + failure.message),
                    });
                  } finally {
                    window.fetch = realFetch;
                  }
                  done({ calls, tokens, changes, relists, errors });
                })().catch(failure => done({ failure: String(failure) }));
                """);
        assertThat(outcome).doesNotContainKey("failure");
        assertThat((List<String>) outcome.get("calls")).containsExactly("/v1/watch/services/x?revision=4",
                "/v1/watch/services/x?revision=5", "/v1/watch/services/x?revision=9", "/v1/watch/services/x?revision=10");
        assertThat((List<String>) outcome.get("tokens")).containsOnly("Bearer " + TOKEN);
        assertThat((List<Long>) outcome.get("changes")).containsExactly(5L, 10L);
        assertThat((List<Long>) outcome.get("relists")).containsExactly(9L, 10L);
        assertThat((List<String>) outcome.get("errors")).containsExactly("403 pay lacks discover on service x");
    }

    @Test
    void theConsolesFilesLoadWithoutATokenAndNothingElseDoes() {
        assertThat(http.get("/").headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/ui/"));
        assertThat(http.get("/ui").headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/ui/"));
        RosterHttp.Reply page = http.get("/ui/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
        for (String file : List.of("/ui/index.html", "/ui/app.js", "/ui/sse.js", "/ui/console.css")) {
            assertThat(http.get(file).status()).as(file).isEqualTo(200);
        }
        for (String closed : List.of("/ui/missing.js", "/ui/%61pp.js", "/ui/app.js;x=1", "/ui/./app.js", "/v1/services", "/v1/kv/x")) {
            RosterHttp.Reply refused = http.get(closed);
            assertThat(refused.status()).as(closed).isEqualTo(401);
            assertThat(refused.isProblem()).isTrue();
        }
    }

    @Test
    void theAccessibilityCheckFindsAViolationWhenThereIsOne() {
        browser.get(url("#/cluster"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#members-table tbody tr") != null);
        browser.script("const field = document.createElement('input'); field.id = 'unlabelled'; document.getElementById('main').append(field);");

        assertThat(browser.seriousAccessibilityViolations()).as("axe-core runs and reports, so its passes mean something")
                .anyMatch(violation -> violation.startsWith("label [critical]") && violation.contains("#unlabelled"));
    }

    private void register(String service, String id, String zone) {
        String path = instance(service, id);
        RosterHttp.Reply reply = api.put(path, RosterHttp.json(Map.of("host", "10.0.0." + id.substring(id.lastIndexOf('-') + 1),
                "port", 8080, "ttlSeconds", 2, "zone", zone, "metadata", Map.of("version", "1.0"))));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        heartbeating.add(path);
    }

    private static String instance(String service, String id) {
        return "/v1/services/" + service + "/instances/" + id;
    }

    private static String row(String id) {
        return "#instances-table tr[data-instance='" + id + "']";
    }

    private static String serviceRow(String service) {
        return "#services-table tr[data-service='" + service + "']";
    }

    private void choose(String select, String value) {
        browser.script("const box = document.querySelector(arguments[0]); box.value = arguments[1];"
                + " box.dispatchEvent(new Event('input', {bubbles: true}));", select, value);
    }

    private String url(String hash) {
        return "http://127.0.0.1:" + port + "/ui/" + hash;
    }

    private void assertNoSeriousAccessibilityViolations(String view) {
        assertThat(browser.seriousAccessibilityViolations()).as("axe-core on the %s view", view).isEmpty();
        String screenshots = System.getProperty("roster.console.screenshots");
        if (screenshots != null) {
            browser.screenshot(Path.of(screenshots, "console-" + view + ".png"));
        }
    }
}
