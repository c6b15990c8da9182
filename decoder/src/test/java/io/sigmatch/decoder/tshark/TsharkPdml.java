package io.sigmatch.decoder.tshark;

import io.sigmatch.decoder.testing.Tshark;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Runs tshark with {@code -T pdml} and returns the dissection trees of the frames a display filter
 * selects. Protocol-agnostic: a differential test for any protocol asks for its frames
 * ({@code "gtpv2"}, {@code "diameter"}, {@code "sip"}) and walks the trees to derive what our decoder
 * must print (see {@link FieldRecord}, {@link RecordComparison}).
 *
 * <p>tshark runs with an empty HOME so a developer's own preferences (decode-as rules, disabled
 * protocols, name resolution) cannot change what it shows; {@code -n} turns off name resolution.
 * Extra options (decode-as, preferences) are passed through.
 */
public final class TsharkPdml {
    /** XML 1.0 forbids most control characters even as references; tshark emits them for binary strings. */
    private static final Pattern ILLEGAL_REFERENCE = Pattern.compile(
        "&#[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]);|&#0*(?:[0-8]|1[1-24-9]|2[0-9]|3[01]);");
    private static Path home;
    private static volatile String glossaryValues;

    private TsharkPdml() {
    }

    /** True when tshark runs here. */
    public static boolean available() {
        return Tshark.available();
    }

    /** The frames of {@code capture} matching {@code displayFilter}, in capture order. */
    public static List<PdmlPacket> packets(final Path capture, final String displayFilter, final String... extraOptions) {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y", displayFilter,
            "-T", "pdml"));
        cmd.addAll(List.of(extraOptions));
        return parse(run(cmd, capture));
    }

    /** tshark's version line, e.g. "TShark (Wireshark) 4.0.17 ...". */
    public static String version() {
        final String out = run(List.of("tshark", "-v"), null);
        final int nl = out.indexOf('\n');
        return nl < 0 ? out : out.substring(0, nl);
    }

    /**
     * The value strings tshark knows for a field ({@code tshark -G values}): "code\tname" lines, e.g.
     * for "gtpv2.message_type" "32\tCreate Session Request".
     */
    public static List<String> valueStrings(final String field) {
        final List<String> out = new ArrayList<>();
        if (glossaryValues == null) {
            glossaryValues = run(List.of("tshark", "-G", "values"), null);
        }
        for (final String line : glossaryValues.split("\n")) {
            final String[] f = line.split("\t", -1);
            if (f.length >= 4 && f[0].equals("V") && f[1].equals(field)) {
                out.add(f[2] + "\t" + f[3]);
            }
        }
        return out;
    }

    /** Parses PDML text (exposed for tests of the parser itself). */
    public static List<PdmlPacket> parse(final String pdml) {
        final List<PdmlPacket> packets = new ArrayList<>();
        final XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            final XMLStreamReader xml = factory.createXMLStreamReader(
                new StringReader(ILLEGAL_REFERENCE.matcher(pdml).replaceAll("?")));
            final Deque<PdmlNode> open = new ArrayDeque<>();
            List<PdmlNode> layers = null;
            while (xml.hasNext()) {
                final int event = xml.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    final String element = xml.getLocalName();
                    if (element.equals("packet")) {
                        layers = new ArrayList<>();
                    } else if (element.equals("proto") || element.equals("field")) {
                        final PdmlNode node = new PdmlNode(xml.getAttributeValue(null, "name"),
                            xml.getAttributeValue(null, "show"), xml.getAttributeValue(null, "showname"),
                            xml.getAttributeValue(null, "value"));
                        if (open.isEmpty()) {
                            if (layers != null) {
                                layers.add(node);
                            }
                        } else {
                            open.peek().add(node);
                        }
                        open.push(node);
                    }
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    final String element = xml.getLocalName();
                    if (element.equals("proto") || element.equals("field")) {
                        open.pop();
                    } else if (element.equals("packet") && layers != null) {
                        packets.add(packet(layers));
                        layers = null;
                    }
                }
            }
        } catch (final XMLStreamException e) {
            throw new IllegalStateException("unreadable PDML", e);
        }
        return packets;
    }

    private static PdmlPacket packet(final List<PdmlNode> layers) {
        long frame = -1;
        String time = "";
        for (final PdmlNode layer : layers) {
            if (layer.name().equals("geninfo")) {
                frame = Long.parseLong(layer.childShow("num"));
                final PdmlNode ts = layer.child("timestamp");
                time = ts == null ? "" : ts.value();
            }
        }
        final PdmlPacket p = new PdmlPacket(frame, time);
        for (final PdmlNode layer : layers) {
            if (!layer.name().equals("geninfo")) {
                p.add(layer);
            }
        }
        return p;
    }

    private static String run(final List<String> cmd, final Path capture) {
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
                throw new IllegalStateException("tshark timed out" + (capture == null ? "" : " on " + capture));
            }
            // a non-zero exit (a capture cut short) still comes with every frame tshark could read
            return out;
        } catch (final IOException e) {
            throw new IllegalStateException("tshark failed" + (capture == null ? "" : " on " + capture), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Path configHome() throws IOException {
        if (home == null) {
            home = Files.createTempDirectory("sigmatch-tshark-pdml");
            home.toFile().deleteOnExit();
        }
        return home;
    }
}
