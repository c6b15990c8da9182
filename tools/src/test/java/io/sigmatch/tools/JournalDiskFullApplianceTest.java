package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigmatch.admin.Role;
import io.sigmatch.admin.TokenStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 3 end to end: the appliance's journal on a real small file system (tmpfs) that is full.
 * Capture and matching go on, every match is counted as not journaled, the alarm is on /metrics and in
 * status.json, and it clears when space returns. Needs root (mount); skipped, saying so, without.
 */
class JournalDiskFullApplianceTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static int sh(final String... cmd) throws Exception {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    /** Chronicle unmaps released files on a background thread: retry while the mount is busy, then detach it. */
    static void unmount(final Path mnt) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (sh("umount", mnt.toString()) == 0) {
                return;
            }
            Thread.sleep(100);
        }
        sh("umount", "-l", mnt.toString());
    }

    private static String get(final int port, final String path, final String token) throws Exception {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void aFullJournalDiskDropsMatchesVisiblyWhileCaptureGoesOn() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root; skipped");
        final Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=40m,mode=0700", "tmpfs", mnt.toString()) == 0,
            "mount -t tmpfs failed (no CAP_SYS_ADMIN?); skipped");
        try {
            final Path yaml = tmp.resolve("sigmatch.yaml");
            Files.writeString(yaml, "capture:\n  files: [" + DEMO.resolve("epc-attach.pcapng") + "]\n"
                + "pipeline:\n  shards: 2\n  ringSize: 1024\n"
                + "data:\n  dir: " + tmp.resolve("data") + "\n"
                + "journal:\n  dir: " + mnt.resolve("journal") + "\n  minFree: 24MiB\n"
                + "rules: " + DEMO.resolve("rules.json") + "\n"
                + "admin:\n  port: 0\n  tokens: " + tmp.resolve("tokens") + "\n");
            final String token = TokenStore.load(tmp.resolve("tokens")).issue("ops-1", Role.OPS);
            // fill the file system to 20 MiB free, 4 MiB under the reserve
            final Path ballast = mnt.resolve("ballast");
            try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
                final byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 20; i++) {
                    f.write(chunk);
                }
            }
            final Appliance a = Appliance.start(ApplianceConfig.load(yaml), TokenStore.load(tmp.resolve("tokens")));
            try {
                a.awaitIntake();
                final long matches = a.counters.get("pipeline.matches");
                assertEquals(54, matches, "the demo's matches fire as always");
                assertEquals(a.published(), a.counters.get("pipeline.events"), "every event published was matched");
                assertEquals(0, a.counters.get("pipeline.errors"));
                assertEquals(matches, a.counters.get("journal.drop.disk_full"), "each match counted as not journaled");
                final String metrics = get(a.adminPort(), "/metrics", token);
                assertTrue(metrics.contains("sigmatch_journal_alarm{reason=\"disk_full\"} 1\n"), metrics);
                assertTrue(metrics.contains("sigmatch_journal_drops_total{reason=\"disk_full\"} 54\n"), metrics);
                assertTrue(metrics.contains("sigmatch_journal_free_bytes "), metrics);
                final JsonNode status = JSON.readTree(get(a.adminPort(), "/status.json", token));
                assertEquals("disk_full", status.path("journal").path("alarm").asText(), status.toString());
                assertEquals("disk_full", status.path("alarms").path(0).path("reason").asText(), status.toString());
                assertTrue(status.path("alarms").path(0).path("message").asText().startsWith("journal disk full"));
                assertEquals(54, status.path("journal").path("dropped").path("disk_full").asLong());
                assertEquals(54, status.path("totals").path("drops").asLong());
                // space returns: the alarm clears by itself
                Files.delete(ballast);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String after;
                do {
                    Thread.sleep(20);
                    after = get(a.adminPort(), "/metrics", token);
                } while (!after.contains("sigmatch_journal_alarm{reason=\"disk_full\"} 0\n") && System.nanoTime() < deadline);
                assertTrue(after.contains("sigmatch_journal_alarm{reason=\"disk_full\"} 0\n"), after);
                assertTrue(JSON.readTree(get(a.adminPort(), "/status.json", token)).path("alarms").isEmpty());
            } finally {
                a.close();
            }
        } finally {
            unmount(mnt);
        }
    }
}
