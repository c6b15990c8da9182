package io.sigmatch.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import io.sigmatch.matcher.rules.SnapshotException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot versions on disk (DESIGN §6): uploaded into a per-version staging directory, validated
 * as a whole, activated atomically, kept for roll-back, and found again after a restart.
 *
 * <pre>
 *   DATA/snapshots/history.json            activations, oldest first; the last one is active
 *   DATA/snapshots/&lt;version&gt;/snapshot.json rules (DESIGN §13); lists and areas are named relative to it
 *   DATA/snapshots/&lt;version&gt;/&lt;list file&gt;    target lists, as uploaded (gzip when the name ends .gz)
 *   DATA/snapshots/&lt;version&gt;/areas/&lt;file&gt;  area CSVs
 *   DATA/snapshots/&lt;version&gt;/manifest.json   each file's kind, size and SHA-256
 * </pre>
 *
 * <p>Everything is created owner-only (lists are subscriber identities). A file arrives as
 * {@code name.part}, streamed to disk with its SHA-256 computed on the way, and is renamed into
 * place only when complete. A version that has ever been active is immutable: uploads to it are
 * refused, so a roll-back finds exactly what ran. States: {@code staged} (never active),
 * {@code active}, {@code previous} (the one before the active, the roll-back target) and
 * {@code retired} (active once, longer ago).
 *
 * <p>Activation parses the version with {@link RuleSnapshotParser#load(Path)} (the same code the
 * replay uses: the document, then every list it names, line by line), checks every uploaded area
 * file, then hands the rule set to the {@link SnapshotActivator}. Any fault refuses the version with
 * the file, line and reason, and the active version keeps serving. The store owns the active rule
 * set and closes the one an activation replaces. One activation at a time (synchronized); callers
 * run it off the network threads.
 */
