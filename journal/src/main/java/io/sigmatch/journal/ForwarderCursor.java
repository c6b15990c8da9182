package io.sigmatch.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.zip.CRC32;

/**
 * Where one forwarder is in the match journal: the Chronicle index of the last record its downstream
 * acknowledged (-1 before the first). Delivery is at-least-once (DESIGN §7): a record is acknowledged
 * downstream first, then its index committed here, so a crash between the two re-sends that batch and
 * never skips one.
 *
 * <p>The file is one line, {@code sigmatch-cursor 1 <index> <crc32 of the first three fields, hex>},
 * created owner-only (0600; the index says nothing personal, but it sits beside the journal, which does).
 * {@link #commit} writes it atomically: a temporary sibling is written and fsync'd, renamed over the
 * cursor, and the directory is fsync'd so that the rename itself survives a power loss. A reader of
 * the file therefore sees the old cursor or the new one, never a torn one; a file that does not parse
 * (or whose checksum does not match) is refused rather than taken for "from the start", which would
 * silently re-send the whole journal.
 *
 * <p>One instance per forwarder, used from the forwarder's thread.
 */
public final class ForwarderCursor {
    /** The index before the first record: nothing acknowledged yet. */
    public static final long NONE = -1;

    private static final String MAGIC = "sigmatch-cursor";
    private static final int VERSION = 1;
    private static final int MAX_FILE_BYTES = 128;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private final Path temp;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_FILE_BYTES);
    private final CRC32 crc = new CRC32();
    private long index;
    private long commits;

    private ForwarderCursor(final Path file, final long index) {
        this.file = file;
        this.temp = file.resolveSibling(file.getFileName() + ".tmp");
        this.index = index;
    }

    /**
     * Opens the cursor in file, creating its directory (0700) when absent; a missing file is a cursor
     * at {@link #NONE}. Throws IOException naming the file when it exists but does not parse.
     */
    public static ForwarderCursor open(final Path file) throws IOException {
        final Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            OwnerOnly.createDirectory(dir);
        }
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException absent) {
            return new ForwarderCursor(file, NONE);
        }
        return new ForwarderCursor(file, parse(file, bytes));
    }

    static long parse(final Path file, final byte[] bytes) throws IOException {
        final String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        final String[] f = text.split(" ");
        if (bytes.length > MAX_FILE_BYTES || f.length != 4 || !f[0].equals(MAGIC)) {
            throw new IOException(file + ": not a forwarder cursor (delete it to forward the whole journal again)");
        }
        if (!f[1].equals(Integer.toString(VERSION))) {
            throw new IOException(file + ": cursor version " + f[1] + " is unknown to this build (known: " + VERSION + ")");
        }
        final long index;
        final long crc;
        try {
            index = Long.parseLong(f[2]);
            crc = Long.parseLong(f[3], 16);
        } catch (final NumberFormatException e) {
            throw new IOException(file + ": cursor does not parse: " + e.getMessage());
        }
        if (crc != checksum(MAGIC + " " + VERSION + " " + index) || index < NONE) {
            throw new IOException(file + ": cursor checksum does not match (delete it to forward the whole journal again)");
        }
        return index;
    }

    private static long checksum(final String s) {
        final CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.US_ASCII));
        return c.getValue();
    }

    /** The index of the last acknowledged record, {@link #NONE} before the first. */
    public long index() {
        return index;
    }

    /** How many commits this instance has written (for tests and metrics). */
    public long commits() {
        return commits;
    }

    public Path file() {
        return file;
    }

    /**
     * Makes index the acknowledged position, durably: returns once the new cursor, and its rename, are
     * on disk. Call after the downstream acknowledged every record up to and including index.
     */
    public void commit(final long acknowledged) throws IOException {
        if (acknowledged < NONE) {
            throw new IllegalArgumentException("cursor index " + acknowledged);
        }
        buffer.clear();
        final int start = 0;
        put(MAGIC);
        put(" ");
        put(Integer.toString(VERSION));
        put(" ");
        put(Long.toString(acknowledged));
        crc.reset();
        crc.update(buffer.array(), start, buffer.position());
        put(" ");
        put(Long.toHexString(crc.getValue()));
        put("\n");
        buffer.flip();
        try (FileChannel ch = POSIX
            ? FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OwnerOnly.FILE))
            : FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final AtomicMoveNotSupportedException e) {
            throw new IOException(file + ": the file system cannot rename atomically; keep cursors on a local disk", e);
        }
        syncDirectory();
        index = acknowledged;
        commits++;
    }

    private void put(final String s) {
        for (int i = 0; i < s.length(); i++) {
            buffer.put((byte) s.charAt(i));
        }
    }

    /** POSIX: a rename is durable once the directory entry is; Linux lets a directory be fsync'd through a read channel. */
    private void syncDirectory() throws IOException {
        final Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !POSIX) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (final IOException e) {
            // some file systems refuse to open or sync a directory; the file itself is already on disk
        }
    }
}
