package io.sigmatch.tools;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

import io.sigmatch.decoder.Counters;

/** The stderr summary of a decode or replay: packets read, messages by protocol, errors by reason. */
final class DecodeSummary {
    private DecodeSummary() {
    }

    static void print(final Counters counters, final PrintStream err) {
        final Map<String, Long> messages = new TreeMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        final long[] packets = {0};
        counters.forEach((label, value) -> {
            if (label.equals("capture.packets")) {
                packets[0] = value;
            } else if (label.startsWith("decode.") && label.endsWith(".messages")) {
                messages.put(label.substring("decode.".length(), label.length() - ".messages".length()), value);
            } else if (label.contains(".error.") && value > 0) {
                errors.put(label, value);
            }
        });
        final StringBuilder sb = new StringBuilder(256);
        sb.append("packets read: ").append(packets[0]).append('\n');
        sb.append("messages:");
        long total = 0;
        for (final Map.Entry<String, Long> e : messages.entrySet()) {
            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
            total += e.getValue();
        }
        sb.append(messages.isEmpty() ? " none" : " (total " + total + ")").append('\n');
        sb.append("errors:");
        for (final Map.Entry<String, Long> e : errors.entrySet()) {
            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        sb.append(errors.isEmpty() ? " none" : "").append('\n');
        err.print(sb);
        err.flush();
    }
}
