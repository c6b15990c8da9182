package io.sigmatch.admin;

/**
 * A request the admin plane refuses, with the HTTP status to answer and, for a refused snapshot,
 * where the fault is: the file, its line (0 when not on one line) and the JSON path.
 */
public final class AdminException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String file;
    private final long line;
    private final String path;

    public AdminException(final int status, final String message) {
        this(status, message, null, 0, null);
    }

    public AdminException(final int status, final String message, final String file, final long line, final String path) {
        super(message);
        this.status = status;
        this.file = file;
        this.line = line;
        this.path = path;
    }

    public int status() {
        return status;
    }

    /** The snapshot file at fault, null when the fault is not in a file. */
    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public String path() {
        return path;
    }
}
