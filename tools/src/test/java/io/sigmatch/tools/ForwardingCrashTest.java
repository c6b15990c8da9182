package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sigmatch.journal.ForwarderCursor;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 "crash safety": the appliance (a child JVM running {@code sigmatch run}: replay of the demo
 * capture, pipeline, journal, webhook forwarder) is killed with SIGKILL while a batch is at the
 * downstream and not yet answered; the appliance is started again on the same data directory (with
 * no new capture) and the forwarder resumes at its cursor. Every journaled match must reach the
 * downstream at least once, the only duplicates are the batch that was unacknowledged at the kill, and
 * nothing is lost.
 */
class ForwardingCrashTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");
    private static final int BATCH = 5;

    @TempDir
    Path tmp;

    /** One POST as received, before it was answered. */
    record Post(int phase, List<String> matchIds, boolean answered) {
    }

    private final List<Post> received = new CopyOnWriteArrayList<>();
    private volatile int phase = 1;
    private volatile boolean replayed;
    private volatile Process child;
    private volatile Post inFlightAtKill;

    private void handle(final HttpExchange x) throws IOException {
        final byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        final List<String> ids = new ArrayList<>();
        for (final String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                ids.add(line.substring("{\"matchId\":\"".length(), "{\"matchId\":\"".length() + 32));
            }
        }
        if (phase == 1) {
            // a slow downstream: the kill lands while this batch waits for its answer
            sleep(150);
            final Process p = child;
            if (replayed && received.size() >= 3 && inFlightAtKill == null && p != null) {
                final Post post = new Post(1, ids, false);
                received.add(post);
                inFlightAtKill = post;
                p.destroyForcibly();                        // SIGKILL: no shutdown hook, no flush
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                x.close();
                return;
            }
        }
        received.add(new Post(phase, ids, true));
        x.sendResponseHeaders(204, -1);
        x.close();
    }

    private static void sleep(final long ms) {
        try {
            Thread.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String yaml(final Path capture, final int port) {
        return "capture:\n  files: [" + capture + "]\n"
            + "pipeline:\n  shards: 2\n  ringSize: 1024\n"
            + "data:\n  dir: " + tmp.resolve("data") + "\n"
            + "rules: " + DEMO.resolve("rules.json") + "\n"
            + "admin:\n  enabled: false\n"
            + "forwarders:\n"
            + "  - name: crm\n    type: webhook\n    url: http://127.0.0.1:" + port + "/hook\n"
            + "    batchSize: " + BATCH + "\n    lingerMs: 20\n    backoff: { initialMs: 20, maxMs: 200 }\n";
    }

    /** A pcap with its global header and no packet: the restart captures nothing new. */
    private Path emptyCapture() throws IOException {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4);   // magic, microsecond timestamps
        b.putShort((short) 2);  // version major
        b.putShort((short) 4);  // version minor
        b.putInt(0);            // thiszone
        b.putInt(0);            // sigfigs
        b.putInt(65535);        // snaplen
        b.putInt(1);            // linktype: Ethernet
        final Path f = tmp.resolve("empty.pcap");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void killDashNineWhileForwardingLosesNothingAndDuplicatesOnlyTheUnacknowledgedBatch() throws Exception {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
        final int port = server.getAddress().getPort();
        final StringBuilder err = new StringBuilder();
        try {
            final Path cfg1 = tmp.resolve("run1.yaml");
            Files.writeString(cfg1, yaml(DEMO.resolve("epc-attach.pcapng"), port));
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Dchronicle")
                    || arg.startsWith("--enable-native") || arg.startsWith("--sun-misc") || arg.startsWith("-Djna")) {
                    cmd.add(arg);
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SigmatchCli.class.getName(), "run", "--config",
                cfg1.toString()));
            final Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            child = p;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.append(line).append('\n');
                    if (line.contains("serving until SIGTERM")) {
                        replayed = true;
                    }
                }
            } finally {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            assertEquals(137, p.exitValue(), "killed by SIGKILL\n" + err);
            assertTrue(inFlightAtKill != null, "the kill landed while a batch was unanswered\n" + err);
            final long acknowledgedBeforeKill = received.stream().filter(Post::answered).count();

            // the restart: same data directory, no new capture
            phase = 2;
            final Path cfg2 = tmp.resolve("run2.yaml");
            Files.writeString(cfg2, yaml(emptyCapture(), port));
            final Appliance a = Appliance.start(ApplianceConfig.load(cfg2), null);
            try {
                a.awaitIntake();
                assertTrue(a.awaitForwarded(30_000), "the forwarder caught up after the restart");
            } finally {
                a.close();
            }

            // the counts
            final List<String> journaled = new ArrayList<>();
            long lastIndex = -1;
            try (MatchJournalReader reader = MatchJournalReader.open(tmp.resolve("data/journal"))) {
                final MatchRecord rec = new MatchRecord();
                while (reader.next(rec)) {
                    journaled.add(MatchJson.toJson(rec).substring("{\"matchId\":\"".length(), "{\"matchId\":\"".length() + 32));
                    lastIndex = reader.index();
                }
            }
            final Map<String, Integer> times = new HashMap<>();
            int lines = 0;
            for (final Post post : received) {
                for (final String id : post.matchIds()) {
                    times.merge(id, 1, Integer::sum);
                    lines++;
                }
            }
            final Set<String> delivered = times.keySet();
            final Set<String> lost = new HashSet<>(journaled);
            lost.removeAll(delivered);
            final Set<String> duplicated = new HashSet<>();
            times.forEach((id, n) -> {
                if (n > 1) {
                    duplicated.add(id);
                }
            });
            System.out.printf("kill -9 while forwarding: journaled %d, delivered %d distinct in %d lines (%d POSTs, %d answered "
                + "before the kill), duplicated %d, lost %d%n", journaled.size(), delivered.size(), lines, received.size(),
                acknowledgedBeforeKill, duplicated.size(), lost.size());
            assertEquals(54, journaled.size(), "the demo's matches, journaled before the kill");
            assertEquals(journaled.size(), new HashSet<>(journaled).size(), "the restart journaled nothing twice");
            assertEquals(Set.of(), lost, "lost = 0");
            assertTrue(delivered.containsAll(journaled) && journaled.containsAll(delivered));
            // duplicates only within the batch that was at the downstream, unanswered, when the process died
            assertTrue(inFlightAtKill.matchIds().containsAll(duplicated), duplicated + " vs " + inFlightAtKill);
            assertTrue(duplicated.size() <= BATCH);
            assertTrue(times.values().stream().allMatch(n -> n <= 2));
            assertEquals(lastIndex, ForwarderCursor.open(tmp.resolve("data/forward/crm.cursor")).index(),
                "the cursor is at the journal's last record");
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
