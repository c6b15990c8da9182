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

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sigmatch demo`: the appliance's main job on an embedded default — the sample capture replayed
 * through the whole pipeline with the example rules and target lists, the journaled matches printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Replay the sample capture in pcap-samples/demo with its example rules and target lists, "
        + "journal the matches and print them.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--samples", paramLabel = "DIR",
        description = "demo data directory (default: pcap-samples/demo of this checkout)")
    private Path samples;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "sigmatch-demo",
        description = "where the demo's journal goes; emptied first (default: ${DEFAULT-VALUE})")
    private Path work;

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
        final Path journal = work.resolve("journal");
        deleteTree(journal);
        System.err.println("demo: replaying " + captures.size() + " capture(s) from " + dir + " with " + rules.getFileName());
        final ReplayCommand.Summary summary = ReplayCommand.replay(captures, rules, journal, 0, null, decoderOptions);
        summary.print(System.err);
        System.err.println("demo: matches journaled in " + journal + ":");
        final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        JournalCommand.print(journal, out);
        out.flush();
        return 0;
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
