package io.sigmatch.decoder.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real tshark for differential tests, with an empty configuration directory so the
 * developer's own preferences (decode-as rules, disabled protocols) cannot change its view.
 */
public final class Tshark {
    private static final Map<String, List<String[]>> CACHE = new ConcurrentHashMap<>();
    private static volatile Boolean available;
    private static Path home;

    private Tshark() {
    }

    /**
     * True when a tshark binary runs here; tests then regenerate their expectations from it.
     * {@code -Dsigmatch.tshark=off} pretends it is absent, to check the fixture-only path.
     */
    public static boolean available() {
        if ("off".equals(System.getProperty("sigmatch.tshark"))) {
            return false;
        }
        if (available == null) {
            synchronized (Tshark.class) {
                if (available == null) {
                    boolean ok;
                    try {
                        final Process p = new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start();
                        p.getInputStream().readAllBytes();
                        ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
                    } catch (final IOException e) {
                        ok = false;
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                        ok = false;
                    }
                    available = ok;
                }
            }
        }
        return available;
    }

    /**
     * {@code tshark -r file -T fields -E occurrence=f -e f1 -e f2 ...}: one String[] per frame (a
     * field absent from the frame is the empty string). Cached per file and field list.
     */
    public static List<String[]> fields(final Path file, final String... fields) {
        final String key = file.toAbsolutePath() + "|" + String.join(",", fields);
        return CACHE.computeIfAbsent(key, k -> run(file, fields));
    }

    /**
     * Like {@link #fields} but with {@code -E occurrence=a}: a field that occurs several times in a
     * frame (a UDP header inside a tunnel) gives all its values, comma-separated, outermost first.
     */
    public static List<String[]> allOccurrences(final Path file, final String... fields) {
        final String key = "all|" + file.toAbsolutePath() + "|" + String.join(",", fields);
        return CACHE.computeIfAbsent(key, k -> run("a", file, fields));
    }

    private static List<String[]> run(final Path file, final String... fields) {
        return run("f", file, fields);
    }

    private static List<String[]> run(final String occurrence, final Path file, final String... fields) {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
            "-E", "occurrence=" + occurrence, "-E", "separator=/t", "-E", "aggregator=,"));
        for (final String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        try {
            final ProcessBuilder pb = new ProcessBuilder(cmd);
            final Path h = configHome();
            pb.environment().put("HOME", h.toString());
            pb.environment().put("XDG_CONFIG_HOME", h.toString());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            final Process p = pb.start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tshark timed out on " + file);
            }
            final List<String[]> rows = new ArrayList<>();
            for (final String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (final IOException e) {
            throw new IllegalStateException("tshark failed on " + file, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Path configHome() throws IOException {
        if (home == null) {
            home = Files.createTempDirectory("sigmatch-tshark-home");
            home.toFile().deleteOnExit();
        }
        return home;
    }
}
