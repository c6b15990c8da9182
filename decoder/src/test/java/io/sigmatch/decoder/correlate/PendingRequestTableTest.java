package io.sigmatch.decoder.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingMessage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PendingRequestTableTest {

    @Test
    void insertFindCopyAndRemove() {
        final PendingRequestTable table = new PendingRequestTable(8, 2);
        final SignalingMessage request = new SignalingMessage().message(Protocol.GTPV2, 32, "Create Session Request", true);
        final int slot = table.insert(1234L, 100);
        table.message(slot).copyFrom(request);
        table.attachment(slot, 1, 77L);

        assertEquals(slot, table.find(1234L));
        assertEquals(-1, table.find(1235L));
        assertEquals("Create Session Request", table.message(slot).messageName());
        assertNotSame(request, table.message(slot), "the table keeps its own preallocated copy");
        assertEquals(77L, table.attachment(slot, 1));
        assertEquals(0L, table.attachment(slot, 0));
        assertEquals(-1, table.insert(1234L, 200), "a key already waiting is not added twice");
        table.remove(slot);
        assertEquals(-1, table.find(1234L));
        assertEquals(0, table.size());
        assertThrows(IndexOutOfBoundsException.class, () -> table.attachment(slot, 2));
    }

    @Test
    void oldestFirstForTimeoutsEvenWhenAnsweredOutOfOrder() {
        final PendingRequestTable table = new PendingRequestTable(4, 0);
        final int a = table.insert(1, 10);
        final int b = table.insert(2, 20);
        final int c = table.insert(3, 30);
        assertEquals(a, table.oldest());
        table.remove(b);
        assertEquals(-1, table.oldestExpired(9));
        assertEquals(a, table.oldestExpired(10));
        table.remove(a);
        assertEquals(c, table.oldest(), "the hole left by b is skipped");
        assertEquals(-1, table.oldestExpired(29));
        assertEquals(c, table.oldestExpired(31));
    }

    @Test
    void fullWhenTheRingWrapsOntoAWaitingHead() {
        final PendingRequestTable table = new PendingRequestTable(2, 0);
        final int first = table.insert(1, 10);
        table.insert(2, 20);
        assertTrue(table.isFull());
        assertEquals(-1, table.insert(3, 30));
        assertSame(table.message(first), table.message(table.oldest()));
        table.remove(first);
        assertFalse(table.isFull());
        assertTrue(table.insert(3, 30) >= 0);
    }

    @Test
    void slotsAreReusedWithoutAllocation() {
        final PendingRequestTable table = new PendingRequestTable(4, 1);
        final SignalingMessage[] seen = new SignalingMessage[4];
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 4; i++) {
                final int slot = table.insert(round * 10L + i, round);
                if (round == 0) {
                    seen[slot] = table.message(slot);
                } else {
                    assertSame(seen[slot], table.message(slot));
                    assertEquals(0L, table.attachment(slot, 0), "attachments are cleared on insert");
                }
                table.attachment(slot, 0, 99);
            }
            while (table.oldest() >= 0) {
                table.remove(table.oldest());
            }
        }
    }

    /** Random traffic against a model: the index survives backward-shift deletions and ring wrap. */
    @Test
    void behavesLikeAFifoMapUnderRandomOperations() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final PendingRequestTable table = new PendingRequestTable(64, 1);
        final Map<Long, Long> model = new HashMap<>();
        final ArrayDeque<Long> order = new ArrayDeque<>();
        for (int i = 0; i < 100_000; i++) {
            final long key = random.nextInt(200) * 4096L;
            final int op = random.nextInt(3);
            if (op == 0 && !table.isFull() && !model.containsKey(key)) {
                final int slot = table.insert(key, i);
                table.attachment(slot, 0, i);
                model.put(key, (long) i);
                order.add(key);
            } else if (op == 1) {
                final int slot = table.find(key);
                assertEquals(model.containsKey(key), slot >= 0, "seed " + seed);
                if (slot >= 0) {
                    assertEquals(model.remove(key).longValue(), table.attachment(slot, 0), "seed " + seed);
                    order.remove(key);
                    table.remove(slot);
                }
            } else if (table.oldest() >= 0) {
                final int slot = table.oldest();
                assertEquals(order.peekFirst().longValue(), table.key(slot), "seed " + seed);
                model.remove(order.pollFirst());
                table.remove(slot);
            }
            assertEquals(model.size(), table.size(), "seed " + seed);
        }
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new PendingRequestTable(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PendingRequestTable(8, 17));
        assertEquals(8, new PendingRequestTable(5, 0).capacity());
    }
}
