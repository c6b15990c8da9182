package io.sigmatch.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 7 item 4: the oracle shares no code with what it judges. Neither the generator's sources nor
 * its compiled classes may name anything of the decoder, matcher or journal (an import, a fully
 * qualified name, or a constant-pool reference a wildcard or reflection would leave).
 */
class GeneratorIndependenceTest {
    private static final Path MODULE = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize()
        .resolve("tools");
    private static final String[] FORBIDDEN_SOURCE = {"io.sigmatch.decoder", "io.sigmatch.matcher", "io.sigmatch.journal",
        "io.sigmatch.admin", "io.netty"};
    private static final String[] FORBIDDEN_CLASS = {"io/sigmatch/decoder", "io/sigmatch/matcher", "io/sigmatch/journal",
        "io/sigmatch/admin", "io/netty"};

    @Test
    void sourcesNameNothingOfTheDecoderMatcherOrJournal() throws IOException {
        final List<Path> sources = files(MODULE.resolve("src/main/java/io/sigmatch/tools/generate"), ".java");
        assertTrue(sources.size() >= 10, "generator sources found: " + sources);
        final List<String> offences = new ArrayList<>();
        for (final Path f : sources) {
            final String text = Files.readString(f, StandardCharsets.UTF_8);
            for (final String forbidden : FORBIDDEN_SOURCE) {
                if (text.contains(forbidden)) {
                    offences.add(f.getFileName() + " names " + forbidden);
                }
            }
        }
        assertEquals(List.of(), offences);
    }

    @Test
    void classesReferenceNothingOfTheDecoderMatcherOrJournal() throws IOException {
        final List<Path> classes = files(MODULE.resolve("target/classes/io/sigmatch/tools/generate"), ".class");
        assertTrue(classes.size() >= 10, "generator classes found: " + classes);
        final List<String> offences = new ArrayList<>();
        for (final Path f : classes) {
            // class names in the constant pool are UTF-8 "io/sigmatch/decoder/..."
            final String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (final String forbidden : FORBIDDEN_CLASS) {
                if (pool.contains(forbidden)) {
                    offences.add(f.getFileName() + " references " + forbidden);
                }
            }
        }
        assertEquals(List.of(), offences);
    }

    @Test
    void theScanWouldSeeAnOffence() {
        // the check is a substring test over text: make sure it fires on the forms an import takes
        assertTrue("import io.sigmatch.decoder.Digits;".contains(FORBIDDEN_SOURCE[0]));
        assertTrue("Lio/sigmatch/matcher/rules/RuleSet;".contains(FORBIDDEN_CLASS[1]));
    }

    private static List<Path> files(final Path dir, final String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
