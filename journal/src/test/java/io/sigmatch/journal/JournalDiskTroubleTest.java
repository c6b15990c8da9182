package io.sigmatch.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk trouble on real file systems (issue 11 item 3): a small tmpfs that fills up, a journal directory
 * that turns read-only. Appends are refused and counted, never fault the process; the alarm shows in
 * the journal's health; appends resume when the trouble ends; nothing journaled before is lost.
 * Mounting needs root: without it the full-disk test is skipped (saying so), and the read-only one
 * uses a directory without write permission instead.
 */
@ExtendWith(ChronicleChecks.class)
class JournalDiskTroubleTest {
    @TempDir
    Path tmp;

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int sh(final String... cmd) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        final int rc = p.waitFor();
        if (rc != 0) {
            System.err.println(String.join(" ", cmd) + ": exit " + rc + ": " + out.strip());
        }
        return rc;
    }

    /** Chronicle unmaps released files on a background thread: retry while the mount is busy, then detach it. */
    static void unmount(final Path mnt) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (sh("umount", mnt.toString()) == 0) {
                return;
            }
            Thread.sleep(100);
        }
        sh("umount", "-l", mnt.toString());
    }

    static JournalConfig config() {
        return new JournalConfig().blockSizeBytes(64 * 1024).pretouchAheadBytes(256 * 1024).pretouchIntervalMs(1)
            .minFreeBytes(2 << 20).watchIntervalMs(5);
    }

    static void await(final java.util.function.BooleanSupplier done, final String what) throws InterruptedException {
        JournalRetentionTest.await(done, what);
    }

    @Test
    void aFullFileSystemRefusesMatchesUntilSpaceReturnsAndLosesNothingJournaled() throws Exception {
        Assumptions.assumeTrue(root(), "mounting a small tmpfs needs root; the full-disk test is skipped");
        final Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", mnt.toString()) == 0,
            "mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?); the full-disk test is skipped");
        // Chronicle's own disk monitor says so too, rightly
        ChronicleChecks.allow("is almost full");
        try {
            final Path dir = mnt.resolve("journal");
            long journaled = 0;
            long refused = 0;
            try (MatchJournal journal = MatchJournal.open(dir, config());
                 MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
                for (int i = 0; i < 1000; i++) {
                    assertTrue(appender.append(MatchJournalTest.record(i), System.nanoTime()) >= 0);
                }
                journaled = 1000;
                // leave about 3 MiB: 1 MiB above the 2 MiB the journal keeps free
                final Path ballast = mnt.resolve("ballast");
                final long free = Files.getFileStore(mnt).getUsableSpace();
                try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
                    final byte[] chunk = new byte[1 << 20];
                    for (long left = free - (3 << 20); left > 0; left -= chunk.length) {
                        f.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                }
                // as fast as one thread can: the allowance, not the 5 ms checks, must keep the writes off the full disk
                int i = 1000;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (journal.dropped("disk_full") < 1000 && System.nanoTime() < deadline) {
                    if (appender.append(MatchJournalTest.record(i++), System.nanoTime()) >= 0) {
                        journaled++;
                    } else {
                        refused++;
                    }
                }
                assertTrue(refused >= 1000, "refused " + refused + " journaled " + journaled + " " + journal.health());
                assertEquals(refused, journal.dropped("disk_full"));
                await(() -> "disk_full".equals(journal.health().alarm()), "the disk_full alarm");
                assertTrue(journal.health().freeBytes() < (3 << 20), journal.health().toString());
                assertTrue(journal.health().alarmSinceMs() > 0);
                assertTrue(journal.refusing());
                // space returns
                Files.delete(ballast);
                await(() -> journal.health().alarm() == null && !journal.refusing(), "recovery");
                assertTrue(journal.health().alarmSinceMs() < 0);
                for (int k = 0; k < 1000; k++) {
                    assertTrue(appender.append(MatchJournalTest.record(i++), System.nanoTime()) >= 0, "after recovery");
                    journaled++;
                }
            }
            // every record journaled is there, readable, in order
            assertEquals(journaled, JournalRetentionTest.readAll(dir));
            System.out.printf("disk full on a 16 MiB tmpfs: %d journaled, %d refused (journal.drop.disk_full), 0 lost%n",
                journaled, refused);
        } finally {
            unmount(mnt);
        }
    }

    @Test
    void aReadOnlyJournalDirectoryRefusesMatchesUntilWritableAgain() throws Exception {
        final Path dir = tmp.resolve("journal");
        final boolean mount = root() && sh("mount", "--bind", tmp.toString(), tmp.toString()) == 0;
        if (mount) {
            sh("umount", tmp.toString());
        }
        long journaled = 0;
        try (MatchJournal journal = MatchJournal.open(dir, config().minFreeBytes(1 << 20).pretouchAheadBytes(0));
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE)) {
            for (int i = 0; i < 100; i++) {
                assertTrue(appender.append(MatchJournalTest.record(i), System.nanoTime()) >= 0);
                journaled++;
            }
            // root: the directory becomes a read-only mount of itself (files already open stay writable, as when a
            // file system is remounted read-only under a running process, new files are refused); otherwise no write permission
            final String expected;
            if (mount) {
                assertEquals(0, sh("mount", "--bind", dir.toString(), dir.toString()));
                assertEquals(0, sh("mount", "-o", "remount,bind,ro", dir.toString()));
                expected = "read_only";
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
                expected = "unwritable";
            }
            try {
                await(() -> expected.equals(journal.health().alarm()), "the " + expected + " alarm, " + journal.health());
                for (int i = 100; i < 150; i++) {
                    assertEquals(-1, appender.append(MatchJournalTest.record(i), System.nanoTime()));
                }
                assertEquals(50, journal.dropped(expected));
            } finally {
                if (mount) {
                    unmount(dir);
                } else {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            await(() -> journal.health().alarm() == null && !journal.refusing(), "recovery");
            for (int i = 150; i < 200; i++) {
                assertTrue(appender.append(MatchJournalTest.record(i), System.nanoTime()) >= 0);
                journaled++;
            }
            assertNull(journal.health().alarm());
        }
        assertEquals(journaled, JournalRetentionTest.readAll(dir));
    }
}
