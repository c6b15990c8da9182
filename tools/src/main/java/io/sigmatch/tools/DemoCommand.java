package io.sigmatch.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.sigmatch.admin.Role;
import io.sigmatch.admin.TokenStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sigmatch demo`: the appliance's main job on an embedded default — the sample capture replayed
 * through the whole pipeline with the example rules and target lists, the journaled matches printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Replay the sample capture in pcap-samples/demo with its example rules and target lists, "
        + "journal the matches and print them, with the admin plane on 127.0.0.1 (kept serving until Ctrl-C when "
        + "run interactively).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--samples", paramLabel = "DIR",
        description = "demo data directory (default: pcap-samples/demo of this checkout)")
    private Path samples;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "sigmatch-demo",
        description = "where the demo's journal, snapshots, audit trail and token go; emptied first (default: ${DEFAULT-VALUE})")
    private Path work;

    @Option(names = "--admin-port", paramLabel = "N", defaultValue = "7443",
        description = "admin plane port on 127.0.0.1; any free port when it is taken (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--no-admin", description = "replay and print only, without the admin plane")
    private boolean noAdmin;

    @Option(names = "--serve", description = "keep serving after the replay even when not interactive")
    private boolean serve;

    private static final String TOKEN_FILE = "demo-token";

    @Mixin
    private DecoderOptions decoderOptions;

    @Override
    public Integer call() throws Exception {
        final Path dir = samples != null ? samples : checkoutRoot().resolve("pcap-samples/demo");
        final Path rules = dir.resolve("rules.json");
        if (!Files.isRegularFile(rules)) {
            throw new IOException("no demo data at " + dir + " (expected rules.json and captures)");
        }
        final List<Path> captures;
        try (Stream<Path> s = Files.list(dir)) {
            captures = s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
        final boolean adminPlane = !noAdmin;
        // a fresh demo each time: journal, snapshots, tokens and audit trail of the last run go
        for (final String d : new String[] {"journal", "data"}) {
            deleteTree(work.resolve(d));
        }
        Files.deleteIfExists(work.resolve("tokens"));
        Files.deleteIfExists(work.resolve(TOKEN_FILE));
        Files.createDirectories(work);
        final TokenStore tokens = TokenStore.load(work.resolve("tokens"));
        final Path tokenFile = work.resolve(TOKEN_FILE);
        if (adminPlane) {
            // the token goes to an owner-only file, never to stdout (CI keeps stdout) nor stderr
            final String token = tokens.issue("demo", Role.ADMIN);
            try (var ch = java.nio.channels.FileChannel.open(tokenFile, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
                ch.write(java.nio.ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
        }
        final ApplianceConfig config = ApplianceConfig.demo(captures, rules, work, adminPlane ? freePort(port) : 0,
            work.resolve("tokens"), decoderOptions.toConfig());
        config.adminEnabled = adminPlane;
        System.err.println("demo: replaying " + captures.size() + " capture(s) from " + dir + " with " + rules.getFileName());
        final Appliance appliance = Appliance.start(config, tokens);
        try {
            if (adminPlane) {
                appliance.printAdmin(System.err, "demo");
                System.err.println("demo: an admin token is in " + tokenFile + " (0600); e.g. ./sigmatch status --to http://"
                    + config.admin.bind() + ":" + appliance.adminPort() + " --token-file " + tokenFile
                    + ", or open /status#token=<the token>");
            }
            appliance.awaitIntake();
            appliance.summary().print(System.err);
            System.err.println("demo: matches journaled in " + appliance.journalDir() + ":");
            final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            JournalCommand.print(appliance.journalDir(), out);
            out.flush();
            if (adminPlane && (System.console() != null || serve)) {
                System.err.println("demo: replay done; serving the admin plane on 127.0.0.1:" + appliance.adminPort()
                    + " until Ctrl-C");
                final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    appliance.close();
                    stopped.countDown();
                }, "sigmatch-shutdown"));
                stopped.await();
            }
        } finally {
            appliance.close();
        }
        return 0;
    }

    /** The port when it is free on 127.0.0.1, else 0 (the server then takes any free port). */
    private static int freePort(final int wanted) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("127.0.0.1", wanted));
            return wanted;
        } catch (final IOException taken) {
            return 0;
        }
    }

    /** The checkout holding this jar (tools/target/sigmatch.jar), or the working directory. */
    static Path checkoutRoot() {
        try {
            final Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path root = jar.getParent() != null && jar.getParent().getParent() != null
                ? jar.getParent().getParent().getParent() : null;
            if (root != null && Files.isDirectory(root.resolve("pcap-samples"))) {
                return root;
            }
        } catch (final URISyntaxException | SecurityException ignored) {
            // fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    private static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
