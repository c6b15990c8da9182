package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sigmatch.admin.Role;
import io.sigmatch.admin.TokenStore;
import io.sigmatch.journal.JournalConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sigmatch run, push, status and demo as an operator and the platform use them. */
class ApplianceEndToEndTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");
    /** Lines of the target list pushed while the replay runs; -Dsigmatch.push.lines=10000000 for the issue's figure. */
    private static final int PUSH_LINES = Integer.getInteger("sigmatch.push.lines", 300_000);
    /** Replay speed during the push (the demo capture spans 35 s): 10 by default, 1 for a long push. */
    private static final double PUSH_SPEED = Double.parseDouble(System.getProperty("sigmatch.push.speed", "10"));

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        final int code;
        try {
            code = SigmatchCli.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private Path config(final String yaml) throws Exception {
        final Path f = tmp.resolve("sigmatch.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private String baseYaml(final double speed, final int port) {
        return "capture:\n  files: [" + DEMO.resolve("epc-attach.pcapng") + "]\n  speed: " + speed + "\n"
            + "pipeline:\n  shards: 2\n  ringSize: 1024\n"
            + "data:\n  dir: " + tmp.resolve("data") + "\n"
            + "rules: " + DEMO.resolve("rules.json") + "\n"
            + "admin:\n  port: " + port + "\n  tokens: " + tmp.resolve("tokens") + "\n";
    }

    @Test
    void badConfigurationNamesTheKey() throws Exception {
        Run r = run("run", "--config", config(baseYaml(0, 0) + "bogus: 1\n").toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("sigmatch.yaml: bogus: unknown key"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("shards: 2", "shard: 2")).toString());
        assertTrue(r.err.contains("pipeline.shard: unknown key (known here: cpus, drainTimeoutMs, ringSize, shards, waitStrategy)"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("shards: 2", "shards: four")).toString());
        assertTrue(r.err.contains("pipeline.shards: must be an integer from 1 to 64, got \"four\""), r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("ringSize: 1024", "ringSize: 1000")).toString());
        assertTrue(r.err.contains("pipeline.ringSize:"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("port: 0", "port: 99999")).toString());
        assertTrue(r.err.contains("admin.port: must be an integer from 0 to 65535"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "  tls:\n    cert: c.pem\n").toString());
        assertTrue(r.err.contains("admin.tls.key: missing"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("capture:\n", "capture:\n  interface: eth1\n")).toString());
        assertEquals(1, r.code);
        assertTrue(r.err.contains("capture: give files (replay) or interface (live), not both"), r.err);
        // (a replacement that missed would leave a valid configuration, and run would serve forever)
        assertTrue(baseYaml(0, 0).contains("]\n  speed: 0.0\n"), baseYaml(0, 0));
        r = run("run", "--config", config(baseYaml(0, 0).replace("  speed: 0.0\n", "  speed: 0.0\n  threads: 2\n")).toString());
        assertTrue(r.err.contains("capture: threads, filter, cpus, ringMib and promiscuous are for live capture"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("ringSize: 1024", "ringSize: 1024\n  cpus: [0]")).toString());
        assertTrue(r.err.contains("pipeline.cpus: must be a list of 2 CPU number(s), one per thread (pipeline.shards is 2)"),
            r.err);
        r = run("run", "--config", config(baseYaml(0, 0).replace("capture:\n  files: [" + DEMO.resolve("epc-attach.pcapng")
            + "]\n  speed: 0.0\n", "capture:\n  interface: lo\n  filter: \"2\\n6 0 0 0\"\n")).toString());
        assertTrue(r.err.contains("capture.filter:"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "appliance:\n  id: probe 7\n").toString());
        assertTrue(r.err.contains("appliance.id: must be 1 to 64 of A-Z a-z 0-9 . _ -, got \"probe 7\""), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "journal:\n  rollCycle: fortnightly\n").toString());
        assertTrue(r.err.contains("sigmatch.yaml: journal.rollCycle: "), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "journal:\n  retention:\n    maxAge: 7 days\n").toString());
        assertTrue(r.err.contains("sigmatch.yaml: journal.retention.maxAge: unknown unit \"days\""), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "journal:\n  retention:\n    diskBudget: 20 GiB\n    maxAge: 1d\n"
            + "    max: 3\n").toString());
        assertTrue(r.err.contains("sigmatch.yaml: journal.retention.max: unknown key (known here: diskBudget, maxAge)"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "journal:\n  retention:\n    diskBudget: 20 Gigs\n").toString());
        assertTrue(r.err.contains("sigmatch.yaml: journal.retention.diskBudget: unknown unit \"Gigs\""), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "journal:\n  retention:\n    diskBudget: 1MiB\n").toString());
        assertTrue(r.err.contains("sigmatch.yaml: journal.retention.diskBudget: " + JournalConfig.DISK_BUDGET_BYTES_PROP
            + " must be 0 (no budget) or at least two blocks"), r.err);
        r = run("run", "--config", config(baseYaml(0, 0) + "journal:\n  minFree: 1MiB\n").toString());
        assertTrue(r.err.contains("sigmatch.yaml: journal.minFree: "), r.err);
        r = run("run", "--config", config("capture: [\n").toString());
        assertTrue(r.err.contains("not valid YAML at line"), r.err);
        for (final String line : r.err.strip().split("\n")) {
            assertFalse(line.contains("Exception"), r.err);
        }
    }

    /** A 0600 file holding a fresh token of the role, as the platform keeps it. */
    private Path tokenFile(final String id, final Role role) throws Exception {
        final String token = TokenStore.load(tmp.resolve("tokens")).issue(id, role);
        final Path f = tmp.resolve(id + ".token");
        Files.writeString(f, token + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /**
     * The appliance replays at 10x (about 3.5 s) while the platform pushes a rules document and a
     * large target list and activates it; no event is lost: every event decoded is published and
     * matched, none undrained, none failed, and the demo's 54 matches (GTPv2 and Diameter) are journaled.
     */
    @Test
    void pushWhileReplayRunsLosesNoEvent() throws Exception {
        final Path platform = tokenFile("platform-1", Role.PLATFORM);
        final Path ops = tokenFile("ops-1", Role.OPS);
        final ApplianceConfig c = ApplianceConfig.load(config(baseYaml(PUSH_SPEED, 0)));
        final Appliance a = Appliance.start(c, TokenStore.load(tmp.resolve("tokens")));
        final String url = "http://127.0.0.1:" + a.adminPort();
        final Run status;
        final Run push;
        final long swapStart;
        try {
            // the next snapshot: the demo's rules with a big gold list
            final Path snap = Files.createDirectories(tmp.resolve("v2"));
            Files.writeString(snap.resolve("rules.json"), Files.readString(DEMO.resolve("rules.json"))
                .replace("\"demo-1\"", "\"v2\""));
            Files.copy(DEMO.resolve("dnd-imsi.txt.gz"), snap.resolve("dnd-imsi.txt.gz"));
            try (java.io.Writer w = Files.newBufferedWriter(snap.resolve("gold-imsi.txt"), StandardCharsets.US_ASCII)) {
                w.write(Files.readString(DEMO.resolve("gold-imsi.txt")));
                for (int i = 0; i < PUSH_LINES; i++) {
                    w.write("46099" + (1_000_000_000L + i) + "\n");
                }
            }
            swapStart = System.nanoTime();
            final long eventsBefore = a.counters.get("pipeline.events");
            push = run("push", "rules", snap.resolve("rules.json").toString(), "--to", url, "--token-file",
                platform.toString(), "--gzip", "--activate");
            System.out.printf("push of %d lines + activate: %.0f ms, exit %d; events matched before %d, after %d%n%s%s",
                PUSH_LINES, (System.nanoTime() - swapStart) / 1e6, push.code, eventsBefore, a.counters.get("pipeline.events"),
                push.out, push.err);
            a.awaitIntake();
            status = run("status", "--to", url, "--token-file", ops.toString());
        } finally {
            a.close();
        }
        assertTrue(push.err.contains("push: list gold-imsi.txt: " + (Files.size(tmp.resolve("v2/gold-imsi.txt"))) + " bytes"),
            push.err);
        assertEquals(0, push.code, push.err);
        assertTrue(push.out.contains("\"active\":\"v2\""), push.out);
        assertEquals(0, status.code, status.err);
        assertTrue(status.out.contains(": ready, snapshot "), status.out);
        assertTrue(status.out.contains("events 252, matches "), status.out);
        // zero events lost
        assertEquals(252, a.counters.get("pipeline.events"));
        assertEquals(0, a.counters.get("pipeline.undrained"));
        assertEquals(0, a.counters.get("pipeline.errors"));
        assertEquals(0, a.counters.get("pipeline.ignored.shutdown"));
        final StringWriter journaled = new StringWriter();
        final long matches = JournalCommand.print(tmp.resolve("data/journal"), journaled);
        assertEquals(a.counters.get("pipeline.matches"), matches);
        // v2 names the same subscribers (and more): each event matches as under demo-1, whichever version
        // matched it, and every match carries one of the two versions
        assertEquals(54, matches);
        final String records = journaled.toString();
        final int v2 = records.split("\"snapshot\":\"v2\"", -1).length - 1;
        final int v1 = records.split("\"snapshot\":\"demo-1\"", -1).length - 1;
        assertEquals(54, v1 + v2, records);
        System.out.printf("matches under demo-1: %d, under v2: %d%n", v1, v2);
        // the audit trail has the uploads with the platform's token id, never a token
        final String audit = Files.readString(tmp.resolve("data/audit.log"));
        assertTrue(audit.contains("\"who\":\"platform-1\""), audit);
        assertFalse(audit.contains(Files.readString(platform).strip()));
    }

    /** SIGTERM to a running appliance: intake stopped, pipeline drained, journal and admin closed, exit 143. */
    @Test
    void sigtermShutsDownCleanly() throws Exception {
        tokenFile("ops-1", Role.OPS);
        final Path cfg = config(baseYaml(0, 0));
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Dchronicle")
                || arg.startsWith("--enable-native") || arg.startsWith("--sun-misc") || arg.startsWith("-Djna")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SigmatchCli.class.getName(), "run", "--config",
            cfg.toString()));
        final Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final StringBuilder err = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                err.append(line).append('\n');
                if (line.contains("serving until SIGTERM")) {
                    // SIGTERM, as systemd sends it (Process.destroy would also close our end of stderr)
                    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertEquals(143, p.exitValue(), err.toString());
        assertTrue(err.toString().contains("run: stopped cleanly"), err.toString());
        final long matches = JournalCommand.print(tmp.resolve("data/journal"), new StringWriter());
        assertEquals(54, matches, err.toString());
    }

    /**
     * The streaming tail: a client reads part of the journal, disconnects, resumes with
     * Last-Event-ID and ends up with every match exactly once, in journal order.
     */
    @Test
    void matchTailResumesWithoutGapsOrDuplicates() throws Exception {
        final Path platform = tokenFile("platform-1", Role.PLATFORM);
        final Path ops = tokenFile("ops-1", Role.OPS);
        final Appliance a = Appliance.start(ApplianceConfig.load(config(baseYaml(0, 0))), TokenStore.load(tmp.resolve("tokens")));
        try {
            a.awaitIntake();
            final java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + a.adminPort() + "/matches");
            final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            final String token = Files.readString(platform).strip();
            assertEquals(403, http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer "
                + Files.readString(ops).strip()).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
            final List<String> ids = new ArrayList<>();
            final List<String> data = new ArrayList<>();
            String last = null;
            for (int round = 0; round < 10 && data.size() < 54; round++) {
                final java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token);
                if (last != null) {
                    b.header("Last-Event-ID", last);
                }
                final java.net.http.HttpResponse<java.util.stream.Stream<String>> r =
                    http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
                assertEquals(200, r.statusCode());
                assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
                // read 10 events, then drop the connection mid-stream
                int got = 0;
                final java.util.Iterator<String> lines = r.body().iterator();
                while (got < 10 && data.size() < 54 && lines.hasNext()) {
                    final String line = lines.next();
                    if (line.startsWith("id: ")) {
                        last = line.substring(4);
                        ids.add(last);
                    } else if (line.startsWith("data: ")) {
                        data.add(line.substring(6));
                        got++;
                    }
                }
                r.body().close();
            }
            final StringWriter journal = new StringWriter();
            JournalCommand.print(a.journalDir(), journal);
            assertEquals(journal.toString().strip().lines().toList(), data);
            assertEquals(ids.size(), new java.util.HashSet<>(ids).size());
            // a filter by rule
            final java.net.http.HttpResponse<java.util.stream.Stream<String>> f = http.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(uri + "?rule=on-the-move")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
            final String first = f.body().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
            f.body().close();
            assertTrue(first.contains("\"rule\":\"on-the-move\""), first);
        } finally {
            a.close();
        }
    }

    @Test
    void demoKeepsItsTokenOffStdoutAndOwnerOnly() throws Exception {
        final Path work = tmp.resolve("demo");
        final Run r = run("demo", "--work", work.toString());
        assertEquals(0, r.code, r.err);
        final String token = Files.readString(work.resolve("demo-token")).strip();
        assertTrue(token.startsWith("smt_"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("demo-token"))));
        assertFalse(r.out.contains(token));
        assertFalse(r.err.contains(token));
        assertTrue(r.err.contains("demo: admin plane on http://127.0.0.1:"), r.err);
        assertTrue(r.out.lines().count() > 0 && r.out.lines().allMatch(l -> l.startsWith("{\"matchId\":")), r.out);
    }
}
