package io.sigmatch.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an area file (DESIGN §13) line by line before a version may be activated: CSV with the
 * header {@code plmn,cell}; {@code plmn} is MCC+MNC (5 or 6 digits), {@code cell} a decimal cell
 * identity (E-UTRAN ECI up to 2^28-1, NR NCI up to 2^36-1) or {@code LAC:CI} (16 bits each) for
 * GERAN/UTRAN. The matcher does not evaluate areas yet; this keeps a bad file from being staged
 * as good.
 */
final class AreaFileValidator {
    private static final long MAX_NCI = (1L << 36) - 1;

    private AreaFileValidator() {
    }

    /** Throws naming the file's line and reason; the message never repeats the line's content. */
    static long validate(final Path file, final String name) throws IOException, AdminException {
        long line = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String s;
            while ((s = r.readLine()) != null) {
                line++;
                s = s.strip();
                if (line == 1) {
                    if (s.startsWith("\uFEFF")) {
                        s = s.substring(1);
                    }
                    if (!s.equalsIgnoreCase("plmn,cell")) {
                        throw fault(name, line, "the header must be plmn,cell");
                    }
                    continue;
                }
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                final int comma = s.indexOf(',');
                if (comma < 0 || s.indexOf(',', comma + 1) >= 0) {
                    throw fault(name, line, "expected two fields plmn,cell");
                }
                final String plmn = s.substring(0, comma).strip();
                final String cell = s.substring(comma + 1).strip();
                if (!plmn.matches("[0-9]{5,6}")) {
                    throw fault(name, line, "plmn must be MCC+MNC, 5 or 6 digits");
                }
                if (cell.matches("[0-9]{1,5}:[0-9]{1,5}")) {
                    final int colon = cell.indexOf(':');
                    if (Integer.parseInt(cell.substring(0, colon)) > 0xFFFF || Integer.parseInt(cell.substring(colon + 1)) > 0xFFFF) {
                        throw fault(name, line, "LAC and CI are 16-bit values");
                    }
                } else if (!cell.matches("[0-9]{1,11}") || Long.parseLong(cell) > MAX_NCI) {
                    throw fault(name, line, "cell must be a decimal ECI/NCI or LAC:CI");
                }
            }
        }
        if (line == 0) {
            throw fault(name, 0, "empty file: the header plmn,cell is missing");
        }
        return line;
    }

    private static AdminException fault(final String name, final long line, final String reason) {
        return new AdminException(422, "areas/" + name + (line > 0 ? " line " + line : "") + ": " + reason,
            "areas/" + name, line, null);
    }
}