public final class SnapshotStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RULES_FILE = "snapshot.json";
    private static final String MANIFEST = "manifest.json";
    private static final String HISTORY = "history.json";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern LINE = Pattern.compile(" line (\\d+)");
    private static final Pattern JSON_LINE = Pattern.compile("at line (\\d+)");
    private static final Pattern LIST_PATH = Pattern.compile("^lists\\.([A-Za-z0-9_-]+)");

    /** What kind of file an upload is. */
    public enum Kind {
        RULES, LIST, AREA;

        String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A file of a version as uploaded. */
    public record FileInfo(String name, Kind kind, long bytes, String sha256) {
    }

    /** A version: its state, its files and the checksum over them. */
    public record VersionInfo(String version, String state, String sha256, List<FileInfo> files, String lastError) {
    }

    /** What an activation did; swapNanos is the time the pipeline took to switch. */
    public record Activation(String version, String previous, String sha256, long loadNanos, long swapNanos) {
    }

    private final Path root;
    private final SnapshotActivator activator;
    private final AuditLog audit;
    private final Set<Path> uploading = new HashSet<>();
    private final Map<String, String> lastErrors = new TreeMap<>();
    private volatile List<String> history;
    /** Serialises activations and roll-backs; the store's monitor is held only for short metadata work. */
    private final Object activationLock = new Object();
    private volatile String activating;
    private RuleSet current;
    private volatile Activation lastActivation;
    private volatile long activations;
    private volatile long refusals;

    private SnapshotStore(final Path root, final SnapshotActivator activator, final AuditLog audit,
        final List<String> history) {
        this.root = root;
        this.activator = activator;
        this.audit = audit;
        this.history = List.copyOf(history);
    }

    /** Opens (creating 0700) DATA/snapshots; activations go to the activator, changes to the audit log. */
    public static SnapshotStore open(final Path dataDir, final SnapshotActivator activator, final AuditLog audit)
        throws IOException {
        final Path root = OwnerOnlyFiles.createDirectories(dataDir.resolve("snapshots"));
        final List<String> history = new ArrayList<>();
        final Path h = root.resolve(HISTORY);
        if (Files.exists(h)) {
            for (final JsonNode v : JSON.readTree(h.toFile()).path("activations")) {
                history.add(v.asText());
            }
        }
        return new SnapshotStore(root, activator, audit, history);
    }

    /**
     * The rule set to start the pipeline with: the last active version, loaded again from disk, or,
     * when no version was ever activated, the fallback (which the store then owns, as it owns any
     * active set). A last active version that no longer loads is an error: the appliance must not
     * silently come back on different rules.
     */
    public synchronized RuleSet openActive(final RuleSet fallback) throws AdminException {
        final String active = activeVersion();
        if (active == null) {
            current = fallback;
            return fallback;
        }
        final RuleSet loaded = load(active);
        if (fallback != null) {
            fallback.close();
        }
        current = loaded;
        LOG.info("snapshot {} active again after restart", active);
        return loaded;
    }

    public Path root() {
        return root;
    }

    /** The active version, null before the first activation. */
    public String activeVersion() {
        final List<String> h = history;
        return h.isEmpty() ? null : h.get(h.size() - 1);
    }

    /** The version a roll-back goes to, null when there is none. */
    public String previousVersion() {
        final List<String> h = history;
        return h.size() < 2 ? null : h.get(h.size() - 2);
    }

    /** The version of the rule set the pipeline matches against now (the active one, or the fallback). */
    public synchronized String servingVersion() {
        return current == null ? null : current.version();
    }

    public Activation lastActivation() {
        return lastActivation;
    }

    public long activations() {
        return activations;
    }

    public long refusals() {
        return refusals;
    }

    // ---- uploads ---------------------------------------------------------------------------------

    /** One file being streamed to disk; not thread-safe (one connection writes it). */
    public final class Upload {
        private final String version;
        private final Kind kind;
        private final String name;
        private final Path target;
        private final Path part;
        private final FileChannel channel;
        private final MessageDigest digest = sha256();
        private final long maxBytes;
        private long bytes;
        private boolean done;

        private Upload(final String version, final Kind kind, final String name, final Path target, final long maxBytes)
            throws IOException {
            this.version = version;
            this.kind = kind;
            this.name = name;
            this.target = target;
            this.part = target.resolveSibling(target.getFileName() + ".part");
            this.maxBytes = maxBytes;
            OwnerOnlyFiles.createDirectories(target.getParent());
            this.channel = OwnerOnlyFiles.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        /** Appends the buffer's readable bytes (not consuming them); false once the size limit is passed. */
        public boolean write(final ByteBuf buf) throws IOException {
            final int n = buf.readableBytes();
            bytes += n;
            if (bytes > maxBytes) {
                return false;
            }
            for (final ByteBuffer b : buf.nioBuffers(buf.readerIndex(), n)) {
                digest.update(b.duplicate());
                final ByteBuffer w = b.duplicate();
                while (w.hasRemaining()) {
                    channel.write(w);
                }
            }
            return true;
        }

        public long bytes() {
            return bytes;
        }

        /** Forces the file to disk, moves it into place and records it in the version's manifest. */
        public FileInfo finish(final String who) throws IOException, AdminException {
            done = true;
            try {
                channel.force(true);
                channel.close();
                final FileInfo info = new FileInfo(name, kind, bytes, HexFormat.of().formatHex(digest.digest()));
                synchronized (SnapshotStore.this) {
                    if (history.contains(version) || version.equals(activating)) {
                        Files.deleteIfExists(part);
                        throw new AdminException(409, "version " + version + " has been active and cannot change");
                    }
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    addToManifest(version, info);
                    lastErrors.remove(version);
                }
                audit.record(who, "upload." + kind.jsonName(), version, info.sha256(),
                    manifestName(kind, name) + ", " + bytes + " bytes");
                return info;
            } finally {
                release();
            }
        }

        /** Drops the partial file (client gone, limit passed). */
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
                Files.deleteIfExists(part);
            } catch (final IOException e) {
                LOG.warn("could not remove partial upload {}: {}", part.getFileName(), e.toString());
            }
            release();
        }

        private void release() {
            synchronized (SnapshotStore.this) {
                uploading.remove(target);
            }
        }
    }

    /** Starts streaming a rules, list or area file of a version to disk. */
    public synchronized Upload begin(final String version, final Kind kind, final String name, final long maxBytes)
        throws AdminException, IOException {
        checkVersion(version);
        if (kind != Kind.RULES) {
            checkFileName(name);
        }
        if (history.contains(version) || version.equals(activating)) {
            throw new AdminException(409, "version " + version + " has been active and cannot change; upload a new version");
        }
        final Path dir = root.resolve(version);
        final Path target = switch (kind) {
            case RULES -> dir.resolve(RULES_FILE);
            case LIST -> dir.resolve(name);
            case AREA -> dir.resolve("areas").resolve(name);
        };
        final Manifest m = readManifest(version);
        final String key = manifestName(kind, name);
        for (final Map.Entry<String, FileInfo> e : m.files.entrySet()) {
            if (e.getKey().equals(key) && e.getValue().kind() != kind) {
                throw new AdminException(409, key + " already uploaded as a " + e.getValue().kind().jsonName());
            }
        }
        if (!uploading.add(target)) {
            throw new AdminException(409, key + " of version " + version + " is being uploaded by another request");
        }
        try {
            return new Upload(version, kind, name, target, maxBytes);
        } catch (final IOException | RuntimeException e) {
            uploading.remove(target);
            throw e;
        }
    }

    private static String manifestName(final Kind kind, final String name) {
        return switch (kind) {
            case RULES -> RULES_FILE;
            case LIST -> name;
            case AREA -> "areas/" + name;
        };
    }

    // ---- activation ------------------------------------------------------------------------------

    /**
     * Validates the version fully and makes it active. Throws (422 with file, line and reason) when
     * anything in it is refused; the active version then keeps serving.
     */
    public Activation activate(final String version, final String who) throws AdminException, IOException {
        synchronized (activationLock) {
            return activateLocked(version, who);
        }
    }

    private Activation activateLocked(final String version, final String who) throws AdminException, IOException {
        checkVersion(version);
        if (!Files.isDirectory(root.resolve(version))) {
            throw new AdminException(404, "no version " + version);
        }
        if (version.equals(activeVersion())) {
            throw new AdminException(409, "version " + version + " is already active");
        }
        return swap(version, who, "activate");
    }

    /** Goes back to a version that was active before (by default the previous one). */
    public Activation rollback(final String version, final String who) throws AdminException, IOException {
        synchronized (activationLock) {
            return rollbackLocked(version, who);
        }
    }

    private Activation rollbackLocked(final String version, final String who) throws AdminException, IOException {
        final String target = version != null ? version : previousVersion();
        if (target == null) {
            throw new AdminException(409, "no previous version to roll back to");
        }
        checkVersion(target);
        if (!history.contains(target)) {
            throw new AdminException(409, "version " + target + " was never active; activate it instead");
        }
        if (target.equals(activeVersion())) {
            throw new AdminException(409, "version " + target + " is already active");
        }
        return swap(target, who, "rollback");
    }

    private Activation swap(final String version, final String who, final String action) throws AdminException, IOException {
        synchronized (this) {
            for (final Path p : uploading) {
                if (p.startsWith(root.resolve(version))) {
                    throw new AdminException(409, "version " + version + " has an upload in progress");
                }
            }
            activating = version;
        }
        try {
            return swapLocked(version, who, action);
        } finally {
            activating = null;
        }
    }

    private Activation swapLocked(final String version, final String who, final String action)
        throws AdminException, IOException {
        final long t0 = System.nanoTime();
        final RuleSet next;
        try {
            next = load(version);
        } catch (final AdminException e) {
            synchronized (this) {
                refusals++;
                lastErrors.put(version, e.getMessage());
            }
            audit.record(who, action + ".refused", version, checksum(version), e.getMessage());
            throw e;
        }
        final long t1 = System.nanoTime();
        final RuleSet previous;
        try {
            previous = activator.activate(next);
        } catch (final RuntimeException e) {
            next.close();
            synchronized (this) {
                refusals++;
                lastErrors.put(version, "the pipeline refused the swap: " + e.getMessage());
            }
            audit.record(who, action + ".refused", version, checksum(version), "pipeline refused: " + e.getMessage());
            throw new AdminException(503, "the pipeline refused the swap, " + servingVersion() + " keeps serving: "
                + e.getMessage());
        }
        final long t2 = System.nanoTime();
        if (previous != null && previous != next) {
            previous.close();
        }
        final String was = activeVersion();
        synchronized (this) {
            current = next;
            final List<String> h = new ArrayList<>(history);
            h.remove(version);
            h.add(version);
            writeHistory(h);
            history = List.copyOf(h);
            lastErrors.remove(version);
            activations++;
        }
        final String sum = checksum(version);
        final Activation a = new Activation(version, was, sum, t1 - t0, t2 - t1);
        lastActivation = a;
        audit.record(who, action, version, sum, "previous " + was + ", swap " + (t2 - t1) / 1000 + " us");
        LOG.info("snapshot {} active (was {}), loaded in {} ms, swapped in {} us", version, was,
            (t1 - t0) / 1_000_000, (t2 - t1) / 1000);
        return a;
    }

    /** Loads and validates a version into a rule set, turning every refusal into file, line and reason. */
    private RuleSet load(final String version) throws AdminException {
        final Path dir = root.resolve(version);
        final Path rules = dir.resolve(RULES_FILE);
        if (!Files.isRegularFile(rules)) {
            throw new AdminException(422, "version " + version + " has no rules (" + RULES_FILE + ")", RULES_FILE, 0, null);
        }
        try {
            final Manifest m = readManifest(version);
            for (final FileInfo f : m.files.values()) {
                if (f.kind() == Kind.AREA) {
                    AreaFileValidator.validate(dir.resolve("areas").resolve(f.name()), f.name());
                }
            }
        } catch (final IOException e) {
            throw new AdminException(500, "cannot read version " + version + ": " + e.getMessage());
        }
        final RuleSet set;
        try {
            set = RuleSnapshotParser.load(rules);
        } catch (final SnapshotException e) {
            throw refused(dir, e);
        }
        if (!set.version().equals(version)) {
            set.close();
            throw new AdminException(422, RULES_FILE + ": version: the document says " + set.version()
                + " but was uploaded as version " + version, RULES_FILE, 0, "version");
        }
        return set;
    }

    /** Names the file and line of a parser refusal: the snapshot itself, or the list it names. */
    private static AdminException refused(final Path dir, final SnapshotException e) {
        String file = RULES_FILE;
        long line = 0;
        final Matcher list = LIST_PATH.matcher(e.path());
        if (list.find()) {
            try {
                final JsonNode f = JSON.readTree(dir.resolve(RULES_FILE).toFile()).path("lists").path(list.group(1)).path("file");
                if (f.isTextual()) {
                    file = f.asText();
                }
            } catch (final IOException ignored) {
                // the parser read it a moment ago; keep the snapshot's name
            }
            final Matcher l = LINE.matcher(e.reason());
            if (l.find()) {
                line = Long.parseLong(l.group(1));
            }
        } else {
            final Matcher l = JSON_LINE.matcher(e.reason());
            if (l.find()) {
                line = Long.parseLong(l.group(1));
            }
        }
        return new AdminException(422, e.getMessage(), file, line, e.path());
    }

    // ---- listing ---------------------------------------------------------------------------------

    public synchronized List<VersionInfo> versions() throws IOException {
        final List<VersionInfo> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (final Path p : s.filter(Files::isDirectory).sorted().toList()) {
                final String v = p.getFileName().toString();
                if (VERSION.matcher(v).matches()) {
                    out.add(info(v));
                }
            }
        }
        return out;
    }

    public synchronized VersionInfo inspect(final String version) throws AdminException, IOException {
        checkVersion(version);
        if (!Files.isDirectory(root.resolve(version))) {
            throw new AdminException(404, "no version " + version);
        }
        return info(version);
    }

    private VersionInfo info(final String version) throws IOException {
        final Manifest m = readManifest(version);
        return new VersionInfo(version, state(version), checksum(m), new ArrayList<>(m.files.values()),
            lastErrors.get(version));
    }

    /** staged, active, previous or retired. */
    public String state(final String version) {
        final List<String> h = history;
        final int i = h.lastIndexOf(version);
        if (i < 0) {
            return "staged";
        }
        return i == h.size() - 1 ? "active" : i == h.size() - 2 ? "previous" : "retired";
    }

    /** SHA-256 over the version's files (name and SHA-256 of each, in name order). */
    public String checksum(final String version) throws IOException {
        return checksum(readManifest(version));
    }

    private static String checksum(final Manifest m) {
        final MessageDigest d = sha256();
        for (final Map.Entry<String, FileInfo> f : m.files.entrySet()) {
            d.update(f.getKey().getBytes(StandardCharsets.UTF_8));
            d.update((byte) ' ');
            d.update(f.getValue().sha256().getBytes(StandardCharsets.US_ASCII));
            d.update((byte) '\n');
        }
        return HexFormat.of().formatHex(d.digest());
    }

    // ---- files -----------------------------------------------------------------------------------

    private static final class Manifest {
        final TreeMap<String, FileInfo> files = new TreeMap<>();
    }

    private Manifest readManifest(final String version) throws IOException {
        final Manifest m = new Manifest();
        final Path p = root.resolve(version).resolve(MANIFEST);
        if (Files.exists(p)) {
            final JsonNode files = JSON.readTree(p.toFile()).path("files");
            for (final JsonNode f : files) {
                final Kind kind = Kind.valueOf(f.path("kind").asText().toUpperCase(java.util.Locale.ROOT));
                final FileInfo info = new FileInfo(f.path("name").asText(), kind, f.path("bytes").asLong(),
                    f.path("sha256").asText());
                m.files.put(manifestName(kind, info.name()), info);
            }
        }
        return m;
    }

    private void addToManifest(final String version, final FileInfo info) throws IOException {
        final Manifest m = readManifest(version);
        m.files.put(manifestName(info.kind(), info.name()), info);
        final ObjectNode doc = JSON.createObjectNode();
        doc.put("version", version);
        final ArrayNode files = doc.putArray("files");
        for (final FileInfo f : m.files.values()) {
            files.addObject().put("name", f.name()).put("kind", f.kind().jsonName()).put("bytes", f.bytes())
                .put("sha256", f.sha256());
        }
        OwnerOnlyFiles.writeAtomically(root.resolve(version).resolve(MANIFEST), JSON.writeValueAsBytes(doc));
    }

    private void writeHistory(final List<String> h) throws IOException {
        final ObjectNode doc = JSON.createObjectNode();
        final ArrayNode a = doc.putArray("activations");
        h.forEach(a::add);
        OwnerOnlyFiles.writeAtomically(root.resolve(HISTORY), JSON.writeValueAsBytes(doc));
    }

    static void checkVersion(final String version) throws AdminException {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new AdminException(400, "a version is 1 to 64 letters, digits, '.', '-' or '_', not starting with '.'");
        }
    }

    private static void checkFileName(final String name) throws AdminException {
        if (name == null || !FILE_NAME.matcher(name).matches() || name.endsWith(".part") || name.endsWith(".tmp")
            || name.equals(RULES_FILE) || name.equals(MANIFEST)) {
            throw new AdminException(400, "a file name is 1 to 128 letters, digits, '.', '-' or '_', not starting with '.', "
                + "not ending .part or .tmp, not " + RULES_FILE + " or " + MANIFEST);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Versions and their state for the status page and metrics: version → state. */
    public Map<String, String> states() {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String v : history) {
            out.put(v, state(v));
        }
        return out;
    }

    /** Closes the active rule set; call after the pipeline has stopped. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
