package io.sigmatch.matcher.areas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import io.sigmatch.decoder.Digits;

/**
 * Reads area files (DESIGN §13) into an {@link AreaMap}. An area file is CSV with the header
 * {@code plmn,cell}; {@code plmn} is MCC+MNC (5 or 6 digits), {@code cell} a decimal E-UTRAN ECI
 * (28 bits) or NR NCI (36 bits), or {@code LAC:CI} (decimal, 16 bits each) for GERAN/UTRAN. Blank lines
 * and a trailing CR are ignored; gzip when the name ends in {@code .gz}. The first bad line refuses the
 * snapshot, naming the file, the line and the reason.
 */
public final class AreaFileLoader {
    private static final String HEADER = "plmn,cell";
    /** A valid line is at most 5+1+11 characters plus spaces; a far longer one is not an area file. */
    static final int MAX_LINE_BYTES = 1024;

    private AreaFileLoader() {
    }

    /** Loads areas names[i] from files[i]. */
    public static AreaMap load(final String[] names, final Path[] files) throws IOException, AreaFormatException {
        final AreaMapBuilder builder = new AreaMapBuilder(names);
        for (int i = 0; i < names.length; i++) {
            read(i, files[i], builder);
        }
        return builder.build();
    }

    static void read(final int area, final Path file, final AreaMapBuilder builder)
        throws IOException, AreaFormatException {
        final String source = file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw;
            if (source.endsWith(".gz")) {
                try {
                    in = new GZIPInputStream(raw, 1 << 16);
                } catch (final IOException notGzip) {
                    throw new AreaFormatException(source, 0, "not gzip: " + notGzip.getMessage());
                }
            }
            // Lines are cut from the bytes and each decoded as strict UTF-8 (a Latin-1 or UTF-16 file is
            // refused as such, at its line, not read as replacement characters); a line is bounded, so
            // a file without newlines cannot take the heap.
            final Lines lines = new Lines(in, source);
            String line;
            long number = 0;
            boolean header = false;
            while ((line = lines.next(number + 1)) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (!header) {
                    if (!HEADER.equals(line.replace(" ", ""))) {
                        throw new AreaFormatException(source, number, "the first line must be the header plmn,cell");
                    }
                    header = true;
                    continue;
                }
                final long key = parse(line, source, number);
                if (!builder.add(area, key)) {
                    throw new AreaFormatException(source, number, "more than " + AreaMap.MAX_CELLS + " cells in all areas");
                }
            }
            if (!header) {
                throw new AreaFormatException(source, 0, "empty: no header plmn,cell");
            }
        }
    }

    /**
     * Cuts lines from the bytes (own buffer: no lock or String per byte). A read error (a truncated
     * or corrupt gzip), bytes that are not UTF-8 and a line longer than {@link #MAX_LINE_BYTES}
     * refuse the file at that line, so every refusal is an {@link AreaFormatException} with a line.
     */
    private static final class Lines {
        private final InputStream in;
        private final String source;
        private final byte[] buffer = new byte[1 << 16];
        private final byte[] line = new byte[MAX_LINE_BYTES];
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private int at;
        private int end;

        Lines(final InputStream in, final String source) {
            this.in = in;
            this.source = source;
        }

        /** The next line without its terminator, or null at the end of the file. */
        String next(final long number) throws AreaFormatException {
            int n = 0;
            boolean any = false;
            while (true) {
                if (at == end) {
                    try {
                        end = in.read(buffer);
                    } catch (final IOException e) {
                        throw new AreaFormatException(source, number, "unreadable: " + e.getMessage());
                    }
                    at = 0;
                    if (end <= 0) {
                        end = 0;
                        break;
                    }
                }
                any = true;
                final byte c = buffer[at++];
                if (c == '\n') {
                    break;
                }
                if (n == line.length) {
                    throw new AreaFormatException(source, number, "line longer than " + MAX_LINE_BYTES + " bytes");
                }
                line[n++] = c;
            }
            if (!any) {
                return null;
            }
            try {
                return utf8.reset().decode(ByteBuffer.wrap(line, 0, n)).toString();
            } catch (final CharacterCodingException e) {
                throw new AreaFormatException(source, number, "not UTF-8 text");
            }
        }
    }

    /** One line, {@code plmn,cell}, as a cell key. */
    static long parse(final String line, final String source, final long number) throws AreaFormatException {
        final int comma = line.indexOf(',');
        if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
            throw new AreaFormatException(source, number, "expected two fields plmn,cell");
        }
        final String plmnText = line.substring(0, comma).strip();
        final String cellText = line.substring(comma + 1).strip();
        if ((plmnText.length() != 5 && plmnText.length() != 6) || !digits(plmnText)) {
            throw new AreaFormatException(source, number, "plmn must be MCC+MNC, 5 or 6 digits");
        }
        final long plmn = Digits.parse(plmnText);
        final int colon = cellText.indexOf(':');
        if (colon < 0) {
            if (cellText.isEmpty() || cellText.length() > 11 || !digits(cellText)) {
                throw new AreaFormatException(source, number, "cell must be a decimal ECI/NCI or LAC:CI");
            }
            final long id = Long.parseLong(cellText);
            if (id > CellKey.MAX_CELL_ID) {
                throw new AreaFormatException(source, number, "cell identity above 2^36-1 (an NCI has 36 bits)");
            }
            return CellKey.ofCellId(plmn, id);
        }
        final String lacText = cellText.substring(0, colon);
        final String ciText = cellText.substring(colon + 1);
        if (lacText.isEmpty() || ciText.isEmpty() || lacText.length() > 5 || ciText.length() > 5
            || !digits(lacText) || !digits(ciText)) {
            throw new AreaFormatException(source, number, "LAC:CI must be two decimal numbers");
        }
        final int lac = Integer.parseInt(lacText);
        final int ci = Integer.parseInt(ciText);
        if (lac > CellKey.MAX_LAC || ci > CellKey.MAX_CI) {
            throw new AreaFormatException(source, number, "LAC and CI are 16 bits each (TS 23.003 4.1, 4.3.1)");
        }
        return CellKey.ofLacCi(plmn, lac, ci);
    }

    private static boolean digits(final String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
