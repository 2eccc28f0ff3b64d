package dev.warden.control;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, driven by Playwright; never a browser Playwright would download. Browser tests
 * are skipped only when it is not installed (CI installs it). Public for the browser tests of other
 * packages (the demo tour).
 */
public final class SystemChromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    private SystemChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(EXECUTABLE), "no Chromium at " + EXECUTABLE + " (apt-get install chromium)");
    }

    public static SystemChromium launch() {
        // The machine is shared: give pages time; assertions still wait for the real thing.
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                // Chromium's sandbox needs user namespaces that CI containers (running as root) do not give.
                .setArgs(List.of("--no-sandbox")));
        return new SystemChromium(playwright, browser);
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
