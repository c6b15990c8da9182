package io.sigmatch.journal;

import java.io.IOException;

/**
 * A journal record that cannot be read: a layout version this build does not know (the journal was
 * written by a newer appliance), or bytes that do not form a record. The reader stops there rather
 * than skip a match a forwarder would then never deliver.
 */
public final class JournalFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long index;

    public JournalFormatException(final long index, final String reason) {
        super("journal record at index 0x" + Long.toHexString(index) + ": " + reason);
        this.index = index;
    }

    /** Chronicle index of the record that could not be read. */
    public long index() {
        return index;
    }
}
