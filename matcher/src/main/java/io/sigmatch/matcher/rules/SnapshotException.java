package io.sigmatch.matcher.rules;

/**
 * A rule snapshot refused as a whole, saying where and why: the JSON path of the field at fault
 * ({@code rules[2].trigger.type}), or the list file and its line. The snapshot in use keeps serving.
 * Messages read {@code <snapshot file>: <reason>}, the reason naming the path, e.g.
 * {@code snapshot.json: not supported yet: rules[0].cap} or
 * {@code snapshot.json: rules[1].priority: must be an integer}.
 */
public final class SnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public SnapshotException(final String source, final String path, final String reason) {
        super(source + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** JSON path of the field at fault; empty for the document as a whole. */
    public String path() {
        return path;
    }

    /** The message without the snapshot's file name. */
    public String reason() {
        return reason;
    }
}
