package io.sigmatch.admin;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The figures behind the status page ({@code GET /status.json}): every counter by its dotted label,
 * per-rule counts grouped by rule, latency percentiles in microseconds, gauges, and the snapshot
 * versions, and each forwarder's lag. The page computes rates from two successive polls. Counts only: no identity is ever here.
 */
final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORWARD = "sigmatch_forward_";
    private static final String LAG_RECORDS = "_lag_records";
    private static final String LAG_SECONDS = "_lag_seconds";

    private StatusJson() {
    }

    static byte[] render(final Telemetry t, final SnapshotStore snapshots) throws java.io.IOException {
        final ObjectNode root = JSON.createObjectNode();
        root.put("timeMs", System.currentTimeMillis());
        root.put("uptimeSeconds", t.uptimeSeconds());
        final ObjectNode counters = root.putObject("counters");
        final TreeMap<String, ObjectNode> rules = new TreeMap<>();
        final Map<String, Long> values = new TreeMap<>();
        t.counters().forEach(values::put);
        long decodeErrors = 0;
        long drops = 0;
        for (final Map.Entry<String, Long> e : values.entrySet()) {
            final String label = e.getKey();
            final long v = e.getValue();
            counters.put(label, v);
            if (label.startsWith("rule.")) {
                final int dot = label.indexOf('.', 5);
                if (dot > 5) {
                    final ObjectNode r = rules.computeIfAbsent(label.substring(5, dot), k -> JSON.createObjectNode());
                    final String what = label.substring(dot + 1);
                    if (what.startsWith("suppressed.")) {
                        r.withObjectProperty("suppressed").put(what.substring("suppressed.".length()), v);
                    } else {
                        r.put(what, v);
                    }
                }
            } else if (label.startsWith("decode.") && label.contains(".error.")) {
                decodeErrors += v;
            } else if (label.contains(".drop") || label.equals("pipeline.undrained")) {
                drops += v;
            }
        }
        final ObjectNode totals = root.putObject("totals");
        totals.put("packets", values.getOrDefault("capture.packets", 0L));
        totals.put("events", values.getOrDefault("pipeline.events", 0L));
        totals.put("matches", values.getOrDefault("pipeline.matches", 0L));
        totals.put("decodeErrors", decodeErrors);
        totals.put("drops", drops);
        final ObjectNode r = root.putObject("rules");
        rules.forEach(r::set);
        final Histogram h = t.latency();
        final ObjectNode lat = root.putObject("latencyUs");
        if (h != null && h.getTotalCount() > 0) {
            lat.put("count", h.getTotalCount());
            lat.put("p50", h.getValueAtPercentile(50) / 1e3);
            lat.put("p99", h.getValueAtPercentile(99) / 1e3);
            lat.put("p999", h.getValueAtPercentile(99.9) / 1e3);
            lat.put("max", h.getMaxValue() / 1e3);
        } else {
            lat.put("count", 0);
        }
        final io.sigmatch.journal.JournalHealth jh = t.journal();
        if (jh != null) {
            final ObjectNode j = root.putObject("journal");
            j.put("bytes", jh.bytes());
            j.put("budgetBytes", jh.budgetBytes());
            j.put("freeBytes", jh.freeBytes());
            j.put("minFreeBytes", jh.minFreeBytes());
            j.put("cycles", jh.cycles());
            j.put("rollCycle", jh.rollCycle());
            if (jh.oldestCycleStartMs() >= 0) {
                j.put("oldestCycle", java.time.Instant.ofEpochMilli(jh.oldestCycleStartMs()).toString());
            }
            j.put("maxAgeSeconds", jh.maxAgeMs() / 1000);
            j.put("heldByForwarder", jh.heldByForwarder());
            j.put("alarm", jh.alarm());
            if (jh.alarmSinceMs() >= 0) {
                j.put("alarmSince", java.time.Instant.ofEpochMilli(jh.alarmSinceMs()).toString());
            }
            final ObjectNode dropped = j.putObject("dropped");
            for (final Map.Entry<String, Long> e : values.entrySet()) {
                if (e.getKey().startsWith("journal.drop.")) {
                    dropped.put(e.getKey().substring("journal.drop.".length()), e.getValue());
                }
            }
            final ArrayNode alarms = root.putArray("alarms");
            if (jh.alarm() != null) {
                alarms.addObject().put("name", "journal").put("reason", jh.alarm())
                    .put("message", JournalAlarms.message(jh));
            }
        }
        final ObjectNode gauges = root.putObject("gauges");
        final TreeMap<String, ObjectNode> forwarders = new TreeMap<>();
        for (final Telemetry.Gauge g : t.gauges()) {
            final double v = g.value().getAsDouble();
            gauges.put(g.name(), v);
            // each forwarder registers sigmatch_forward_<name>_lag_records and _lag_seconds (Forwarders.register)
            final String n = g.name();
            if (n.startsWith(FORWARD) && n.endsWith(LAG_RECORDS)) {
                forwarders.computeIfAbsent(n.substring(FORWARD.length(), n.length() - LAG_RECORDS.length()),
                    k -> JSON.createObjectNode()).put("lagRecords", (long) v);
            } else if (n.startsWith(FORWARD) && n.endsWith(LAG_SECONDS)) {
                forwarders.computeIfAbsent(n.substring(FORWARD.length(), n.length() - LAG_SECONDS.length()),
                    k -> JSON.createObjectNode()).put("lagSeconds", v);
            }
        }
        final ObjectNode fw = root.putObject("forwarders");
        forwarders.forEach(fw::set);
        final ObjectNode snap = root.putObject("snapshots");
        if (snapshots != null) {
            snap.put("serving", snapshots.servingVersion());
            snap.put("active", snapshots.activeVersion());
            snap.put("previous", snapshots.previousVersion());
            final ObjectNode states = snap.putObject("states");
            snapshots.states().forEach(states::put);
            final SnapshotStore.Activation a = snapshots.lastActivation();
            if (a != null) {
                snap.put("lastSwapUs", a.swapNanos() / 1e3);
                snap.put("lastLoadMs", a.loadNanos() / 1e6);
            }
        }
        return JSON.writeValueAsBytes(root);
    }
}
