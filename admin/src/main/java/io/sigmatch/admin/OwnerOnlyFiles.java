package io.sigmatch.admin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories that hold tokens, snapshots (subscriber identities) and the audit trail are
 * created owner-only (0600 / 0700) at creation, not chmod-ed afterwards, so no other user can open
 * them in between. On a file system without POSIX permissions the flags are simply not applied.
 */
final class OwnerOnlyFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    static Path createDirectories(final Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        final Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        if (POSIX) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
        } else {
            Files.createDirectory(dir);
        }
        return dir;
    }

    /** Opens (creating 0600 if absent) a file for writing with the given options. */
    static FileChannel open(final Path file, final OpenOption... options) throws IOException {
        final Set<OpenOption> opts = new java.util.HashSet<>(java.util.Arrays.asList(options));
        opts.add(StandardOpenOption.WRITE);
        if (POSIX) {
            final FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE);
            return FileChannel.open(file, opts, attr);
        }
        return FileChannel.open(file, opts);
    }

    /** Writes bytes to a temporary sibling, forces them to disk and renames it over the target atomically. */
    static void writeAtomically(final Path file, final byte[] bytes) throws IOException {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** True when group or others have any permission on the file (a secret must be owner-only). */
    static boolean widerThanOwner(final Path file) throws IOException {
        if (!POSIX) {
            return false;
        }
        final Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        perms.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE));
        return !perms.isEmpty();
    }
}
