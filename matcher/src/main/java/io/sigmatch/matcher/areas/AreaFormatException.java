package io.sigmatch.matcher.areas;

/**
 * An area file refused as a whole: the file, the 1-based line at fault (0 when not one line) and why.
 * Cell identities are network data, not personal data, but the message keeps to the reason anyway.
 */
public final class AreaFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String reason;

    public AreaFormatException(final String source, final long line, final String reason) {
        super(source + (line > 0 ? " line " + line : "") + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
