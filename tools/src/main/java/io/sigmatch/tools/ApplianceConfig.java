package io.sigmatch.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigmatch.admin.AdminConfig;
import io.sigmatch.admin.forward.ForwarderConfig;
import io.sigmatch.admin.forward.ForwarderSettings;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.matcher.PipelineConfig;

/**
 * The appliance's configuration file ({@code sigmatch run --config FILE}), YAML, documented with an
 * example in docs/install.md. Every key is known: an unknown or misspelt key, a wrong type or a value
 * out of range is refused with the key's dotted path and why ({@code pipeline.shards: must be an
 * integer from 1 to 64, got "four"}). Relative paths are relative to the file's directory.
 *
 * <pre>
 * capture:   { files: [a.pcapng, ...], speed: 0 }                  # replay, or live:
 * capture:   { interface: eth1, threads: 2, promiscuous: true, ringMib: 64, filter: "@/etc/sigmatch/filter.bpf",
 *              cpus: [2, 3] }                                        # one CPU per capture thread
 * decoder:   { countryCode: 86, ports: ["gtpv2=2123"] }
 * pipeline:  { shards: 2, ringSize: 65536, waitStrategy: sleeping, drainTimeoutMs: 30000, cpus: [4, 5] }
 * journal:   { dir: /var/lib/sigmatch/journal, rollCycle: daily, minFree: 1GiB,
 *              retention: { maxAge: 7d, diskBudget: 20GiB } }
 * data:      { dir: /var/lib/sigmatch }
 * rules:     /etc/sigmatch/bootstrap/snapshot.json    # used until a version has been activated
 * admin:     { enabled: true, bind: 127.0.0.1, port: 7443, tokens: /etc/sigmatch/tokens,
 *              audit: /var/lib/sigmatch/audit.log,
 *              tls: { cert: c.pem, key: k.pem, clientCa: ca.pem },
 *              limits: { maxConnections: 64, requestsPerSecond: 20, burst: 100, maxUploadBytes: 17179869184,
 *                        maxJsonBodyBytes: 16777216, maxRequestLineBytes: 4096, maxHeaderBytes: 8192,
 *                        idleTimeoutSeconds: 120 } }
 * appliance: { id: probe-7 }     # in a fleet: every forwarded match carries it (docs/fleet.md)
 * forwarders: [ { name: crm, type: webhook, url: https://..., ... }, { name: fleet, type: kafka, ... } ]
 * </pre>
 * The {@code forwarders} list is read by {@code io.sigmatch.admin.forward.ForwarderSettings} (docs/forwarding.md).
 */
