package io.sigmatch.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigmatch push rules|targets|areas FILE... --to URL --token-file F}: the central platform's
 * side of a snapshot rollout. {@code rules SNAPSHOT.json} uploads the rule document under the
 * version it declares and, unless {@code --rules-only}, every list and area file it names (read
 * relative to it, as replay reads them); {@code targets}/{@code areas} upload files into
 * {@code --version}. {@code --activate} then validates and activates the version. Each upload's
 * size and SHA-256 (as the appliance computed it) go to stderr; the activation result to stdout.
 *
 * <p>With several {@code --to} or a {@code --fleet} file it rolls out to a fleet (issue 12): staged on
 * every appliance first, then activated on one and, unless it refused the version, on all the others
 * in parallel; one
 * JSON line per appliance says which version it runs. Rerunning the same command resumes (files an
 * appliance holds are not sent again; appliances on the version are left alone), which is how an
 * appliance that was down catches up; {@code --catch-up-seconds} keeps retrying it.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = "Upload a snapshot to an appliance's admin plane: rules SNAPSHOT.json (with the lists and areas it "
        + "names), or targets/areas FILE... into --version; --activate to switch to it.")
public final class PushCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "rules|targets|areas")
    private String what;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
    private List<Path> files;

    @Option(names = "--to", paramLabel = "URL", description = "an appliance's admin plane, e.g. https://probe-7:7443; "
        + "repeat it (or use --fleet) to roll out to several")
    private List<String> urls = new ArrayList<>();

    @Option(names = "--fleet", paramLabel = "FILE", description = "a file of admin-plane URLs, one per line ('#' comments)")
    private Path fleetFile;

    @Option(names = "--catch-up-seconds", paramLabel = "S", defaultValue = "0",
        description = "fleet: keep retrying appliances that did not answer for up to S seconds (default: report them and stop)")
    private long catchUpSeconds;

    @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "file holding a platform token (0600)")
    private Path tokenFile;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate to trust for https")
    private Path ca;

    @Option(names = "--version", paramLabel = "V", description = "snapshot version (targets/areas; rules: default its own)")
    private String version;

    @Option(names = "--rules-only", description = "rules: upload the document only, not the files it names")
    private boolean rulesOnly;

    @Option(names = "--gzip", description = "compress plain files in transit (Content-Encoding: gzip); .gz files go as they are")
    private boolean gzip;

    @Option(names = "--activate", description = "activate the version once uploaded (fleet: once it is staged on every appliance)")
    private boolean activate;

    /** An upload: kind for the log, local file, path under the admin plane, name in GET /snapshots/{v}. */
    private record Upload(String kind, Path file, String path, String remoteName, boolean gzip) {
    }

    @Override
    public Integer call() throws Exception {
        final List<String> targets = new ArrayList<>(urls);
        if (fleetFile != null) {
            for (final String line : Files.readAllLines(fleetFile)) {
                final String t = line.replaceAll("#.*", "").strip();
                if (!t.isEmpty()) {
                    targets.add(t);
                }
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("give --to URL (repeatable) or --fleet FILE");
        }
        final List<Upload> uploads = plan();
        if (targets.size() == 1 && fleetFile == null) {
            final AdminClient client = new AdminClient(targets.get(0), tokenFile, ca);
            for (final Upload u : uploads) {
                upload(client, u, System.err);
            }
            if (activate) {
                final long t0 = System.nanoTime();
                final JsonNode r = client.send("POST", "snapshots/" + version + "/activate", null);
                System.err.printf("push: %s active (was %s) in %.0f ms%n", r.path("active").asText(),
                    r.path("previous").asText(), (System.nanoTime() - t0) / 1e6);
                System.out.println(r);
            }
            return 0;
        }
        return fleet(targets, uploads);
    }

    /** What to upload, from the command line; sets version. */
    private List<Upload> plan() throws Exception {
        final List<Upload> uploads = new ArrayList<>();
        switch (what) {
            case "rules" -> {
                if (files.size() != 1) {
                    throw new IllegalArgumentException("push rules takes one snapshot file");
                }
                final Path snapshot = files.get(0);
                final JsonNode doc = JSON.readTree(snapshot.toFile());
                final String v = version != null ? version : doc.path("version").asText(null);
                if (v == null) {
                    throw new IllegalArgumentException(snapshot + ": no version in the document; give --version");
                }
                version = v;
                uploads.add(new Upload("rules", snapshot, "snapshots/" + v + "/rules", RULES_NAME, false));
                if (!rulesOnly) {
                    final Path dir = snapshot.toAbsolutePath().getParent();
                    for (final Iterator<Map.Entry<String, JsonNode>> it = doc.path("lists").properties().iterator(); it.hasNext(); ) {
                        final String name = it.next().getValue().path("file").asText();
                        uploads.add(new Upload("list", dir.resolve(name), "snapshots/" + v + "/lists/" + name, name, gzip));
                    }
                    for (final Iterator<Map.Entry<String, JsonNode>> it = doc.path("areas").properties().iterator(); it.hasNext(); ) {
                        final String name = it.next().getValue().path("file").asText();
                        final String leaf = name.startsWith("areas/") ? name.substring(6) : name;
                        uploads.add(new Upload("area", dir.resolve(name), "snapshots/" + v + "/areas/" + leaf, "areas/" + leaf,
                            gzip));
                    }
                }
            }
            case "targets", "areas" -> {
                if (version == null) {
                    throw new IllegalArgumentException("push " + what + " needs --version");
                }
                final boolean list = what.equals("targets");
                for (final Path f : files) {
                    final String name = f.getFileName().toString();
                    uploads.add(new Upload(list ? "list" : "area", f, "snapshots/" + version + "/" + (list ? "lists/" : "areas/")
                        + name, list ? name : "areas/" + name, gzip));
                }
            }
            default -> throw new IllegalArgumentException("push rules, targets or areas, not " + what);
        }
        return uploads;
    }

    /** The name the appliance lists the rule document under (GET /snapshots/{v}). */
    private static final String RULES_NAME = "snapshot.json";

    /** One appliance's part in a fleet rollout. */
    private static final class Member {
        final String url;
        final AdminClient client;
        final StringBuilder log = new StringBuilder();
        String result;          // null while pending
        String active;
        /** What the appliance served before (its bootstrap rules when no version was ever activated). */
        String serving;
        boolean unreachable;

        Member(final String url, final AdminClient client) {
            this.url = url;
            this.client = client;
        }
    }

    /**
     * A rollout to a fleet: stage on every appliance (skipping what an appliance already holds, so a
     * rerun resumes), and only when no appliance refused the version, activate it on one, then (unless
     * that one refused it) on every other that staged it, in parallel. An appliance that does not answer is reported (and, with --catch-up-seconds,
     * retried until it answers and is brought to the version). Prints one JSON line per appliance and
     * a summary; exit 0 when every appliance runs the version.
     */
    private int fleet(final List<String> targets, final List<Upload> uploads) throws Exception {
        final List<Member> members = new ArrayList<>();
        for (final String t : targets) {
            members.add(new Member(t, new AdminClient(t, tokenFile, ca)));
        }
        final ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, members.size()), r -> {
            final Thread th = new Thread(r, "sigmatch-push");
            th.setDaemon(true);
            return th;
        });
        final long t0 = System.nanoTime();
        final long deadline = t0 + catchUpSeconds * 1_000_000_000L;
        long activationNanos = 0;
        try {
            List<Member> pending = members;
            boolean refused = false;
            while (true) {
                parallel(pool, pending, m -> stage(m, uploads));
                refused |= pending.stream().anyMatch(m -> m.result != null && m.result.startsWith("refused"));
                if (refused) {
                    break;   // a bad snapshot: activate nowhere, whatever the others said
                }
                if (activate) {
                    final List<Member> staged = pending.stream().filter(m -> m.result == null).toList();
                    final long a0 = System.nanoTime();
                    // one appliance first: a version its validation refuses (the same everywhere) stops the
                    // rollout before the fleet is split between two versions
                    if (!staged.isEmpty()) {
                        parallel(pool, staged.subList(0, 1), this::activateOn);
                        if (staged.get(0).result.startsWith("refused")) {
                            staged.subList(1, staged.size()).forEach(m -> m.result = "not activated: refused by " + staged.get(0).url);
                            break;
                        }
                        parallel(pool, staged.subList(1, staged.size()), this::activateOn);
                    }
                    activationNanos = Math.max(activationNanos, System.nanoTime() - a0);
                } else {
                    pending.stream().filter(m -> m.result == null).forEach(m -> m.result = "staged");
                }
                pending = members.stream().filter(m -> m.unreachable).toList();
                if (pending.isEmpty() || System.nanoTime() >= deadline) {
                    break;
                }
                Thread.sleep(1_000);
                pending.forEach(m -> {
                    m.unreachable = false;
                    m.result = null;
                });
            }
        } finally {
            pool.shutdownNow();
        }
        int onVersion = 0;
        for (final Member m : members) {
            System.err.print(m.log);
            final ObjectNode line = JSON.createObjectNode().put("appliance", m.url).put("result", m.result)
                .put("active", m.active);
            System.out.println(line);
            if (version.equals(m.active)) {
                onVersion++;
            }
        }
        System.err.printf("push: %s: %d of %d appliances %s in %.0f ms (activation %.0f ms: one appliance, then the rest in parallel)%n",
            version, activate ? onVersion : members.stream().filter(m -> "staged".equals(m.result)).count(), members.size(),
            activate ? "run it" : "staged it", (System.nanoTime() - t0) / 1e6, activationNanos / 1e6);
        final boolean ok = activate ? onVersion == members.size()
            : members.stream().allMatch(m -> "staged".equals(m.result) || "already active".equals(m.result));
        return ok ? 0 : 1;
    }

    private interface Step {
        void run(Member m) throws Exception;
    }

    private static void parallel(final ExecutorService pool, final List<Member> members, final Step step)
        throws InterruptedException {
        final List<Future<?>> done = new ArrayList<>();
        for (final Member m : members) {
            done.add(pool.submit(() -> {
                try {
                    step.run(m);
                } catch (final AdminClient.Refused e) {
                    m.result = "refused: " + e.getMessage();
                } catch (final IOException e) {
                    m.unreachable = true;
                    m.result = "unreachable: " + e;
                } catch (final Exception e) {
                    m.result = "failed: " + e;
                }
                return null;
            }));
        }
        for (final Future<?> f : done) {
            try {
                f.get();
            } catch (final ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Stages the version on m, skipping files it already holds; leaves result null when m is ready to activate. */
    private void stage(final Member m, final List<Upload> uploads) throws Exception {
        final JsonNode all = m.client.send("GET", "snapshots", null);
        m.active = all.path("active").asText(null);
        m.serving = all.path("serving").asText(null);
        if (version.equals(m.active)) {
            m.result = "already active";
            return;
        }
        final java.util.Set<String> held = new java.util.HashSet<>();
        for (final JsonNode v : all.path("versions")) {
            if (version.equals(v.path("version").asText())) {
                for (final JsonNode f : v.path("files")) {
                    held.add(f.path("name").asText());
                }
            }
        }
        final PrintStream log = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(final int b) {
                m.log.append((char) b);
            }
        }, true, StandardCharsets.UTF_8);
        for (final Upload u : uploads) {
            if (held.contains(u.remoteName())) {
                log.printf("push: %s: %s %s: already there%n", m.url, u.kind(), u.file().getFileName());
            } else {
                log.print(m.url + ": ");
                upload(m.client, u, log);
            }
        }
    }

    private void activateOn(final Member m) throws Exception {
        final JsonNode r = m.client.send("POST", "snapshots/" + version + "/activate", null);
        m.active = r.path("active").asText();
        m.result = "activated (was " + r.path("previous").asText(m.serving) + ")";
    }

    private static void upload(final AdminClient client, final Upload u, final PrintStream err) throws Exception {
        final Path f = u.file();
        if (!Files.isReadable(f)) {
            throw new IllegalArgumentException("cannot read " + f);
        }
        final boolean compress = u.gzip() && !f.getFileName().toString().endsWith(".gz");
        final JsonNode r = compress
            ? client.send("PUT", u.path(), AdminClient.file(f, true), "Content-Encoding", "gzip")
            : client.send("PUT", u.path(), AdminClient.file(f, false));
        err.printf("push: %s %s: %d bytes, sha256 %s%n", u.kind(), f.getFileName(), r.path("bytes").asLong(),
            r.path("sha256").asText());
    }
}
