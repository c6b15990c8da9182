package io.sigmatch.matcher.lists;

/**
 * A target list file that is refused as a whole, with the line at fault and why. The message names
 * the line and the reason only, never the identity on it (identities are personal data and this
 * message reaches logs and the admin plane).
 */
public final class ListFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String reason;

    /** line is 1-based; 0 when the fault is not on one line (too many entries, unreadable file). */
    public ListFormatException(final String source, final long line, final String reason) {
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
