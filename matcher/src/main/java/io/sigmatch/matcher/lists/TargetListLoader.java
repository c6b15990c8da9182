package io.sigmatch.matcher.lists;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import io.sigmatch.decoder.Digits;

/**
 * Reads a target list file (DESIGN §13): one identity per line, digits only (a leading '+' in MSISDN
 * lists), {@code #} starts a comment, blank lines and surrounding spaces, tabs and CRs are ignored,
 * gzip when the name ends in {@code .gz}. The bytes are parsed directly, without a String per line,
 * since a list has tens of millions of lines.
 *
 * <p>The first bad line refuses the whole list with a {@link ListFormatException} naming the line and
 * the reason; nothing is built and nothing replaces the list currently in use.
 */
public final class TargetListLoader {
    private static final int READ_BUFFER = 1 << 16;
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private TargetListLoader() {
    }

    public static TargetList load(final String name, final IdentityKind kind, final Path file)
        throws IOException, ListFormatException {
        return load(name, kind, file, TargetListBuilder.DEFAULT_BITMAP_MIN_ENTRIES);
    }

    public static TargetList load(final String name, final IdentityKind kind, final Path file,
        final int bitmapMinEntries) throws IOException, ListFormatException {
        final String source = file.getFileName().toString();
        final TargetListBuilder builder = new TargetListBuilder(kind, bitmapMinEntries);
        try (InputStream raw = Files.newInputStream(file)) {
            if (source.endsWith(".gz")) {
                final InputStream gz;
                try {
                    gz = new GZIPInputStream(raw, READ_BUFFER);
                } catch (final IOException notGzip) {
                    throw new ListFormatException(source, 0, "not gzip: " + notGzip.getMessage());
                }
                parse(gz, source, builder);
            } else {
                parse(raw, source, builder);
            }
        }
        try {
            return builder.build(name);
        } catch (final IllegalStateException tooLarge) {
            throw new ListFormatException(source, 0, tooLarge.getMessage());
        }
    }

    private static final int LINE_START = 0;
    private static final int AFTER_PLUS = 1;
    private static final int IN_DIGITS = 2;
    private static final int AFTER_DIGITS = 3;
    private static final int IN_COMMENT = 4;

    /** Parses every line into the builder; package-private so tests can feed bytes directly. */
    static void parse(final InputStream in, final String source, final TargetListBuilder builder)
        throws ListFormatException {
        final IdentityKind kind = builder.kind();
        final byte[] buf = new byte[READ_BUFFER];
        long line = 1;
        int state = LINE_START;
        long value = 0;
        int digits = 0;
        boolean first = true;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (final IOException e) {
                throw new ListFormatException(source, line, "unreadable: " + e.getMessage());
            }
            if (n < 0) {
                break;
            }
            int i = 0;
            if (first && n >= 3 && buf[0] == UTF8_BOM[0] && buf[1] == UTF8_BOM[1] && buf[2] == UTF8_BOM[2]) {
                i = 3;
            }
            first = false;
            for (; i < n; i++) {
                final int c = buf[i];
                if (c == '\n') {
                    if (state == AFTER_PLUS) {
                        throw new ListFormatException(source, line, "'+' without a number");
                    }
                    if (state == IN_DIGITS || state == AFTER_DIGITS) {
                        add(builder, kind, value, digits, source, line);
                    }
                    line++;
                    state = LINE_START;
                    value = 0;
                    digits = 0;
                    continue;
                }
                if (state == IN_COMMENT) {
                    continue;
                }
                if (c >= '0' && c <= '9') {
                    if (state == AFTER_DIGITS) {
                        throw new ListFormatException(source, line, "space inside a number");
                    }
                    if (++digits > kind.maxDigits) {
                        throw new ListFormatException(source, line,
                            "more than " + kind.maxDigits + " digits, the most " + describe(kind) + " has");
                    }
                    value = value * 10 + (c - '0');
                    state = IN_DIGITS;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    if (state == AFTER_PLUS) {
                        throw new ListFormatException(source, line, "space after '+'");
                    }
                    if (state == IN_DIGITS) {
                        state = AFTER_DIGITS;
                    }
                } else if (c == '#') {
                    if (state == AFTER_PLUS) {
                        throw new ListFormatException(source, line, "'+' without a number");
                    }
                    if (state == IN_DIGITS || state == AFTER_DIGITS) {
                        add(builder, kind, value, digits, source, line);
                    }
                    state = IN_COMMENT;
                } else if (c == '+' && state == LINE_START) {
                    if (!kind.plusAllowed) {
                        throw new ListFormatException(source, line, "'+' is allowed in MSISDN lists only");
                    }
                    state = AFTER_PLUS;
                } else {
                    throw new ListFormatException(source, line, "unexpected character " + printable(c));
                }
            }
        }
        if (state == AFTER_PLUS) {
            throw new ListFormatException(source, line, "'+' without a number");
        }
        if (state == IN_DIGITS || state == AFTER_DIGITS) {
            add(builder, kind, value, digits, source, line);
        }
    }

    private static void add(final TargetListBuilder builder, final IdentityKind kind, final long value,
        final int digits, final String source, final long line) throws ListFormatException {
        if (digits < kind.minDigits) {
            throw new ListFormatException(source, line, digits + " digits, fewer than the " + kind.minDigits
                + " " + describe(kind) + " has at least");
        }
        if (!builder.add(Digits.pack(value, digits))) {
            throw new ListFormatException(source, line, "more than " + TargetListBuilder.MAX_ENTRIES + " entries");
        }
    }

    private static String describe(final IdentityKind kind) {
        switch (kind) {
            case MSISDN:
                return "an MSISDN";
            case IMSI:
                return "an IMSI";
            default:
                return "a TAC";
        }
    }

    private static String printable(final int c) {
        final int b = c & 0xFF;
        return b >= 0x21 && b < 0x7F ? "'" + (char) b + "'" : String.format("0x%02X", b);
    }
}
