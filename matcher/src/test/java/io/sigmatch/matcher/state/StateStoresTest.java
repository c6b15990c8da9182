package io.sigmatch.matcher.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The off-heap subscriber table and timer wheel: bounds, eviction, deletion, and what a reopen finds. */
class StateStoresTest {
    @TempDir
    Path dir;

    @Test
    void aFullTableEvictsTheOldestNearbyAndEveryKeyStaysFindable() throws Exception {
        try (SubscriberStates s = SubscriberStates.open(null, 64, 0, 1)) {
            for (long k = 1; k <= 48; k++) {
                final int r = s.getOrCreate(k * 7919, k);
                s.putLong(r, SubscriberStates.LAST_EVENT, k);
            }
            assertEquals(48, s.size());
            assertEquals(0, s.evictions());
            for (long k = 1; k <= 48; k++) {
                assertTrue(s.find(k * 7919) >= 0, "key " + k);
            }
            final int r = s.getOrCreate(1_000_003, 100);
            s.putLong(r, SubscriberStates.LAST_EVENT, 100);
            assertEquals(1, s.evictions());
            assertEquals(48, s.size(), "bounded at 3/4 of the slots");
            int missing = 0;
            for (long k = 1; k <= 48; k++) {
                missing += s.find(k * 7919) < 0 ? 1 : 0;
            }
            assertEquals(1, missing, "exactly one evicted, the others still found after the backward shift");
            s.remove(s.find(1_000_003));
            assertEquals(-1, s.find(1_000_003));
        }
    }

    @Test
    void aReopenedStateFileKeepsItsRecordsAndRefusesAnotherLayout() throws Exception {
        final Path file = dir.resolve("s.state");
        final SubscriberStates first = SubscriberStates.open(file, 1024, 0, 2);
        final int r = first.getOrCreate(42, 5);
        first.putLong(r, SubscriberStates.IMEI, 35345678901234L);
        // not closed: a kill -9 leaves the mapping's pages in the page cache, which the next open maps again
        try (SubscriberStates second = SubscriberStates.open(file, 1024, 0, 2)) {
            assertEquals(1, second.size());
            assertEquals(35345678901234L, second.getLong(second.find(42), SubscriberStates.IMEI));
        }
        assertThrows(IllegalStateException.class, () -> SubscriberStates.open(file, 2048, 0, 2));
        first.close();
    }

    @Test
    void timersFireInDeadlineOrderOnCaptureTimeAndSurviveAReopen() throws Exception {
        final Path file = dir.resolve("t.state");
        final TimerWheel w = TimerWheel.open(file, 64);
        final long t0 = 1_795_320_000_000_000_000L;
        w.advance(t0, (wheel, t) -> { });
        assertTrue(w.arm(t0 + 30 * TimerWheel.TICK_NS, 1, 0, t0, 7, 0, 0));
        assertTrue(w.arm(t0 + 5, 2, 0, t0, 7, 1, 0));
        assertTrue(w.arm(t0 + 5, 3, 0, t0 - 1, 7, 2, 0)); // same deadline, armed earlier: first
        assertTrue(w.arm(t0 + 100_000 * TimerWheel.TICK_NS, 4, 0, t0, 7, 3, 0)); // beyond one turn of the wheel
        final List<Long> fired = new ArrayList<>();
        assertEquals(0, w.advance(t0 + 4, (wheel, t) -> fired.add(wheel.key(t))));
        assertEquals(2, w.advance(t0 + 5, (wheel, t) -> fired.add(wheel.key(t))));
        assertEquals(List.of(3L, 2L), fired);
        // reopened (the first mapping left as a crash leaves it): the two others are still armed
        try (TimerWheel again = TimerWheel.open(file, 64)) {
            assertEquals(2, again.armed());
            assertEquals(t0 + 5, again.nowNs());
            assertEquals(1, again.advance(t0 + 31 * TimerWheel.TICK_NS, (wheel, t) -> fired.add(wheel.key(t))));
            assertEquals(0, again.advance(t0 + 99_999 * TimerWheel.TICK_NS, (wheel, t) -> fired.add(wheel.key(t))));
            assertEquals(1, again.advance(t0 + 100_000 * TimerWheel.TICK_NS, (wheel, t) -> fired.add(wheel.key(t))));
            assertEquals(List.of(3L, 2L, 1L, 4L), fired);
        }
        w.close();
    }
}
