package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian's /usr/bin/chromium): the page is loaded with
 * an ops token in the URL fragment, fetches /status.json with it and renders figures only the
 * server knows — a counter value, a rule id and its suppression reason, the serving snapshot
 * version, latency, a forwarder's lag — plus its SVG charts. A page that could not authenticate shows none of them.
 * Skipped, saying why, when Chromium is not installed.
 */
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("sigmatch.chromium", "/usr/bin/chromium"));

    private static String dumpDom(final Path profile, final String url, final Path screenshot) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
            // virtual time: the page's polls run (fetches pause the clock until they answer), then the DOM is dumped
            "--virtual-time-budget=4000"));
        cmd.add(screenshot != null ? "--screenshot=" + screenshot : "--dump-dom");
        if (screenshot != null) {
            cmd.add("--window-size=1100,800");
        }
        cmd.add(url);
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String text(final String dom, final String id) {
        final Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void pageRendersLiveFiguresFromTheServer(@TempDir final Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed at " + CHROMIUM
            + " (tools/setup-debian.sh --test installs it): status page browser test skipped");
        try (AdminFixture f = new AdminFixture(dir)) {
            // figures only the server has: a distinctive count, a rule and its suppression reason, a snapshot
            f.counters.counter("pipeline.events").getAndAdd(7_654_321);
            f.counters.counter("pipeline.matches").getAndAdd(4321);
            f.counters.counter("rule.airport-welcome.evaluated").getAndAdd(9000);
            f.counters.counter("rule.airport-welcome.matched").getAndAdd(4321);
            f.counters.counter("rule.airport-welcome.suppressed.excluded").getAndAdd(17);
            synchronized (f.latency) {
                f.latency.recordValue(250_000);
            }
            f.put("/snapshots/s-77/rules", f.platform, "{\"version\":\"s-77\",\"rules\":[]}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, f.post("/snapshots/s-77/activate", f.platform).statusCode());

            final String page = f.base.resolve("/status").toString();
            // events keep arriving while the page polls, so it has a rate to show
            final var events = f.counters.counter("pipeline.events");
            final java.util.concurrent.atomic.AtomicBoolean run = new java.util.concurrent.atomic.AtomicBoolean(true);
            final Thread feeder = new Thread(() -> {
                while (run.get()) {
                    events.increment();
                    Thread.yield();
                }
            });
            feeder.start();
            final String dom;
            try {
                dom = dumpDom(dir.resolve("profile"), page + "#token=" + f.ops, null);
            } finally {
                run.set(false);
                feeder.join();
            }
            assertEquals("live", text(dom, "state"), dom);
            final long shown = Long.parseLong(text(dom, "events-total").replace(",", ""));
            assertTrue(shown > 7_654_321 && shown <= events.get(), "events total from the server: " + shown);
            assertFalse("0".equals(text(dom, "events-rate")), "a live rate from two polls: " + text(dom, "events-rate"));
            assertEquals("4,321", text(dom, "matches-total"));
            assertEquals("s-77", text(dom, "serving"));
            assertTrue(text(dom, "latency-p50").startsWith("250"), dom); // HdrHistogram: 3 significant digits
            assertTrue(dom.contains("data-rule=\"airport-welcome\""), dom);
            assertTrue(dom.contains("excluded: 17"), dom);
            // each forwarder's lag, from its gauges
            assertTrue(Pattern.compile("<tr data-forwarder=\"crm_webhook\"><td>crm_webhook</td><td>1,234</td><td>56.5</td></tr>")
                .matcher(dom).find(), dom);
            // the charts were drawn from at least one poll
            assertTrue(Pattern.compile("<polyline points=\"[0-9.]+,[0-9.]+").matcher(dom).find(), dom);
            // the token left the address bar and never reached the server's log or the audit trail
            assertFalse(dom.contains(f.ops));
            assertFalse(Files.readString(f.audit.file()).contains(f.ops));

            // without a token: the login form, no figures
            final String anonymous = dumpDom(dir.resolve("profile2"), page, null);
            assertTrue(anonymous.contains("<form id=\"login\">"), anonymous);
            assertEquals("–", text(anonymous, "events-total"));
            // a platform-less, ops-less bad token is refused
            final String refused = dumpDom(dir.resolve("profile3"), page + "#token=smt_wrong", null);
            assertEquals("token refused (401)", text(refused, "state"), refused);

            final Path png = Path.of("target", "status-page.png").toAbsolutePath();
            dumpDom(dir.resolve("profile4"), page + "#token=" + f.ops, png);
            System.out.println("status page screenshot: " + png + " (" + (Files.exists(png) ? Files.size(png) : 0) + " bytes)");
        }
    }
}
