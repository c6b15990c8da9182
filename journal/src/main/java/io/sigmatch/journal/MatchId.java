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
 *   |  capture source |  tie: procedures before this one |   ordinal     |
 *   |   (sourceId)    |  with the same capture time     | of the match  |
 *   |                 |  from the same publisher        | in the event  |
 *   +----------------+---------------------------------+---------------+
 * </pre>
 *
 * Capture time alone is not unique (several procedures complete in one packet, or expire together),
 * so the publisher numbers procedures that share a capture time; one event can fire several rules,
 * numbered in priority order. A live restart cannot reuse an id because capture time moves on.
 * Source {@link #TIMER_SOURCE} is reserved for matches a timer fires (dwell, roaming duration), which
 * have no triggering packet. Ids are unique per appliance: a fleet qualifies them by appliance.
 *
 * <p>Text form: 32 lower-case hex digits, high half first, so ids sort by capture time.
 */
public final class MatchId {
    /** The capture source id of matches fired by a timer rather than by an event. */
    public static final int TIMER_SOURCE = 0xFFFF;

    private static final int SOURCE_SHIFT = 48;
    private static final int TIE_SHIFT = 16;
    private static final long TIE_MASK = 0xFFFF_FFFFL;
    private static final int SOURCE_MASK = 0xFFFF;
    private static final int ORDINAL_MASK = 0xFFFF;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MatchId() {
    }

    /** The low half; source and ordinal keep their low 16 bits, tie its low 32. */
    public static long low(final int sourceId, final long tie, final int ordinal) {
        return ((long) (sourceId & SOURCE_MASK) << SOURCE_SHIFT)
            | ((tie & TIE_MASK) << TIE_SHIFT)
            | (ordinal & ORDINAL_MASK);
    }

    public static int source(final long low) {
        return (int) (low >>> SOURCE_SHIFT) & SOURCE_MASK;
    }

    public static long tie(final long low) {
        return (low >>> TIE_SHIFT) & TIE_MASK;
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
