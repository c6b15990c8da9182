package io.sigmatch.journal;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.openhft.chronicle.core.Jvm;
import net.openhft.chronicle.core.io.AbstractCloseable;
import net.openhft.chronicle.core.onoes.ExceptionKey;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What Chronicle's own QueueTestCommon checks, for our tests: no warning or error logged by Chronicle,
 * every Chronicle resource closed, and no sigmatch thread left running after the test.
 */
public final class ChronicleChecks implements BeforeEachCallback, AfterEachCallback {
    private Map<ExceptionKey, Integer> recorded;
    private static final java.util.Set<String> ALLOWED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Lets the current test log Chronicle messages containing fragment (a warning the test provokes on purpose). */
    public static void allow(final String fragment) {
        ALLOWED.add(fragment);
    }

    @Override
    public void beforeEach(final ExtensionContext context) {
        AbstractCloseable.enableCloseableTracing();
        recorded = Jvm.recordExceptions(false, false);
    }

    @Override
    public void afterEach(final ExtensionContext context) throws InterruptedException {
        try {
            AbstractCloseable.waitForCloseablesToClose(1_000);
            AbstractCloseable.assertCloseablesClosed();
        } finally {
            AbstractCloseable.disableCloseableTracing();
            Jvm.resetExceptionHandlers();
        }
        recorded.keySet().removeIf(k -> ALLOWED.stream().anyMatch(a -> String.valueOf(k.message).contains(a)));
        ALLOWED.clear();
        if (Jvm.hasException(recorded)) {
            Jvm.dumpException(recorded);
            fail("Chronicle logged warnings or errors: " + recorded.keySet());
        }
        assertNoThreadsLeft("sigmatch-");
    }

    /** Fails when a thread whose name starts with prefix is still alive after a short grace period. */
    public static void assertNoThreadsLeft(final String prefix) throws InterruptedException {
        final long deadline = System.nanoTime() + 2_000_000_000L;
        List<String> left;
        do {
            left = new ArrayList<>();
            for (final Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && t.getName().startsWith(prefix)) {
                    left.add(t.getName());
                }
            }
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        fail("threads left running: " + left);
    }
}
