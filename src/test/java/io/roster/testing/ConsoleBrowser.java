package io.roster.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A headless Chromium driven by Selenium, for the console's tests: Debian's {@code chromium} and
 * {@code chromium-driver}, found (or installed, as root on Debian) by {@code scripts/browser.sh}, so the
 * browser and driver match and nothing is downloaded at run time. A test that {@link #open()}s one where
 * none can be had is skipped with the script's reason. One per test class: starting Chromium is the slow part.
 */
public final class ConsoleBrowser implements AutoCloseable {

    private static final String AXE = "classpath*:axe.min.js";
    private static BrowserSetup setup;

    private final ChromeDriver driver;

    private ConsoleBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A fresh headless browser, 1280 px wide; skips the calling test when there is no Chromium here. */
    public static ConsoleBrowser open() {
        BrowserSetup chromium = located();
        Assumptions.assumeTrue(chromium.unavailable() == null,
                () -> "no headless Chromium, so this browser test is skipped: " + chromium.unavailable());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.settings().get("ROSTER_CHROMIUM"));
        // --no-sandbox: the tests run as root (CI containers), where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--disable-extensions", "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromium.settings().get("ROSTER_CHROMEDRIVER")))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.manage().window().setSize(new Dimension(1280, 900));
        return new ConsoleBrowser(driver);
    }

    private static synchronized BrowserSetup located() {
        if (setup == null) {
            setup = BrowserSetup.run("browser.sh", "ROSTER_CHROMIUM", "ROSTER_CHROMEDRIVER");
        }
        return setup;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * The first matching element's text, or null when there is none (yet): read in the page, so a row the
     * console just redrew is never a stale reference. For awaitility conditions.
     */
    public String text(String css) {
        return (String) script("const found = document.querySelector(arguments[0]); return found ? found.textContent.trim() : null;", css);
    }

    /** Whether the element exists and is not hidden. */
    public boolean shown(String css) {
        return Boolean.TRUE.equals(script("const found = document.querySelector(arguments[0]); return !!found && !found.closest('[hidden]');", css));
    }

    public WebElement one(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Runs axe-core on the page as it is now and answers its serious and critical violations, each as
     * "rule: help (targets)"; an empty list is a pass.
     */
    @SuppressWarnings("unchecked")
    public List<String> seriousAccessibilityViolations() {
        if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
            script(axeSource());
        }
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                   .then(results => done(results.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => v.id + ' [' + v.impact + ']: ' + v.help + ' ' + JSON.stringify(v.nodes.map(n => n.target)))))
                   .catch(error => done(['axe failed: ' + error]));
                """);
        return new ArrayList<>((List<String>) answer);
    }

    /** axe-core's script, to inject into a page under test. */
    static String axeSource() {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(AXE);
            if (found.length == 0) {
                throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core:selenium)");
            }
            return found[0].getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG of the viewport, for docs/images. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
