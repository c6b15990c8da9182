package io.sigmatch.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * Renders {@link Telemetry} in the Prometheus text exposition format (version 0.0.4). The dotted
 * counter labels of {@code Counters} become metric families with labels, so a dashboard sums or
 * splits them by protocol, layer, reason or rule without knowing every label in advance:
 *
 * <table>
 *   <tr><th>counter label</th><th>metric</th></tr>
 *   <tr><td>{@code decode.<proto>.messages}</td><td>{@code sigmatch_decode_messages_total{proto}}</td></tr>
 *   <tr><td>{@code decode.<proto>.error.<reason>}</td><td>{@code sigmatch_decode_errors_total{proto,reason}}</td></tr>
 *   <tr><td>{@code decode.<proto>.skipped.<what>}</td><td>{@code sigmatch_decode_skipped_total{proto,reason}}</td></tr>
 *   <tr><td>{@code dissect.error.<reason>}</td><td>{@code sigmatch_dissect_errors_total{layer="frame",reason}}</td></tr>
 *   <tr><td>{@code dissect.<layer>.error.<reason>}</td><td>{@code sigmatch_dissect_errors_total{layer,reason}}</td></tr>
 *   <tr><td>{@code <stage>.[<part>.]error.<reason>}</td><td>{@code sigmatch_<stage>_errors_total{component,reason}} (capture, journal, ...)</td></tr>
 *   <tr><td>{@code <stage>.<what>.drop.<reason>}</td><td>{@code sigmatch_<stage>_<what>_drops_total{reason}} (e.g. dissect.frag.drop.timeout)</td></tr>
 *   <tr><td>{@code pipeline.ignored.<reason>}</td><td>{@code sigmatch_pipeline_ignored_total{reason}}</td></tr>
 *   <tr><td>{@code rule.<id>.suppressed.<reason>}</td><td>{@code sigmatch_rule_suppressed_total{rule,reason}}</td></tr>
 *   <tr><td>{@code rule.<id>.<what>}</td><td>{@code sigmatch_rule_<what>_total{rule}} (evaluated, matched)</td></tr>
 *   <tr><td>anything else, {@code a.b.c}</td><td>{@code sigmatch_a_b_c_total}</td></tr>
 * </table>
 *
 * <p>Every counter is a monotonically increasing count ({@code _total}, type counter). Latency is a
 * summary {@code sigmatch_match_latency_seconds{quantile}} from the pipeline's HdrHistogram
 * (quantiles 0.5, 0.9, 0.99, 0.999 and 1 = max). Snapshots: {@code sigmatch_snapshot_info{version,state} 1}
 * per version that was active, activation and refusal counts, and the last swap and load times.
 * Label values are escaped as the format requires; rule ids and reasons never hold identities.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** One mapped sample: its family, its labels (name, value pairs) and value. */
    record Sample(String family, String[] labels) {
    }

    private PrometheusText() {
    }

    /** Maps a dotted counter label to its metric family and labels, as in the table above. */
    static Sample map(final String label) {
        final String[] p = label.split("\\.");
        if (p.length >= 3 && p[0].equals("rule")) {
            final String rule = p[1];
            if (p[2].equals("suppressed") && p.length >= 4) {
                return new Sample("sigmatch_rule_suppressed_total", new String[] {"rule", rule, "reason", join(p, 3)});
            }
            return new Sample("sigmatch_rule_" + name(join(p, 2)) + "_total", new String[] {"rule", rule});
        }
        if (p.length == 3 && p[0].equals("decode") && p[2].equals("messages")) {
            return new Sample("sigmatch_decode_messages_total", new String[] {"proto", p[1]});
        }
        if (p.length >= 4 && p[0].equals("decode") && p[2].equals("skipped")) {
            return new Sample("sigmatch_decode_skipped_total", new String[] {"proto", p[1], "reason", join(p, 3)});
        }
        final int error = indexOf(p, "error");
        if (error >= 1 && error < p.length - 1) {
            final String family = "sigmatch_" + name(p[0]) + "_errors_total";
            final String key = p[0].equals("decode") ? "proto" : p[0].equals("dissect") ? "layer" : "component";
            final String where = error == 1 ? (p[0].equals("dissect") ? "frame" : "") : join(p, 1, error);
            if (where.isEmpty()) {
                return new Sample(family, new String[] {"reason", join(p, error + 1)});
            }
            return new Sample(family, new String[] {key, where, "reason", join(p, error + 1)});
        }
        final int drop = indexOf(p, "drop");
        if (drop >= 1 && drop < p.length - 1) {
            return new Sample("sigmatch_" + name(join(p, 0, drop)) + "_drops_total", new String[] {"reason", join(p, drop + 1)});
        }
        if (p.length == 3 && p[0].equals("pipeline") && p[1].equals("ignored")) {
            return new Sample("sigmatch_pipeline_ignored_total", new String[] {"reason", p[2]});
        }
        return new Sample("sigmatch_" + name(label) + "_total", new String[0]);
    }

    /** The whole exposition: counters, latency, gauges, snapshots. */
    public static String render(final Telemetry t, final SnapshotStore snapshots, final AdminStats admin) {
        final TreeMap<String, List<String>> families = new TreeMap<>();
        t.counters().forEach((label, value) -> {
            final Sample s = map(label);
            families.computeIfAbsent(s.family(), k -> new ArrayList<>()).add(s.family() + labels(s.labels()) + " " + value);
        });
        final StringBuilder out = new StringBuilder(16 * 1024);
        for (final Map.Entry<String, List<String>> f : families.entrySet()) {
            out.append("# TYPE ").append(f.getKey()).append(" counter\n");
            for (final String line : f.getValue()) {
                out.append(line).append('\n');
            }
        }
        final Histogram h = t.latency();
        if (h != null) {
            final String n = "sigmatch_match_latency_seconds";
            out.append("# HELP ").append(n).append(" capture-to-journal latency of matches (HdrHistogram)\n");
            out.append("# TYPE ").append(n).append(" summary\n");
            for (final double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
                out.append(n).append("{quantile=\"").append(q).append("\"} ")
                    .append(seconds(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(q * 100))).append('\n');
            }
            out.append(n).append("{quantile=\"1\"} ").append(seconds(h.getMaxValue())).append('\n');
            out.append(n).append("_sum ").append(seconds(h.getMean() * h.getTotalCount())).append('\n');
            out.append(n).append("_count ").append(h.getTotalCount()).append('\n');
        }
        for (final Telemetry.Gauge g : t.gauges()) {
            gauge(out, g.name(), g.help(), g.value().getAsDouble());
        }
        final io.sigmatch.journal.JournalHealth j = t.journal();
        if (j != null) {
            gauge(out, "sigmatch_journal_bytes", "bytes of match journal on disk (its files' lengths)", j.bytes());
            gauge(out, "sigmatch_journal_budget_bytes", "the journal's disk budget, 0 when there is none", j.budgetBytes());
            gauge(out, "sigmatch_journal_free_bytes", "usable space on the journal's file system", j.freeBytes());
            gauge(out, "sigmatch_journal_cycles", "cycle files of the journal on disk", j.cycles());
            gauge(out, "sigmatch_journal_oldest_cycle_timestamp_seconds", "start of the oldest cycle on disk, Unix time",
                j.oldestCycleStartMs() < 0 ? Double.NaN : j.oldestCycleStartMs() / 1000.0);
            gauge(out, "sigmatch_journal_retention_held", "1 when a cycle past its age is kept for a forwarder",
                j.heldByForwarder() ? 1 : 0);
            out.append("# HELP sigmatch_journal_alarm 1 while matches are not journaled, by reason\n");
            out.append("# TYPE sigmatch_journal_alarm gauge\n");
            for (final String reason : new String[] {"disk_full", "read_only", "unwritable", "budget", "append_failed"}) {
                out.append("sigmatch_journal_alarm{reason=\"").append(reason).append("\"} ")
                    .append(reason.equals(j.alarm()) ? 1 : 0).append('\n');
            }
        }
        if (snapshots != null) {
            out.append("# HELP sigmatch_snapshot_info snapshot versions that have been active, by state\n");
            out.append("# TYPE sigmatch_snapshot_info gauge\n");
            for (final Map.Entry<String, String> v : snapshots.states().entrySet()) {
                out.append("sigmatch_snapshot_info").append(labels(new String[] {"version", v.getKey(), "state", v.getValue()}))
                    .append(" 1\n");
            }
            out.append("# TYPE sigmatch_snapshot_activations_total counter\n");
            out.append("sigmatch_snapshot_activations_total ").append(snapshots.activations()).append('\n');
            out.append("# TYPE sigmatch_snapshot_refusals_total counter\n");
            out.append("sigmatch_snapshot_refusals_total ").append(snapshots.refusals()).append('\n');
            final SnapshotStore.Activation a = snapshots.lastActivation();
            if (a != null) {
                gauge(out, "sigmatch_snapshot_swap_seconds", "time the pipeline took to switch to the last activated version",
                    a.swapNanos() / 1e9);
                gauge(out, "sigmatch_snapshot_load_seconds", "time the last activated version took to load and validate",
                    a.loadNanos() / 1e9);
            }
        }
        if (admin != null) {
            out.append("# TYPE sigmatch_admin_responses_total counter\n");
            for (final Map.Entry<Integer, Long> e : admin.responses().entrySet()) {
                out.append("sigmatch_admin_responses_total{code=\"").append(e.getKey()).append("\"} ").append(e.getValue())
                    .append('\n');
            }
            out.append("# TYPE sigmatch_admin_connections_refused_total counter\n");
            out.append("sigmatch_admin_connections_refused_total ").append(admin.connectionsRefused()).append('\n');
            gauge(out, "sigmatch_admin_connections", "open admin plane connections", admin.connections());
        }
        gauge(out, "sigmatch_uptime_seconds", "seconds since the admin plane started", t.uptimeSeconds());
        return out.toString();
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final double v) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(number(v)).append('\n');
    }

    private static String seconds(final double nanos) {
        return number(nanos / 1e9);
    }

    private static String number(final double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static String labels(final String[] kv) {
        if (kv.length == 0) {
            return "";
        }
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(kv[i]).append("=\"");
            final String v = kv[i + 1];
            for (int j = 0; j < v.length(); j++) {
                final char c = v.charAt(j);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** A metric name part: letters, digits and '_' only. */
    private static String name(final String s) {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return sb.toString();
    }

    private static int indexOf(final String[] p, final String s) {
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }

    private static String join(final String[] p, final int from) {
        return join(p, from, p.length);
    }

    private static String join(final String[] p, final int from, final int to) {
        return String.join("_", java.util.Arrays.asList(p).subList(from, to));
    }
}
