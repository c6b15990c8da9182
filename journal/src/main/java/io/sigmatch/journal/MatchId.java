package io.sigmatch.journal;

/**
 * The match id: 128 bits derived from the identity of the triggering event, not from where the
 * record landed in the queue, so replaying the same capture with the same snapshot yields the same
 * ids whatever the number of shards or the interleaving of their appends — which is what lets a
 * downstream deduplicate an at-least-once delivery (DESIGN §7).
 *
 * <pre>
 *   high 64 bits: capture time of the triggering event, epoch ns
 *   low 64 bits:
 *    63            48 47                             16 15            0
 *   +----------------+---------------------------------+---------------+
 *   |  capture source |  sequence: the procedure's      |   ordinal     |
 *   |   (sourceId)    |  number in its publisher's      | of the match  |
 *   |                 |  stream, low 32 bits            | in the event  |
 *   +----------------+---------------------------------+---------------+
 * </pre>
 *
 * Capture time alone is not unique (several procedures complete in one packet, or expire together),
 * and procedures do not complete in capture-time order (a procedure is stamped with its request's
 * time but completes with its answer; several captures are merged), so counting only neighbours of
 * equal time is not unique either. The publisher therefore numbers every procedure it hands over,
 * from 0; within a run the sequence alone is unique (until it wraps after 2^32 procedures, by which
 * time the capture time has moved on), and it is the same on every replay of the same capture from
 * its start, whatever the shard count. One event can fire several rules, numbered in priority order.
 * A live restart restarts the sequence, but not the clock, so it cannot reuse an id.
 * Source {@link #TIMER_SOURCE} is reserved for matches a timer fires (dwell, roaming duration), which
 * have no triggering packet. Ids are unique per appliance: a fleet qualifies them by appliance.
 *
 * <p>Text form: 32 lower-case hex digits, high half first, so ids sort by capture time.
 */
public final class MatchId {
    /** The capture source id of matches fired by a timer rather than by an event. */
    public static final int TIMER_SOURCE = 0xFFFF;

    private static final int SOURCE_SHIFT = 48;
    private static final int SEQUENCE_SHIFT = 16;
    private static final long SEQUENCE_MASK = 0xFFFF_FFFFL;
    private static final int SOURCE_MASK = 0xFFFF;
    private static final int ORDINAL_MASK = 0xFFFF;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MatchId() {
    }

    /** The low half; source and ordinal keep their low 16 bits, sequence its low 32. */
    public static long low(final int sourceId, final long sequence, final int ordinal) {
        return ((long) (sourceId & SOURCE_MASK) << SOURCE_SHIFT)
            | ((sequence & SEQUENCE_MASK) << SEQUENCE_SHIFT)
            | (ordinal & ORDINAL_MASK);
    }

    public static int source(final long low) {
        return (int) (low >>> SOURCE_SHIFT) & SOURCE_MASK;
    }

    public static long sequence(final long low) {
        return (low >>> SEQUENCE_SHIFT) & SEQUENCE_MASK;
    }

    public static int ordinal(final long low) {
        return (int) low & ORDINAL_MASK;
    }

    public static StringBuilder appendTo(final long high, final long low, final StringBuilder out) {
        appendHex(high, out);
        appendHex(low, out);
        return out;
    }

    public static String toString(final long high, final long low) {
        return appendTo(high, low, new StringBuilder(32)).toString();
    }

    private static void appendHex(final long v, final StringBuilder out) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (v >>> shift) & 0xF]);
        }
    }
}
