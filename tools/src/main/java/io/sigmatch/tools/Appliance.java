package io.sigmatch.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sigmatch.admin.AdminServer;
import io.sigmatch.admin.AuditLog;
import io.sigmatch.admin.SnapshotStore;
import io.sigmatch.admin.Telemetry;
import io.sigmatch.admin.TokenStore;
import io.sigmatch.admin.forward.Forwarders;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.live.BpfProgram;
import io.sigmatch.decoder.capture.live.CpuAffinity;
import io.sigmatch.decoder.capture.live.LiveCapture;
import io.sigmatch.decoder.capture.live.LiveCaptureConfig;
import io.sigmatch.decoder.capture.live.LiveCaptureException;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.Pipeline;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's main job as one object: capture (files replayed in capture-time order on the
 * {@code sigmatch-intake} thread, or live from an interface on {@code capture.threads} AF_PACKET
 * threads, each with its own decoder and publisher) → decoder → {@link IntakeGate} → match pipeline →
 * journal, with the
 * snapshot store and the admin plane beside it. {@code sigmatch run} and {@code sigmatch demo} both
 * start one.
 *
 * <p>{@link #close()} is the clean shutdown, in order: stop intake (nothing more is published), drain
 * the pipeline (every published event matched and journaled), close the journal (appenders flushed
 * by the shard threads as they stop), then close the admin plane and free the rule set. It is what
 * the SIGTERM hook runs.
 */
final class Appliance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
    static final String EMPTY_RULES = "{\"version\":\"none\",\"rules\":[]}";

    final ApplianceConfig config;
    final Counters counters = new Counters();
    private final AuditLog audit;
    final SnapshotStore snapshots;
    private final MatchJournal journal;
    final Pipeline pipeline;
    private final IntakeGate gate;
    private final SignalingDecoder decoder;
    /** Live capture (null when replaying files) and the gates of its threads. */
    private final LiveCapture live;
    private final java.util.List<IntakeGate> liveGates = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AdminServer admin;
    private final Forwarders forwarders;
    /** Outcomes posted back by the platform (POST /outcomes), null without an admin plane. */
    private final io.sigmatch.admin.Outcomes outcomes;
    private final Thread intake;
    private volatile long frames;
    private volatile Exception intakeFailure;
    private volatile boolean closing;
    private boolean closed;
    private final long startNanos = System.nanoTime();
    private volatile long intakeNanos;

    private Appliance(final ApplianceConfig config, final TokenStore tokens) throws Exception {
        this.config = config;
        if (config.shardCpus.length > 0) {
            config.pipeline.onShardThreadStart(shard -> CpuAffinity.pinCurrentThread(config.shardCpus[shard]));
        }
        boolean ok = false;
        LiveCapture l = null;
        AuditLog a = null;
        SnapshotStore s = null;
        MatchJournal j = null;
        Pipeline p = null;
        AdminServer srv = null;
        Forwarders fw = null;
        io.sigmatch.admin.Outcomes o = null;
        try {
            a = AuditLog.open(config.audit);
            final Pipeline[] late = new Pipeline[1];
            // the store needs the activator, the activator the pipeline, the pipeline the store's rule set
            s = SnapshotStore.open(config.dataDir, next -> {
                if (late[0] == null) {
                    throw new IllegalStateException("the match pipeline is not up yet");
                }
                return late[0].activate(next);
            }, a);
            final RuleSet fallback = s.activeVersion() != null ? null : config.rules != null
                ? RuleSnapshotParser.load(config.rules)
                : RuleSnapshotParser.parse(EMPTY_RULES.getBytes(StandardCharsets.US_ASCII), "empty", config.dataDir);
            final RuleSet rules;
            try {
                rules = s.openActive(fallback);
            } catch (final io.sigmatch.admin.AdminException e) {
                throw new IOException("the last active snapshot " + s.activeVersion() + " no longer loads: " + e.getMessage());
            }
            j = MatchJournal.open(config.journalDir, config.journal.counters(counters::counter));
            if (config.pipeline.stateDir() == null) {
                // subscriber state and timers persist beside the snapshots: a restart resumes them (issue 6)
                config.pipeline.stateDir(config.dataDir.resolve("state"));
            }
            p = Pipeline.create(config.pipeline, rules, j, counters);
            // live capture never waits for a full ring: the drop is counted (pipeline.intake.drop.ring_full)
            p.dropWhenFull(config.captureInterface != null);
            if (config.captureInterface == null) {
                p.resumeFrom(journaledProcedures(config.journalDir));
            }
            late[0] = p;
            p.start();
            if (config.captureInterface != null) {
                final LiveCaptureConfig lc = new LiveCaptureConfig().interfaceName(config.captureInterface)
                    .threads(config.captureThreads).promiscuous(config.promiscuous)
                    .blockSizeBytes(LiveCaptureConfig.DEFAULT_BLOCK_SIZE_BYTES).blockCount(config.ringMib);
                if (config.captureFilter != null) {
                    lc.filter(BpfProgram.parse(config.captureFilter));
                }
                try {
                    l = LiveCapture.open(lc, counters);
                } catch (final LiveCaptureException e) {
                    throw new IOException("capture.interface " + config.captureInterface + ": " + e.getMessage(), e);
                }
            }
            final Pipeline pipe = p;
            final MatchJournal jour = j;
            final IntakeGate g = new IntakeGate(p, counters.counter("pipeline.ignored.shutdown"));
            final SnapshotStore store = s;
            // forwarders read the journal on their own threads: a slow or dead downstream never reaches capture
            fw = new Forwarders(config.forwarders, j.directory(), counters);
            // retention by age keeps what a forwarder has not passed (the budget alone overrides that)
            final Forwarders fwd = fw;
            j.retentionFloor(() -> {
                long min = Long.MAX_VALUE;
                for (final io.sigmatch.admin.forward.Forwarder f : fwd.list()) {
                    min = Math.min(min, f.cursorIndex());
                }
                return min;
            });
            if (config.adminEnabled) {
                final Telemetry t = new Telemetry(counters, pipe::latencyHistogram)
                    .gauge("sigmatch_pipeline_in_flight", "events published to the pipeline and not yet matched, all shards "
                        + "(at most one batch stale)", () -> Math.max(0, published() - counters.get("pipeline.events")
                            - counters.get(Pipeline.RING_FULL_DROPS_LABEL)))
                    .gauge("sigmatch_pipeline_ring_slots", "ring slots, all shards (occupancy = in_flight / ring_slots)",
                        () -> (double) config.pipeline.ringSize() * pipe.shards())
                    .gauge("sigmatch_pipeline_shards", "match shards", pipe::shards)
                    .journal(jour::health);
                fw.register(t);
                o = io.sigmatch.admin.Outcomes.open(config.dataDir.resolve("outcomes"), j.directory(), counters);
                srv = new AdminServer(config.admin, tokens, a, s, t, () -> !closing && store.servingVersion() != null)
                    .matches(j.directory()).outcomes(o);
            }
            fw.start();
            this.gate = g;
            ok = true;
        } finally {
            if (!ok) {
                if (l != null) {
                    l.close();
                }
                if (p != null) {
                    p.close();
                }
                if (fw != null) {
                    fw.close();
                }
                closeQuietly(o);
                if (j != null) {
                    j.close();
                }
                if (s != null) {
                    s.close();
                }
                if (a != null) {
                    a.close();
                }
            }
        }
        this.audit = a;
        this.snapshots = s;
        this.journal = j;
        this.pipeline = p;
        this.admin = srv;
        this.live = l;
        this.decoder = l != null ? null : new SignalingDecoder(counters, config.decoderConfig(), gate);
        this.intake = new Thread(l != null ? this::runLive : this::runIntake, "sigmatch-intake");
        this.forwarders = fw;
        this.outcomes = o;
        intake.setDaemon(true);
    }

    /** Builds and starts the appliance: pipeline up, admin plane bound, intake running. */
    static Appliance start(final ApplianceConfig config, final TokenStore tokens) throws Exception {
        final Appliance a = new Appliance(config, tokens);
        try {
            a.startAdmin();
            a.intake.start();
            return a;
        } catch (final Exception | Error e) {
            a.close();
            throw e;
        }
    }

    private void startAdmin() throws InterruptedException {
        if (admin == null) {
            return;
        }
        admin.start();
    }

    private void runIntake() {
        try {
            frames = decoder.decodeFiles(config.captureFiles, config.speed);
            decoder.finish();
        } catch (final IOException | RuntimeException e) {
            intakeFailure = e;
            LOG.error("capture intake stopped: {}", e.toString());
        } finally {
            intakeNanos = System.nanoTime() - startNanos;
        }
    }

    /**
     * Live capture until {@link #close()}: each capture thread (pinned when capture.cpus says so) gets
     * its own decoder and its own publisher, so no state is shared between capture threads; the
     * kernel's fanout hash keeps each flow on one of them.
     */
    private void runLive() {
        try {
            frames = live.run(i -> {
                if (config.captureCpus.length > 0) {
                    CpuAffinity.pinCurrentThread(config.captureCpus[i]);
                }
                final IntakeGate g = config.captureThreads == 1 ? gate
                    : new IntakeGate(pipeline.newPublisher(), counters.counter("pipeline.ignored.shutdown"));
                if (g != gate) {
                    liveGates.add(g);
                }
                final SignalingDecoder d = new SignalingDecoder(counters, config.decoderConfig(), g);
                return new LiveCapture.Worker() {
                    @Override
                    public void onFrame(final Frame frame) {
                        d.dissector().onFrame(frame);
                    }

                    @Override
                    public void endOfBatch() {
                    }

                    @Override
                    public void finish() {
                        d.finish();
                    }
                };
            });
            if (counters.get("capture.live.error.worker") > 0) {
                intakeFailure = new IOException("a live capture thread failed; see capture.live.error.worker");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            intakeFailure = e;
            LOG.error("live capture stopped: {}", e.toString());
        } finally {
            intakeNanos = System.nanoTime() - startNanos;
        }
    }

    boolean live() {
        return live != null;
    }

    /**
     * The procedures a replay has journaled matches for already (a restart after kill -9), as the
     * upper 112 bits of their match ids; null when the journal is empty. Read once at start.
     */
    static Pipeline.Resume journaledProcedures(final java.nio.file.Path journalDir) throws IOException {
        if (!java.nio.file.Files.isDirectory(journalDir)) {
            return null;
        }
        final java.util.Set<Long> low = new java.util.HashSet<>();
        final java.util.Set<java.util.List<Long>> ids = new java.util.HashSet<>();
        try (io.sigmatch.journal.MatchJournalReader reader = io.sigmatch.journal.MatchJournalReader.open(journalDir)) {
            final io.sigmatch.journal.MatchRecord r = new io.sigmatch.journal.MatchRecord();
            while (reader.next(r)) {
                ids.add(java.util.List.of(r.matchIdHigh(), r.matchIdLow() >>> 16));
                low.add(r.matchIdLow() >>> 16);
            }
        } catch (final io.sigmatch.journal.JournalFormatException e) {
            throw new IOException("journal " + journalDir + ": " + e.getMessage(), e);
        }
        if (ids.isEmpty()) {
            return null;
        }
        LOG.info("replay resumes: {} procedures already journaled are skipped", ids.size());
        return (timeNs, sourceId, sequence) -> {
            final long key = ((long) (sourceId & 0xFFFF) << 32) | sequence;
            return low.contains(key) && ids.contains(java.util.List.of(timeNs, key));
        };
    }

    /** Procedures published into the pipeline so far, all capture threads. */
    long published() {
        long n = gate == null ? 0 : gate.published();
        for (final IntakeGate g : liveGates) {
            n += g.published();
        }
        return n;
    }

    /** The admin plane's port, -1 when it is disabled. */
    int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    boolean adminTls() {
        return admin != null && admin.tls();
    }

    /** Waits until the capture files are replayed and every published event is matched. */
    void awaitIntake() throws Exception {
        intake.join();
        if (intakeFailure != null) {
            throw intakeFailure;
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.pipeline.drainTimeoutMs());
        while (counters.get("pipeline.events") + counters.get(Pipeline.RING_FULL_DROPS_LABEL) < published()
            && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /**
     * Waits until every forwarder has had everything journaled acknowledged, at most timeoutMs; true when
     * they all caught up (or there are none).
     */
    boolean awaitForwarded(final long timeoutMs) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final long last = journal.lastIndex();
        while (true) {
            boolean behind = false;
            for (final io.sigmatch.admin.forward.Forwarder f : forwarders.list()) {
                behind |= f.cursorIndex() < last;
            }
            if (!behind) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
    }

    Forwarders forwarders() {
        return forwarders;
    }

    /** Frames read so far and the replay's duration, for the summary. */
    ReplayCommand.Summary summary() {
        return new ReplayCommand.Summary(counters, frames, intakeNanos, pipeline.latencyHistogram());
    }

    Path journalDir() {
        return journal.directory();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        if (live != null) {
            // capture threads notice within the poll timeout, then finish their decoders (publishing
            // what completes at the end) before the gates close
            live.stop();
            try {
                intake.join(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (gate != null && !gate.close(5_000)) {
            LOG.warn("intake still publishing after 5 s; closing the pipeline anyway");
        }
        for (final IntakeGate g : liveGates) {
            if (!g.close(5_000)) {
                LOG.warn("a capture thread still publishing after 5 s; closing the pipeline anyway");
            }
        }
        if (live != null) {
            live.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (forwarders != null) {
            // the batch in flight, unacknowledged, is sent again at the next start (its cursor did not move)
            forwarders.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (admin != null) {
            admin.close();
        }
        closeQuietly(outcomes);
        if (snapshots != null) {
            snapshots.close();
        }
        try {
            if (audit != null) {
                audit.close();
            }
        } catch (final IOException e) {
            LOG.warn("audit log close: {}", e.toString());
        }
    }

    private static void closeQuietly(final io.sigmatch.admin.Outcomes o) {
        if (o == null) {
            return;
        }
        try {
            o.close();
        } catch (final IOException e) {
            LOG.warn("outcomes close: {}", e.toString());
        }
    }

    void printAdmin(final PrintStream err, final String who) {
        if (admin != null) {
            err.println(who + ": admin plane on " + (admin.tls() ? "https" : "http") + "://" + config.admin.bind() + ":"
                + admin.port() + " (status page: /status)");
        }
    }
}
