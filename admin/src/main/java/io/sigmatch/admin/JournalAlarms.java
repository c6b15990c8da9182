package io.sigmatch.admin;

import io.sigmatch.journal.JournalHealth;

/** The journal alarm in the operator's words, for the status page and the log. */
final class JournalAlarms {
    private JournalAlarms() {
    }

    static String message(final JournalHealth h) {
        if (h.alarm() == null) {
            return null;
        }
        return switch (h.alarm()) {
            case "disk_full" -> "journal disk full: " + h.freeBytes() + " bytes free, " + h.minFreeBytes()
                + " kept free; matches are not journaled (counted as dropped) until space returns";
            case "read_only" -> "journal file system is read-only; matches are not journaled (counted as dropped)";
            case "unwritable" -> "journal directory does not take new files; matches are not journaled (counted as dropped)";
            case "budget" -> "journal past its disk budget (" + h.bytes() + " of " + h.budgetBytes()
                + " bytes) with nothing left retention may delete; matches are not journaled (counted as dropped)";
            case "append_failed" -> "journal appends failed in the last 10 s (counted as dropped); see the log";
            default -> "journal: " + h.alarm();
        };
    }
}
