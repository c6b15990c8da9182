package io.sigmatch.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.JournalHealth;
import org.HdrHistogram.Histogram;

/**
 * What the admin plane reads to report health: the {@link Counters} registry (read lock-free while
 * the hot threads count), the pipeline's capture-to-journal latency histogram, and gauges the
 * wiring provides (journal size, pipeline occupancy, ...). Read on each scrape, never pushed.
 */
public final class Telemetry {
    /** A gauge: a Prometheus metric name ({@code sigmatch_journal_bytes}), its help text and its reader. */
    public record Gauge(String name, String help, DoubleSupplier value) {
    }

    private final Counters counters;
    private final Supplier<Histogram> latency;
    private final List<Gauge> gauges = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile Supplier<JournalHealth> journal;

    /** latency may be null when there is no pipeline; it must return a copy (it is read off-thread). */
    public Telemetry(final Counters counters, final Supplier<Histogram> latency) {
        this.counters = counters;
        this.latency = latency;
    }

    /** Adds a gauge; the name must be a valid Prometheus metric name starting with sigmatch_. */
    public Telemetry gauge(final String name, final String help, final DoubleSupplier value) {
        if (!name.matches("sigmatch_[a-z0-9_]+")) {
            throw new IllegalArgumentException("gauge name must match sigmatch_[a-z0-9_]+: " + name);
        }
        synchronized (gauges) {
            gauges.add(new Gauge(name, help, value));
        }
        return this;
    }

    /**
     * The journal's disk (bytes, budget, free space, cycles, alarm) for the status page and the journal
     * gauges of /metrics; without it neither shows a journal.
     */
    public Telemetry journal(final Supplier<JournalHealth> health) {
        this.journal = health;
        return this;
    }

    /** The journal's health as last checked, null when there is no journal. */
    public JournalHealth journal() {
        final Supplier<JournalHealth> j = journal;
        return j == null ? null : j.get();
    }

    public Counters counters() {
        return counters;
    }

    /** A copy of the latency histogram, null when there is none. */
    public Histogram latency() {
        return latency == null ? null : latency.get();
    }

    public List<Gauge> gauges() {
        synchronized (gauges) {
            return List.copyOf(gauges);
        }
    }

    public double uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
