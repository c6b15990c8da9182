package io.sigmatch.matcher.state;

import java.io.IOException;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One shard's trigger timers (dwell, roaming duration: DESIGN §5 "a timer wheel, not a scan"), driven
 * by capture time, never the wall clock, so a replay at any speed fires the same timers at the same
 * deadlines. A hashed wheel of {@link #BUCKETS} buckets of {@link #TICK_NS} ns each (a span of about
 * 19.5 h; later deadlines wait in their bucket for their round).
 *
 * <p>The timers themselves are fixed-size records off-heap, in the same kind of region as the
 * subscriber state (mapped from a file when persistent); the bucket lists and the free list are on the
 * heap and rebuilt from the records on open, so a restart keeps every armed timer. A timer names its
 * subscriber by key and its rule by stable id, so neither a moved state record nor a snapshot
 * activation orphans it.
 *
 * <pre>
 * timer record, 48 bytes: 0 deadline  8 subscriber key  16 token (entry / visit start it belongs to)
 *                        24 armed at  32 rule stable id (int)  36 rule document order (int)
 *                        40 area stable id (int)  44 state (int: 0 free, 1 armed)
 * </pre>
 *
 * Due timers fire in (deadline, armed at, document order) order — the order the design's oracle
 * fires them in — on {@link #advance}; a full wheel refuses {@link #arm} (counted by the caller).
 */
public final class TimerWheel implements AutoCloseable {
    public static final int RECORD_BYTES = 48;
    public static final int TICK_SHIFT = 30;
    public static final long TICK_NS = 1L << TICK_SHIFT;
    public static final int BUCKETS = 1 << 16;

    static final int DEADLINE = 0;
    static final int KEY = 8;
    static final int TOKEN = 16;
    static final int ARMED_AT = 24;
    static final int RULE = 32;
    static final int ORDER = 36;
    static final int AREA = 40;
    static final int STATE = 44;

    private static final long MAGIC = 0x5347_4D54_494D_5231L; // "SGMTIMR1"
    private static final int H_MAGIC = 0;
    private static final int H_CAPACITY = 8;
    private static final int H_NOW = 16;

    /** What the wheel calls for each due timer, in order; the timer is freed after the call returns. */
    public interface Handler {
        void onTimer(TimerWheel wheel, int timer);
    }

    private final OffHeapRegion region;
    private final UnsafeBuffer header;
    private final int capacity;
    private final int[] heads = new int[BUCKETS];
    private final int[] next;
    private final int[] free;
    private int freeCount;
    private final int[] due;
    private long nowNs;
    private boolean started;

    private TimerWheel(final OffHeapRegion region) {
        this.region = region;
        this.header = region.header();
        this.capacity = (int) region.records();
        this.next = new int[capacity];
        this.free = new int[capacity];
        this.due = new int[capacity];
        java.util.Arrays.fill(heads, -1);
        if (region.existed()) {
            if (header.getLong(H_MAGIC) != MAGIC || header.getLong(H_CAPACITY) != capacity) {
                region.close();
                throw new IllegalStateException("timer file of another layout or capacity ("
                    + header.getLong(H_CAPACITY) + " timers); move it away or configure it alike");
            }
            nowNs = header.getLong(H_NOW);
            started = nowNs != Long.MIN_VALUE;
        } else {
            header.putLong(H_CAPACITY, capacity);
            header.putLong(H_NOW, Long.MIN_VALUE);
            header.putLongVolatile(H_MAGIC, MAGIC);
            nowNs = Long.MIN_VALUE;
        }
        for (int t = capacity - 1; t >= 0; t--) {
            if (getInt(t, STATE) == 1) {
                link(t);
            } else {
                free[freeCount++] = t;
            }
        }
    }

    /** A wheel of capacity timers (a power of two), in direct memory or mapped from file (kept across restarts). */
    public static TimerWheel open(final Path file, final int capacity) throws IOException {
        if (capacity < 16 || Integer.bitCount(capacity) != 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("timer capacity must be a power of two in [16, 2^28]: " + capacity);
        }
        return new TimerWheel(OffHeapRegion.open(RECORD_BYTES, capacity, file));
    }

    private static int bucket(final long deadlineNs) {
        return (int) (deadlineNs >> TICK_SHIFT) & (BUCKETS - 1);
    }

    private void link(final int t) {
        final int b = bucket(getLong(t, DEADLINE));
        next[t] = heads[b];
        heads[b] = t;
    }

    /**
     * Arms a timer; false when the wheel is full. The caller's token says which stay or visit the
     * timer belongs to, so it can tell at the deadline whether that stay still lasts.
     */
    public boolean arm(final long deadlineNs, final long key, final long token, final long armedAtNs, final int rule,
        final int order, final int area) {
        if (freeCount == 0) {
            return false;
        }
        final int t = free[--freeCount];
        putLong(t, DEADLINE, deadlineNs);
        putLong(t, KEY, key);
        putLong(t, TOKEN, token);
        putLong(t, ARMED_AT, armedAtNs);
        putInt(t, RULE, rule);
        putInt(t, ORDER, order);
        putInt(t, AREA, area);
        putIntOrdered(t, STATE, 1);
        link(t);
        return true;
    }

    /**
     * Capture time has reached now: every timer due by then (deadline at or before now) is handed to
     * the handler in order and freed. Time going backwards (merged captures) fires nothing.
     */
    public int advance(final long now, final Handler handler) {
        if (started && now <= nowNs) {
            return 0;
        }
        int n = 0;
        if (armed() > 0) {
            final long fromTick = started ? nowNs >> TICK_SHIFT : now >> TICK_SHIFT;
            final long toTick = now >> TICK_SHIFT;
            if (toTick - fromTick >= BUCKETS - 1 || !started) {
                for (int b = 0; b < BUCKETS; b++) {
                    n = collect(b, now, n);
                }
            } else {
                for (long tick = fromTick; tick <= toTick; tick++) {
                    n = collect((int) tick & (BUCKETS - 1), now, n);
                }
            }
        }
        nowNs = now;
        started = true;
        header.putLong(H_NOW, now);
        if (n > 1) {
            sort(n);
        }
        for (int i = 0; i < n; i++) {
            final int t = due[i];
            handler.onTimer(this, t);
            putIntOrdered(t, STATE, 0);
            free[freeCount++] = t;
        }
        return n;
    }

    /** Unlinks bucket b's timers due by now into due[n...]; returns the new n. */
    private int collect(final int b, final long now, final int n0) {
        int n = n0;
        int prev = -1;
        int t = heads[b];
        while (t >= 0) {
            final int after = next[t];
            if (getLong(t, DEADLINE) <= now) {
                if (prev < 0) {
                    heads[b] = after;
                } else {
                    next[prev] = after;
                }
                due[n++] = t;
            } else {
                prev = t;
            }
            t = after;
        }
        return n;
    }

    private boolean before(final int a, final int b) {
        final long da = getLong(a, DEADLINE);
        final long db = getLong(b, DEADLINE);
        if (da != db) {
            return da < db;
        }
        final long aa = getLong(a, ARMED_AT);
        final long ab = getLong(b, ARMED_AT);
        if (aa != ab) {
            return aa < ab;
        }
        return getInt(a, ORDER) < getInt(b, ORDER);
    }

    /** Heap sort of due[0, n): in place, no allocation, n log n even for the end-of-capture flush. */
    private void sort(final int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            final int top = due[0];
            due[0] = due[end];
            due[end] = top;
            siftDown(0, end);
        }
    }

    private void siftDown(final int i0, final int n) {
        int i = i0;
        while (true) {
            final int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int max = l;
            if (l + 1 < n && before(due[l], due[l + 1])) {
                max = l + 1;
            }
            if (!before(due[i], due[max])) {
                return;
            }
            final int tmp = due[i];
            due[i] = due[max];
            due[max] = tmp;
            i = max;
        }
    }

    public long deadline(final int t) {
        return getLong(t, DEADLINE);
    }

    public long key(final int t) {
        return getLong(t, KEY);
    }

    public long token(final int t) {
        return getLong(t, TOKEN);
    }

    public long armedAt(final int t) {
        return getLong(t, ARMED_AT);
    }

    public int rule(final int t) {
        return getInt(t, RULE);
    }

    public int order(final int t) {
        return getInt(t, ORDER);
    }

    public int area(final int t) {
        return getInt(t, AREA);
    }

    /** Timers armed and not yet fired. */
    public int armed() {
        return capacity - freeCount;
    }

    public int capacity() {
        return capacity;
    }

    /** The capture time the wheel has advanced to; MIN_VALUE before the first advance. */
    public long nowNs() {
        return started ? nowNs : Long.MIN_VALUE;
    }

    private long getLong(final int t, final int field) {
        return region.segment(t).getLong(region.offset(t) + field);
    }

    private void putLong(final int t, final int field, final long v) {
        region.segment(t).putLong(region.offset(t) + field, v);
    }

    private int getInt(final int t, final int field) {
        return region.segment(t).getInt(region.offset(t) + field);
    }

    private void putInt(final int t, final int field, final int v) {
        region.segment(t).putInt(region.offset(t) + field, v);
    }

    private void putIntOrdered(final int t, final int field, final int v) {
        region.segment(t).putIntOrdered(region.offset(t) + field, v);
    }

    public long bytes() {
        return region.bytes() + 12L * capacity + 4L * BUCKETS;
    }

    @Override
    public void close() {
        region.close();
    }
}
