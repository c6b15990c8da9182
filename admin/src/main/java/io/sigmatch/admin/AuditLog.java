package io.sigmatch.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The audit trail of every change made through the admin plane: one JSON line per change, appended
 * (O_APPEND) to an owner-only file and forced to disk before the change is acknowledged.
 *
 * <pre>
 * {"time":"2026-12-07T06:30:00.123Z","who":"platform-1","action":"activate","version":"v42","sha256":"…","detail":"…"}
 * </pre>
 *
 * <p>{@code who} is the token id, never the token; {@code detail} never holds a subscriber identity.
 */
public final class AuditLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final FileChannel channel;
    private final Clock clock;

    private AuditLog(final Path file, final FileChannel channel, final Clock clock) {
        this.file = file;
        this.channel = channel;
        this.clock = clock;
    }

    public static AuditLog open(final Path file) throws IOException {
        return open(file, Clock.systemUTC());
    }

    public static AuditLog open(final Path file, final Clock clock) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            OwnerOnlyFiles.createDirectories(parent);
        }
        return new AuditLog(file, OwnerOnlyFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), clock);
    }

    public Path file() {
        return file;
    }

    /** Appends one change; version and sha256 may be null when the change has none. */
    public synchronized void record(final String who, final String action, final String version, final String sha256,
        final String detail) throws IOException {
        final ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.now(clock).toString());
        n.put("who", who);
        n.put("action", action);
        if (version != null) {
            n.put("version", version);
        }
        if (sha256 != null) {
            n.put("sha256", sha256);
        }
        if (detail != null) {
            n.put("detail", detail);
        }
        final ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
