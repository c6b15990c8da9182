package io.sigmatch.admin.forward;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.admin.Telemetry;
import io.sigmatch.decoder.Counters;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's forwarders, each an {@link Forwarder} agent on its own {@code sigmatch-forward-<name>}
 * thread reading the journal in dir. {@link #start()} starts them, {@link #close()} stops them (the batch
 * in flight, unacknowledged, is sent again on the next start). {@link #register} adds each one's lag to
 * the metrics as the gauges {@code sigmatch_forward_<name>_lag_records} and {@code _lag_seconds}.
 */
public final class Forwarders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarders.class);

    private final List<Forwarder> forwarders = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private boolean started;

    /** Builds (does not start) one forwarder per config; every config must be concluded. */
    public Forwarders(final List<ForwarderConfig> configs, final Path journalDir, final Counters counters)
        throws IOException, GeneralSecurityException {
        boolean ok = false;
        try {
            for (final ForwarderConfig c : configs) {
                final Downstream d = downstream(c);
                try {
                    forwarders.add(new Forwarder(c, journalDir, d, counters, SystemNanoClock.INSTANCE));
                } catch (final IOException | RuntimeException e) {
                    d.close();
                    throw e;
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                for (final Forwarder f : forwarders) {
                    f.onClose();
                }
            }
        }
    }

    static Downstream downstream(final ForwarderConfig c) throws IOException, GeneralSecurityException {
        return switch (c.kind()) {
            case WEBHOOK -> new WebhookDownstream(c);
            case KAFKA -> new KafkaDownstream(c);
        };
    }

    public List<Forwarder> list() {
        return List.copyOf(forwarders);
    }

    public Forwarders register(final Telemetry telemetry) {
        for (final Forwarder f : forwarders) {
            final String n = f.config().metricName();
            telemetry.gauge("sigmatch_forward_" + n + "_lag_records", "matches journaled and not yet acknowledged by forwarder "
                + f.name(), f::lagRecords);
            telemetry.gauge("sigmatch_forward_" + n + "_lag_seconds", "capture time between the last match forwarder " + f.name()
                + " had acknowledged and the newest journaled", f::lagSeconds);
        }
        return this;
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (final Forwarder f : forwarders) {
            final AgentRunner r = new AgentRunner(new SleepingMillisIdleStrategy(f.config().idleSleepMs()),
                t -> LOG.warn("forwarder {}: {}", f.name(), t.toString()), null, f);
            runners.add(r);
            AgentRunner.startOnThread(r);
        }
    }

    @Override
    public synchronized void close() {
        for (final AgentRunner r : runners) {
            r.close();
        }
        if (!started) {
            for (final Forwarder f : forwarders) {
                f.onClose();
            }
        }
        runners.clear();
    }
}