final class ApplianceConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Known keys by parent path ("" is the root). */
    private static final Map<String, Set<String>> KEYS = Map.ofEntries(
        Map.entry("", Set.of("appliance", "capture", "decoder", "pipeline", "journal", "data", "rules", "admin", "forwarders")),
        Map.entry("appliance", Set.of("id")),
        Map.entry("capture", Set.of("files", "speed", "interface", "threads", "promiscuous", "ringMib", "filter", "cpus")),
        Map.entry("decoder", Set.of("countryCode", "ports")),
        Map.entry("pipeline", Set.of("shards", "ringSize", "waitStrategy", "drainTimeoutMs", "cpus")),
        Map.entry("journal", Set.of("dir", "rollCycle", "retention", "minFree")),
        Map.entry("journal.retention", Set.of("maxAge", "diskBudget")),
        Map.entry("data", Set.of("dir")),
        Map.entry("admin", Set.of("enabled", "bind", "port", "tokens", "audit", "tls", "limits")),
        Map.entry("admin.tls", Set.of("cert", "key", "clientCa")),
        Map.entry("admin.limits", Set.of("maxConnections", "requestsPerSecond", "burst", "maxUploadBytes", "maxJsonBodyBytes",
            "maxRequestLineBytes", "maxHeaderBytes", "idleTimeoutSeconds")));

    final String source;
    final List<Path> captureFiles = new ArrayList<>();
    double speed;
    String captureInterface;
    int captureThreads = 1;
    boolean promiscuous = true;
    int ringMib = 64;
    /** Classic BPF as `tcpdump -ddd` prints it (BpfProgram.parse), read from the file when it starts with '@'. */
    String captureFilter;
    /** CPU per capture thread / per shard thread; empty = not pinned. */
    int[] captureCpus = new int[0];
    int[] shardCpus = new int[0];
    final DecoderConfig decoder = new DecoderConfig();
    final PipelineConfig pipeline = new PipelineConfig();
    Path journalDir;
    final JournalConfig journal = new JournalConfig();
    Path dataDir;
    Path rules;
    boolean adminEnabled = true;
    final AdminConfig admin = new AdminConfig();
    Path tokens;
    Path audit;
    /** This appliance's name in a fleet ({@code appliance.id}), carried in every forwarded match. */
    String applianceId;
    /** The forwarders: {@code forwarders:} in the file; none by default. */
    final List<ForwarderConfig> forwarders = new ArrayList<>();

    private ApplianceConfig(final String source) {
        this.source = source;
    }

    /** The demo's embedded default: the captures replayed as fast as possible, everything under work. */
    static ApplianceConfig demo(final java.util.List<Path> captures, final Path rules, final Path work, final int port,
        final Path tokens, final DecoderConfig decoder) {
        final ApplianceConfig c = new ApplianceConfig("demo");
        c.captureFiles.addAll(captures);
        c.rules = rules;
        c.dataDir = work.resolve("data");
        c.journalDir = work.resolve("journal");
        c.audit = c.dataDir.resolve("audit.log");
        c.tokens = tokens;
        c.admin.port(port).conclude();
        c.decoder.countryCode(decoder.countryCode());
        c.demoDecoder = decoder;
        c.pipeline.conclude();
        return c;
    }

    /** The decoder settings to use: the demo's command-line ones, or the file's. */
    DecoderConfig decoderConfig() {
        return demoDecoder != null ? demoDecoder : decoder;
    }

    private DecoderConfig demoDecoder;

    /** A refused configuration: names the file and the key. */
    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(final String message) {
            super(message);
        }
    }

    static ApplianceConfig load(final Path file) throws ConfigException {
        final String source = file.getFileName().toString();
        final JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (final JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML"
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new ConfigException(source + ": unreadable: " + e.getMessage());
        }
        final Path base = file.toAbsolutePath().getParent();
        final ApplianceConfig c = new ApplianceConfig(source);
        c.parse(root == null || root.isMissingNode() ? YAML.createObjectNode() : root, base);
        return c;
    }

    private ConfigException bad(final String key, final String why) {
        return new ConfigException(source + ": " + key + ": " + why);
    }

    private void checkKeys(final JsonNode node, final String path) throws ConfigException {
        if (!node.isObject()) {
            throw bad(path.isEmpty() ? "(root)" : path, "must be a mapping of keys");
        }
        final Set<String> known = KEYS.get(path);
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            final String k = it.next();
            if (!known.contains(k)) {
                throw bad(path.isEmpty() ? k : path + "." + k, "unknown key (known here: " + String.join(", ",
                    new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private JsonNode section(final JsonNode root, final String path) throws ConfigException {
        final JsonNode n = root.get(path.substring(path.lastIndexOf('.') + 1));
        if (n == null || n.isNull()) {
            return null;
        }
        checkKeys(n, path);
        return n;
    }

    private long integer(final JsonNode parent, final String key, final String path, final long min, final long max,
        final long dflt) throws ConfigException {
        final JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw bad(path, "must be an integer from " + min + " to " + max + ", got " + n);
        }
        return n.asLong();
    }

    /** A list of CPU numbers, one per thread (threads of them), or none. */
    private int[] cpus(final JsonNode parent, final String path, final int threads, final String threadsKey)
        throws ConfigException {
        final JsonNode n = parent == null ? null : parent.get("cpus");
        if (n == null || n.isNull()) {
            return new int[0];
        }
        if (!n.isArray() || n.size() != threads) {
            throw bad(path, "must be a list of " + threads + " CPU number(s), one per thread (" + threadsKey + " is "
                + threads + "), got " + n);
        }
        final int[] cpus = new int[threads];
        for (int i = 0; i < threads; i++) {
            final JsonNode c = n.get(i);
            if (!c.isIntegralNumber() || c.asInt() < 0 || c.asInt() > 1023) {
                throw bad(path + "[" + i + "]", "must be a CPU number from 0 to 1023, got " + c);
            }
            cpus[i] = c.asInt();
        }
        return cpus;
    }

    private String text(final JsonNode parent, final String key, final String path) throws ConfigException {
        final JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw bad(path, "must be a non-empty string, got " + n);
        }
        return n.asText();
    }

    /** A string or a number, as text (a size or duration may be written either way); null when absent. */
    private String scalar(final JsonNode parent, final String key, final String path) throws ConfigException {
        final JsonNode n = parent == null ? null : parent.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.asLong() >= 0) {
            return Long.toString(n.asLong());
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw bad(path, "must be a value like 20GiB or 7d, got " + n);
        }
        return n.asText();
    }

    private Path path(final JsonNode parent, final String key, final String path, final Path base) throws ConfigException {
        final String t = text(parent, key, path);
        return t == null ? null : base.resolve(t).normalize();
    }

    private void parse(final JsonNode root, final Path base) throws ConfigException {
        checkKeys(root, "");
        final JsonNode capture = section(root, "capture");
        if (capture != null) {
            final JsonNode files = capture.get("files");
            if (files != null && !files.isNull()) {
                if (!files.isArray()) {
                    throw bad("capture.files", "must be a list of capture files");
                }
                for (int i = 0; i < files.size(); i++) {
                    if (!files.get(i).isTextual()) {
                        throw bad("capture.files[" + i + "]", "must be a file name");
                    }
                    final Path f = base.resolve(files.get(i).asText()).normalize();
                    if (!Files.isReadable(f)) {
                        throw bad("capture.files[" + i + "]", "cannot read " + f);
                    }
                    captureFiles.add(f);
                }
            }
            final JsonNode s = capture.get("speed");
            if (s != null && !s.isNull()) {
                if (!s.isNumber() || s.asDouble() < 0 || s.asDouble() > 1e6) {
                    throw bad("capture.speed", "must be a number from 0 (as fast as possible) to 1000000, got " + s);
                }
                speed = s.asDouble();
            }
            captureInterface = text(capture, "interface", "capture.interface");
            captureThreads = (int) integer(capture, "threads", "capture.threads", 1, 64, 1);
            ringMib = (int) integer(capture, "ringMib", "capture.ringMib", 1, 65536, 64);
            if (capture.has("promiscuous") && !capture.get("promiscuous").isNull()) {
                if (!capture.get("promiscuous").isBoolean()) {
                    throw bad("capture.promiscuous", "must be true or false");
                }
                promiscuous = capture.get("promiscuous").asBoolean();
            }
            final String filter = text(capture, "filter", "capture.filter");
            if (filter != null) {
                try {
                    captureFilter = filter.startsWith("@") ? Files.readString(base.resolve(filter.substring(1))) : filter;
                    io.sigmatch.decoder.capture.live.BpfProgram.parse(captureFilter);
                } catch (final IOException e) {
                    throw bad("capture.filter", "cannot read " + filter.substring(1) + ": " + e.getMessage());
                } catch (final IllegalArgumentException e) {
                    throw bad("capture.filter", e.getMessage());
                }
            }
            captureCpus = cpus(capture, "capture.cpus", captureThreads, "capture.threads");
            if (captureInterface != null && !captureFiles.isEmpty()) {
                throw bad("capture", "give files (replay) or interface (live), not both");
            }
            if (captureInterface == null && (capture.has("threads") || capture.has("filter") || capture.has("cpus")
                || capture.has("ringMib") || capture.has("promiscuous"))) {
                throw bad("capture", "threads, filter, cpus, ringMib and promiscuous are for live capture (interface)");
            }
        }
        final JsonNode decoderNode = section(root, "decoder");
        try {
            decoder.countryCode((int) integer(decoderNode, "countryCode", "decoder.countryCode", 1, 999, 86));
            if (decoderNode != null && decoderNode.has("ports")) {
                final JsonNode ports = decoderNode.get("ports");
                if (!ports.isArray()) {
                    throw bad("decoder.ports", "must be a list like [\"gtpv2=2123\", \"sip=5080\"]");
                }
                for (int i = 0; i < ports.size(); i++) {
                    try {
                        decoder.ports(ports.get(i).asText());
                    } catch (final IllegalArgumentException e) {
                        throw bad("decoder.ports[" + i + "]", e.getMessage());
                    }
                }
            }
            decoder.conclude();
        } catch (final IllegalArgumentException e) {
            throw bad("decoder", e.getMessage());
        }
        final JsonNode p = section(root, "pipeline");
        pipeline.shards((int) integer(p, "shards", "pipeline.shards", 1, 64, pipeline.shards()));
        pipeline.ringSize((int) integer(p, "ringSize", "pipeline.ringSize", 64, 1 << 22, pipeline.ringSize()));
        pipeline.drainTimeoutMs(integer(p, "drainTimeoutMs", "pipeline.drainTimeoutMs", 0, 3_600_000, pipeline.drainTimeoutMs()));
        shardCpus = cpus(p, "pipeline.cpus", pipeline.shards(), "pipeline.shards");
        // several capture threads publish at once: each gets its own publisher on a multi-producer ring
        pipeline.multiProducer(captureInterface != null && captureThreads > 1);
        final String wait = text(p, "waitStrategy", "pipeline.waitStrategy");
        if (wait != null) {
            pipeline.waitStrategy(wait);
        }
        try {
            pipeline.conclude();
        } catch (final IllegalArgumentException e) {
            throw bad(e.getMessage().contains("waitStrategy") ? "pipeline.waitStrategy"
                : e.getMessage().contains("ringSize") ? "pipeline.ringSize" : "pipeline", e.getMessage());
        }
        final JsonNode data = section(root, "data");
        dataDir = path(data, "dir", "data.dir", base);
        if (dataDir == null) {
            throw bad("data.dir", "missing: where snapshots and the audit log are kept (e.g. /var/lib/sigmatch)");
        }
        final JsonNode j = section(root, "journal");
        journalDir = path(j, "dir", "journal.dir", base);
        if (journalDir == null) {
            journalDir = dataDir.resolve("journal");
        }
        final String roll = text(j, "rollCycle", "journal.rollCycle");
        if (roll != null) {
            try {
                journal.rollCycle(roll);
                journal.conclude();
            } catch (final IllegalArgumentException e) {
                throw bad("journal.rollCycle", e.getMessage());
            }
        }
        final JsonNode retention = j == null ? null : section(j, "journal.retention");
        final String maxAge = scalar(retention, "maxAge", "journal.retention.maxAge");
        if (maxAge != null) {
            try {
                journal.retentionMaxAgeMs(JournalConfig.parseDurationMs(maxAge));
            } catch (final IllegalArgumentException e) {
                throw bad("journal.retention.maxAge", e.getMessage());
            }
        }
        final String budget = scalar(retention, "diskBudget", "journal.retention.diskBudget");
        if (budget != null) {
            try {
                journal.diskBudgetBytes(JournalConfig.parseBytes(budget));
            } catch (final IllegalArgumentException e) {
                throw bad("journal.retention.diskBudget", e.getMessage());
            }
        }
        final String minFree = scalar(j, "minFree", "journal.minFree");
        if (minFree != null) {
            try {
                journal.minFreeBytes(JournalConfig.parseBytes(minFree));
            } catch (final IllegalArgumentException e) {
                throw bad("journal.minFree", e.getMessage());
            }
        }
        try {
            journal.conclude();
        } catch (final IllegalArgumentException e) {
            final String m = e.getMessage();
            throw bad(m.startsWith(JournalConfig.DISK_BUDGET_BYTES_PROP) ? "journal.retention.diskBudget"
                : m.startsWith(JournalConfig.MIN_FREE_BYTES_PROP) ? "journal.minFree"
                : m.startsWith(JournalConfig.RETENTION_MAX_AGE_MS_PROP) ? "journal.retention.maxAge" : "journal", m);
        }
        if (root.has("rules") && !root.get("rules").isNull()) {
            rules = path(root, "rules", "rules", base);
            if (!Files.isReadable(rules)) {
                throw bad("rules", "cannot read " + rules);
            }
        }
        final JsonNode a = section(root, "admin");
        if (a != null && a.has("enabled")) {
            if (!a.get("enabled").isBoolean()) {
                throw bad("admin.enabled", "must be true or false");
            }
            adminEnabled = a.get("enabled").asBoolean();
        }
        final String bind = text(a, "bind", "admin.bind");
        if (bind != null) {
            admin.bind(bind);
        }
        admin.port((int) integer(a, "port", "admin.port", 0, 65535, admin.port()));
        tokens = path(a, "tokens", "admin.tokens", base);
        if (adminEnabled && tokens == null) {
            throw bad("admin.tokens", "missing: the token file (create it with: sigmatch token add ID ROLE --tokens FILE)");
        }
        audit = path(a, "audit", "admin.audit", base);
        if (audit == null) {
            audit = dataDir.resolve("audit.log");
        }
        final JsonNode tls = a == null ? null : section(a, "admin.tls");
        if (tls != null) {
            final Path cert = path(tls, "cert", "admin.tls.cert", base);
            final Path key = path(tls, "key", "admin.tls.key", base);
            if (cert == null || key == null) {
                throw bad(cert == null ? "admin.tls.cert" : "admin.tls.key", "missing: TLS needs both cert and key (PEM)");
            }
            admin.tls(cert, key);
            final Path ca = path(tls, "clientCa", "admin.tls.clientCa", base);
            if (ca != null) {
                admin.clientCa(ca);
            }
        }
        final JsonNode l = a == null ? null : section(a, "admin.limits");
        admin.maxConnections((int) integer(l, "maxConnections", "admin.limits.maxConnections", 1, 65535, admin.maxConnections()));
        final JsonNode rps = l == null ? null : l.get("requestsPerSecond");
        if (rps != null && !rps.isNull()) {
            if (!rps.isNumber() || rps.asDouble() <= 0 || rps.asDouble() > 100_000) {
                throw bad("admin.limits.requestsPerSecond", "must be a number above 0 and at most 100000, got " + rps);
            }
            admin.requestsPerSecond(rps.asDouble());
        }
        admin.burst((int) integer(l, "burst", "admin.limits.burst", 1, 100_000, admin.burst()));
        admin.maxUploadBytes(integer(l, "maxUploadBytes", "admin.limits.maxUploadBytes", 1024, 1L << 40, admin.maxUploadBytes()));
        admin.maxJsonBodyBytes((int) integer(l, "maxJsonBodyBytes", "admin.limits.maxJsonBodyBytes", 1024, 1 << 30,
            admin.maxJsonBodyBytes()));
        admin.maxRequestLineBytes((int) integer(l, "maxRequestLineBytes", "admin.limits.maxRequestLineBytes", 256, 65536,
            admin.maxRequestLineBytes()));
        admin.maxHeaderBytes((int) integer(l, "maxHeaderBytes", "admin.limits.maxHeaderBytes", 1024, 1 << 20,
            admin.maxHeaderBytes()));
        admin.idleTimeoutSeconds((int) integer(l, "idleTimeoutSeconds", "admin.limits.idleTimeoutSeconds", 1, 86_400,
            admin.idleTimeoutSeconds()));
        try {
            admin.conclude();
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        if (captureFiles.isEmpty() && captureInterface == null) {
            throw bad("capture", "needs files (to replay) or interface (live)");
        }
        try {
            forwarders.addAll(ForwarderSettings.parse(root.get("forwarders"), base, dataDir));
            final JsonNode app = section(root, "appliance");
            applianceId = text(app, "id", "appliance.id");
            if (applianceId != null && !applianceId.matches("[A-Za-z0-9._-]{1,64}")) {
                throw bad("appliance.id", "must be 1 to 64 of A-Z a-z 0-9 . _ -, got \"" + applianceId + "\"");
            }
            for (final ForwarderConfig f : forwarders) {
                f.applianceId(applianceId);
            }
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }
}
