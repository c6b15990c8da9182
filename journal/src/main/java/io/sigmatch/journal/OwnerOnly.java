package io.sigmatch.journal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The journal holds identities, which are personal data: its directory is created 0700 and its
 * files are made 0600, so only the appliance's user can read them whatever the umask.
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates dir (parents with default permissions, dir itself 0700) unless it is there already. */
    static void createDirectory(final Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        final Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createDirectory(dir);
        restrict(dir, DIRECTORY);
    }

    /** Makes every regular file directly in dir 0600. */
    static void restrictFiles(final Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    restrict(f, FILE);
                }
            }
        }
    }

    static void restrict(final Path path, final Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (final UnsupportedOperationException notPosix) {
            // a non-POSIX file system has no mode bits to tighten; its ACLs are the operator's job
        }
    }
}
