package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import io.sigmatch.decoder.Counters;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The counter label → metric mapping, and that the whole output is valid exposition format. */
class PrometheusTextTest {
    private static void mapsTo(final String label, final String family, final String... labels) {
        final PrometheusText.Sample s = PrometheusText.map(label);
        assertEquals(family, s.family(), label);
        assertArrayEquals(labels, s.labels(), label);
    }

    @Test
    void dottedLabelsBecomeFamiliesWithLabels() {
        mapsTo("decode.gtpv2.error.truncated", "sigmatch_decode_errors_total", "proto", "gtpv2", "reason", "truncated");
        mapsTo("decode.gtpv2.messages", "sigmatch_decode_messages_total", "proto", "gtpv2");
        mapsTo("decode.gtpv2.skipped.gtpv1", "sigmatch_decode_skipped_total", "proto", "gtpv2", "reason", "gtpv1");
        mapsTo("dissect.error.unknown_link_type", "sigmatch_dissect_errors_total", "layer", "frame", "reason", "unknown_link_type");
        mapsTo("dissect.ipv4.error.bad_total_length", "sigmatch_dissect_errors_total", "layer", "ipv4", "reason", "bad_total_length");
        mapsTo("dissect.frag.drop.timeout", "sigmatch_dissect_frag_drops_total", "reason", "timeout");
        mapsTo("capture.error.truncated", "sigmatch_capture_errors_total", "reason", "truncated");
        mapsTo("pipeline.ignored.noIdentity", "sigmatch_pipeline_ignored_total", "reason", "noIdentity");
        mapsTo("pipeline.events", "sigmatch_pipeline_events_total");
        mapsTo("rule.data-welcome.matched", "sigmatch_rule_matched_total", "rule", "data-welcome");
        mapsTo("rule.data-welcome.suppressed.outsideValidity", "sigmatch_rule_suppressed_total", "rule", "data-welcome",
            "reason", "outsideValidity");
        mapsTo("capture.packets", "sigmatch_capture_packets_total");
    }

    private static final Pattern SAMPLE = Pattern.compile(
        "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? (-?[0-9.eE+-]+|NaN)");

    @Test
    void everyLineIsValidAndEveryFamilyIsTypedOnce() {
        final Counters c = new Counters();
        c.counter("decode.gtpv2.error.truncated").getAndAdd(3);
        c.counter("decode.gtpv2.error.bad_length").getAndAdd(1);
        c.counter("decode.gtpv2.messages").getAndAdd(100);
        c.counter("rule.r1.matched").getAndAdd(7);
        c.counter("rule.r1.suppressed.excluded").getAndAdd(2);
        c.counter("weird\"label").getAndAdd(1);
        final Histogram h = new Histogram(1, 60_000_000_000L, 3);
        h.recordValue(12_000);
        h.recordValue(40_000);
        final Telemetry t = new Telemetry(c, h::copy).gauge("sigmatch_journal_bytes", "journal bytes", () -> 1234);
        final String text = PrometheusText.render(t, null, new AdminStats());
        final Set<String> typed = new HashSet<>();
        for (final String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                assertTrue(typed.add(line.split(" ")[2]), "typed twice: " + line);
            } else if (!line.startsWith("# HELP ")) {
                assertTrue(SAMPLE.matcher(line).matches(), "not a sample line: " + line);
            }
        }
        assertTrue(text.contains("sigmatch_decode_errors_total{proto=\"gtpv2\",reason=\"truncated\"} 3\n"), text);
        assertTrue(text.contains("sigmatch_rule_suppressed_total{rule=\"r1\",reason=\"excluded\"} 2\n"), text);
        assertTrue(text.contains("sigmatch_match_latency_seconds_count 2\n"), text);
        assertTrue(text.contains("sigmatch_match_latency_seconds{quantile=\"1\"} 4.0"), text);
        assertTrue(text.contains("sigmatch_journal_bytes 1234\n"), text);
    }
}
