package io.sigmatch.decoder.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Digits;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SubscriberTableTest {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long IMSI = Digits.parse("001010123456789");
    private static final long MSISDN = Digits.parse("8613800000001");

    @Test
    void putFindMergeAndRemove() {
        final SubscriberTable table = new SubscriberTable(100, HOUR);
        final int slot = table.put(42L, 0);
        table.merge(slot, IMSI, Digits.NONE, Digits.NONE, Digits.NONE);
        table.merge(table.put(42L, 1), Digits.NONE, MSISDN, Digits.NONE, Digits.NONE);

        final int found = table.find(42L, 2);
        assertEquals(IMSI, table.imsi(found), "NONE in a later merge leaves the IMSI");
        assertEquals(MSISDN, table.msisdn(found));
        assertEquals(Digits.NONE, table.imei(found));
        assertEquals(2, table.lastSeenNs(found), "a hit refreshes the last-seen time");
        assertEquals(1, table.size());
        assertEquals(-1, table.find(43L, 2));
        assertTrue(table.remove(42L));
        assertFalse(table.remove(42L));
        assertEquals(-1, table.find(42L, 3));
        assertEquals(0, table.size());
    }

    @Test
    void idleEntriesExpireOnLookupAndBySweep() {
        final SubscriberTable table = new SubscriberTable(100, HOUR);
        table.put(1L, 0);
        table.put(2L, 0);
        table.put(3L, HOUR);
        assertEquals(-1, table.find(1L, HOUR + 1), "idle for longer than the expiry");
        assertEquals(2, table.size());
        assertEquals(1, table.sweep(HOUR + 1, table.slotCount()), "the sweep reclaims key 2");
        assertEquals(1, table.size());
        assertTrue(table.find(3L, HOUR + 1) >= 0, "key 3 was seen an hour later");
        assertEquals(2, table.expirations());
    }

    @Test
    void sweepWorkIsBoundedPerCall() {
        final SubscriberTable table = new SubscriberTable(1000, 10);
        for (long k = 0; k < 1000; k++) {
            table.put(k, 0);
        }
        int removed = 0;
        int calls = 0;
        while (table.size() > 0) {
            final int r = table.sweep(100, 16);
            assertTrue(r <= 16 * 2, "each call looks at a bounded number of slots");
            removed += r;
            calls++;
        }
        assertEquals(1000, removed);
        assertTrue(calls >= table.slotCount() / 16, "it took many small steps: " + calls);
    }

    @Test
    void aFullTableEvictsTheLeastRecentlySeen() {
        final SubscriberTable table = new SubscriberTable(4, HOUR);
        for (long k = 1; k <= 4; k++) {
            table.put(k, k);
        }
        table.find(1L, 10);
        table.put(99L, 11);
        assertEquals(4, table.size());
        assertEquals(1, table.evictions());
        assertTrue(table.find(1L, 12) >= 0, "key 1 was used recently and stays");
        assertTrue(table.find(99L, 12) >= 0);
        int gone = 0;
        for (long k = 2; k <= 4; k++) {
            gone += table.find(k, 12) < 0 ? 1 : 0;
        }
        assertEquals(1, gone);
    }

    @Test
    void sessionsHoldAnEntryUntilTheLastIsReleased() {
        final SubscriberTable table = new SubscriberTable(16, HOUR);
        table.retain(table.put(7L, 0));
        table.retain(table.put(7L, 1));
        assertFalse(table.release(7L, 2), "a second PDN connection still uses the TEID");
        assertTrue(table.find(7L, 3) >= 0);
        assertTrue(table.release(7L, 4));
        assertEquals(-1, table.find(7L, 5));
        assertFalse(table.release(7L, 6), "releasing an unknown key is harmless");
    }

    /** Random inserts, removes, lookups and expiry against a HashMap model: the probe chains survive deletion. */
    @Test
    void behavesLikeAMapUnderRandomOperations() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final SubscriberTable table = new SubscriberTable(512, Long.MAX_VALUE / 4);
        final Map<Long, Long> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // a small key space with clustered hashes makes collisions and wrap-around likely
            final long key = random.nextInt(700) * 1024L;
            final int op = random.nextInt(3);
            if (op == 0 && model.size() < 512) {
                final int slot = table.put(key, i);
                table.merge(slot, Digits.pack(i, 9), Digits.NONE, Digits.NONE, Digits.NONE);
                model.put(key, Digits.pack(i, 9));
            } else if (op == 1) {
                assertEquals(model.remove(key) != null, table.remove(key), "seed " + seed);
            } else {
                final int slot = table.find(key, i);
                final Long expected = model.get(key);
                assertEquals(expected != null, slot >= 0, "seed " + seed + " key " + key);
                if (expected != null) {
                    assertEquals(expected.longValue(), table.imsi(slot), "seed " + seed);
                }
            }
            assertEquals(model.size(), table.size(), "seed " + seed);
        }
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SubscriberTable(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SubscriberTable(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SubscriberTable(Integer.MAX_VALUE, 1));
    }

    @Test
    void toStringRevealsNoIdentity() {
        final SubscriberTable table = new SubscriberTable(4, HOUR);
        table.merge(table.put(1L, 0), IMSI, MSISDN, Digits.NONE, Digits.NONE);
        assertFalse(table.toString().contains("001010123456789"));
        assertFalse(table.toString().contains("8613800000001"));
    }
}
