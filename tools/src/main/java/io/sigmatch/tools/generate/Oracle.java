package io.sigmatch.tools.generate;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The ground truth: DESIGN §13's trigger semantics applied to the scenario's conveyed events, in
 * capture-time order, written as expected-matches.jsonl. Written from the design text alone (it
 * imports nothing of the matcher); where the text leaves a choice open the choice is listed under
 * "Oracle decisions" in docs/generator.md, and each is marked here with "Decision:".
 */
final class Oracle {
    static final long HOUR_NS = 3_600_000_000_000L;
    static final long MINUTE_NS = 60_000_000_000L;
    /** DESIGN §13: a visit ends after 24 h without events. */
    static final long VISIT_GAP_NS = 24 * HOUR_NS;

    private final List<RuleDef> rules;
    private final Snapshot snapshot;
    private final CellMap cells;
    private final ZoneId zone;
    private final Writer out;
    private final int[] ruleAreas;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
        Comparator.comparingLong((Timer t) -> t.deadlineNs).thenComparingLong(t -> t.order));
    private long timerOrder;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<String[]> sameTime = new ArrayList<>();
    private long sameTimeNs = Long.MIN_VALUE;
    private final Map<String, long[]> counts = new TreeMap<>();
    private long matches;

    /** The lists and home definition the snapshot names, as membership functions. */
    interface Snapshot {
        /** Whether the list holds the subscriber's identity of the list's kind (null: not known, not held). */
        boolean contains(String list, int subscriber, String imsi, String msisdn, String imei);

        /** Whether the list's kind of identity is known for this subscriber (else exclusions fail closed). */
        boolean canCheck(String list, String imsi, String msisdn, String imei);

        boolean homeImsi(String imsi);

        /** The MSISDN's region from the regions file, or null. */
        String region(String msisdn);

        String homeRegion();

        boolean hasHome();
    }

    Oracle(final List<RuleDef> rules, final Snapshot snapshot, final CellMap cells, final ZoneId zone,
        final Writer out) {
        this.rules = rules;
        this.snapshot = snapshot;
        this.cells = cells;
        this.zone = zone;
        this.out = out;
        ruleAreas = new int[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            final String area = (String) rules.get(i).params().get("area");
            ruleAreas[i] = -1;
            if (area != null) {
                for (int a = 0; a < cells.areas().size(); a++) {
                    if (cells.areas().get(a).id().equals(area)) {
                        ruleAreas[i] = a;
                    }
                }
            }
            counts.put(rules.get(i).id(), new long[Reason.values().length]);
        }
    }

    enum Reason { MATCHED, EXCLUDED, NOT_INCLUDED, EXCLUSION_UNVERIFIABLE, OUTSIDE_VALIDITY, QUIET_DROPPED, CAPPED,
        GLOBAL_CAPPED, DEFERRED }

    /** Per-subscriber trigger and governance state, held beside the model's cursor (one IMSI each). */
    static final class State {
        String msisdn;
        String imei;
        /** Whether any event so far carried the IMSI (SIP carries only the MSISDN). */
        boolean imsiKnown;
        int cell = -1;
        final long[] lastExit;
        final int[] stay;
        ArrayDeque<Long>[] entries;
        boolean visiting;
        long visitStart;
        long lastEventNs = Long.MIN_VALUE;
        int visit;
        long forwardingSetNs = Long.MIN_VALUE;
        /** Made when first needed: most subscribers never enter a shop or hit a cap (memory at 10 M subscribers). */
        ArrayDeque<Long>[] capTimes;
        ArrayDeque<Long> globalTimes;
        private final int rules;

        State(final int areas, final int rules) {
            lastExit = new long[areas];
            java.util.Arrays.fill(lastExit, Long.MIN_VALUE);
            stay = new int[areas];
            this.rules = rules;
        }

        @SuppressWarnings("unchecked")
        ArrayDeque<Long>[] entries() {
            if (entries == null) {
                entries = new ArrayDeque[rules];
            }
            return entries;
        }

        @SuppressWarnings("unchecked")
        ArrayDeque<Long>[] capTimes() {
            if (capTimes == null) {
                capTimes = new ArrayDeque[rules];
            }
            return capTimes;
        }

        ArrayDeque<Long> globalTimes() {
            if (globalTimes == null) {
                globalTimes = new ArrayDeque<>(4);
            }
            return globalTimes;
        }
    }

    private record Timer(long deadlineNs, long order, SubscriberCursor subscriber, int rule, int token) {
    }

    private record Candidate(int rule, int area) {
    }

    long matches() {
        return matches;
    }

    Map<String, long[]> counts() {
        return counts;
    }

    private State state(final SubscriberCursor s) {
        if (s.oracle == null) {
            s.oracle = new State(cells.areas().size(), rules.size());
        }
        return s.oracle;
    }

    /** Capture time has reached nowNs: timers due by then fire (DESIGN §13, a timer, not a wait). */
    void advance(final long nowNs) throws IOException {
        Timer t;
        while ((t = timers.peek()) != null && t.deadlineNs <= nowNs) {
            timers.poll();
            fireTimer(t);
        }
    }

    void onEvent(final ConveyedEvent e) throws IOException {
        advance(e.timeNs);
        if (e.subscriber == null) {
            return; // no identity conveyed: no subscriber to hold state for, nothing to match
        }
        final SubscriberCursor sub = e.subscriber;
        final State st = state(sub);
        final long t = e.timeNs;
        // links learned from signaling: an event carrying two identities ties them together
        if (e.msisdn != null) {
            st.msisdn = e.msisdn;
        }
        if (e.imsi != null) {
            st.imsiKnown = true;
        }
        final String prevImei = st.imei;

        // area transitions: only an event that carries a cell moves the subscriber (Decision: the
        // known cell is the last one conveyed; nothing makes it unknown again)
        final int prevCell = st.cell;
        final int newCell = e.cell >= 0 ? e.cell : prevCell;
        final long before = prevCell >= 0 ? cells.areaBits(prevCell) : 0;
        final long after = newCell >= 0 ? cells.areaBits(newCell) : 0;
        final long entered = after & ~before;
        final long exited = before & ~after;

        // roaming: a new visit on the first event of a roamer, or after 24 h without events
        final int scope = st.imsiKnown ? roamingScope(sub.imsi(), st.msisdn) : 0;
        final boolean newVisit = scope != 0 && (!st.visiting || t - st.lastEventNs > VISIT_GAP_NS);

        candidates.clear();
        for (int i = 0; i < rules.size(); i++) {
            final RuleDef r = rules.get(i);
            final int a = ruleAreas[i];
            final boolean pass = filterPasses(r, e);
            switch (r.type()) {
                case "areaEntry":
                    if ((entered >>> a & 1) != 0 && pass && (st.lastExit[a] == Long.MIN_VALUE
                        || t - st.lastExit[a] > r.intParam("antiFlapMinutes") * MINUTE_NS)) {
                        candidates.add(new Candidate(i, a));
                    }
                    break;
                case "areaDwell":
                    if ((entered >>> a & 1) != 0 && pass) {
                        timers.add(new Timer(t + r.intParam("minutes") * MINUTE_NS, timerOrder++, sub, i,
                            st.stay[a] + 1));
                    }
                    break;
                case "frequentVisitor":
                    if ((entered >>> a & 1) != 0) {
                        final ArrayDeque<Long>[] all = st.entries();
                        if (all[i] == null) {
                            all[i] = new ArrayDeque<>(4);
                        }
                        final ArrayDeque<Long> ring = all[i];
                        ring.addLast(t);
                        final long window = r.intParam("days") * 24 * HOUR_NS;
                        while (!ring.isEmpty() && ring.peekFirst() <= t - window) {
                            ring.pollFirst();
                        }
                        // Decision: "reach" = the count within the window becomes exactly `count`
                        if (pass && ring.size() == r.intParam("count")) {
                            candidates.add(new Candidate(i, a));
                        }
                    }
                    break;
                case "roamingIn":
                    if (newVisit && pass && scopeMatches(r.stringParam("scope"), scope)) {
                        candidates.add(new Candidate(i, -1));
                    }
                    break;
                case "roamingDuration":
                    if (newVisit && pass && scopeMatches(r.stringParam("scope"), scope)) {
                        timers.add(new Timer(t + r.intParam("hours") * HOUR_NS, timerOrder++, sub, i, st.visit + 1));
                    }
                    break;
                case "handsetChange":
                    if (pass && prevImei != null && e.imei != null) {
                        final boolean byTac = "tac".equals(r.stringParam("by"));
                        final boolean changed = byTac ? !prevImei.regionMatches(0, e.imei, 0, 8)
                            : !prevImei.equals(e.imei);
                        if (changed) {
                            candidates.add(new Candidate(i, -1));
                        }
                    }
                    break;
                case "forwardingThenPowerOn":
                    // Decision: every POWER_ON inside the window fires (the flag is not consumed); caps limit repeats
                    if (e.kind == ConveyedEvent.Kind.POWER_ON && pass && st.forwardingSetNs != Long.MIN_VALUE
                        && t - st.forwardingSetNs <= r.intParam("withinHours") * HOUR_NS) {
                        candidates.add(new Candidate(i, -1));
                    }
                    break;
                case "hotlineCall":
                    if (e.kind == ConveyedEvent.Kind.CALL_ATTEMPT && pass && e.called != null
                        && ((List<?>) r.params().get("numbers")).contains(e.called)) {
                        candidates.add(new Candidate(i, -1));
                    }
                    break;
                default:
                    if (pass && kindMatches(r.type(), e.kind)) {
                        candidates.add(new Candidate(i, -1));
                    }
                    break;
            }
        }

        // state after the event
        st.cell = newCell;
        for (int a = 0; a < cells.areas().size(); a++) {
            if ((entered >>> a & 1) != 0 || (exited >>> a & 1) != 0) {
                st.stay[a]++; // an entry starts a stay, an exit ends it: either way older dwell timers are void
            }
            if ((exited >>> a & 1) != 0) {
                st.lastExit[a] = t;
            }
        }
        if (e.imei != null) {
            st.imei = e.imei;
        }
        if (newVisit) {
            st.visiting = true;
            st.visitStart = t;
            st.visit++;
        }
        st.lastEventNs = t;
        if (e.kind == ConveyedEvent.Kind.POWER_OFF && st.visiting) {
            st.visiting = false; // DESIGN §13: a visit ends on power-off
            st.visit++;
        }
        if (e.kind == ConveyedEvent.Kind.CALL_FORWARDING_SET) {
            st.forwardingSetNs = t;
        }

        // DESIGN §13: higher priority first when one event fires several rules (ties: document order)
        candidates.sort(Comparator.comparingInt((Candidate c) -> -rules.get(c.rule).priority())
            .thenComparingInt(c -> c.rule));
        for (final Candidate c : candidates) {
            govern(c.rule, sub, st, t, c.area);
        }
    }

    private void fireTimer(final Timer timer) throws IOException {
        final RuleDef r = rules.get(timer.rule);
        final State st = state(timer.subscriber);
        if ("areaDwell".equals(r.type())) {
            final int a = ruleAreas[timer.rule];
            if (st.stay[a] == timer.token) {
                govern(timer.rule, timer.subscriber, st, timer.deadlineNs, a);
            }
        } else if (st.visit == timer.token && st.visiting && timer.deadlineNs - st.lastEventNs <= VISIT_GAP_NS) {
            govern(timer.rule, timer.subscriber, st, timer.deadlineNs, -1);
        }
    }

    /** Lookup and govern (DESIGN §2 order): lists, validity, quiet hours, rule cap, global cap. */
    private void govern(final int ruleIndex, final SubscriberCursor sub, final State st, final long t, final int area)
        throws IOException {
        final RuleDef r = rules.get(ruleIndex);
        final long[] count = counts.get(r.id());
        final String imsi = st.imsiKnown ? sub.imsi() : null;
        final String msisdn = st.msisdn;
        final String imei = st.imei;
        if (!r.include().isEmpty()) {
            boolean in = false;
            for (final String list : r.include()) {
                in |= snapshot.contains(list, sub.index, imsi, msisdn, imei);
            }
            if (!in) {
                count[Reason.NOT_INCLUDED.ordinal()]++;
                return;
            }
        }
        for (final String list : r.exclude()) {
            if (!snapshot.canCheck(list, imsi, msisdn, imei)) {
                count[Reason.EXCLUSION_UNVERIFIABLE.ordinal()]++; // fails closed
                return;
            }
            if (snapshot.contains(list, sub.index, imsi, msisdn, imei)) {
                count[Reason.EXCLUDED.ordinal()]++;
                return;
            }
        }
        if ((r.validFromNs() != null && t < r.validFromNs()) || (r.validToNs() != null && t > r.validToNs())) {
            count[Reason.OUTSIDE_VALIDITY.ordinal()]++;
            return;
        }
        long deliverAfter = Long.MIN_VALUE;
        if (r.quietHours() != null) {
            final long end = quietEnd(r.quietHours(), t);
            if (end != Long.MIN_VALUE) {
                if (!r.quietHours().defer()) {
                    count[Reason.QUIET_DROPPED.ordinal()]++;
                    return;
                }
                deliverAfter = end;
            }
        }
        if (r.cap() != null) {
            if (st.capTimes()[ruleIndex] == null) {
                st.capTimes()[ruleIndex] = new ArrayDeque<>(4);
            }
            if (!admit(st.capTimes()[ruleIndex], t, r.cap().perNs(), r.cap().count())) {
                count[Reason.CAPPED.ordinal()]++;
                return;
            }
        }
        final RuleDef.Cap global = globalCap;
        if (global != null && !admit(st.globalTimes(), t, global.perNs(), global.count())) {
            count[Reason.GLOBAL_CAPPED.ordinal()]++;
            return;
        }
        if (r.cap() != null) {
            st.capTimes()[ruleIndex].addLast(t);
        }
        if (global != null) {
            st.globalTimes().addLast(t);
        }
        count[Reason.MATCHED.ordinal()]++;
        if (deliverAfter != Long.MIN_VALUE) {
            count[Reason.DEFERRED.ordinal()]++;
        }
        emit(r, t, imsi, msisdn, imei, area < 0 ? null : cells.areas().get(area).id(), deliverAfter);
    }

    private RuleDef.Cap globalCap;

    void globalCap(final RuleDef.Cap cap) {
        this.globalCap = cap;
    }

    /** Sliding window (t - per, t]: admitted while fewer than count matches lie in it. */
    private static boolean admit(final ArrayDeque<Long> times, final long t, final long perNs, final int count) {
        while (!times.isEmpty() && times.peekFirst() <= t - perNs) {
            times.pollFirst();
        }
        return times.size() < count;
    }

    /** The end of the quiet period containing t (snapshot timezone), or MIN_VALUE when t is not quiet. */
    long quietEnd(final RuleDef.QuietHours q, final long t) {
        final ZonedDateTime local = Instant.ofEpochSecond(t / 1_000_000_000L, t % 1_000_000_000L).atZone(zone);
        final LocalTime from = LocalTime.parse(q.from());
        final LocalTime to = LocalTime.parse(q.to());
        final LocalTime now = local.toLocalTime();
        final LocalDate day = local.toLocalDate();
        final boolean wraps = from.isAfter(to);
        final boolean quiet = wraps ? !now.isBefore(from) || now.isBefore(to) : !now.isBefore(from) && now.isBefore(to);
        if (!quiet) {
            return Long.MIN_VALUE;
        }
        final LocalDate endDay = wraps && !now.isBefore(from) ? day.plusDays(1) : day;
        final Instant end = ZonedDateTime.of(endDay, to, zone).toInstant();
        return end.getEpochSecond() * 1_000_000_000L + end.getNano();
    }

    /** 1 = international, 2 = province, 0 = at home. */
    private int roamingScope(final String imsi, final String msisdn) {
        if (!snapshot.hasHome()) {
            return 0;
        }
        if (!snapshot.homeImsi(imsi)) {
            return 1;
        }
        if (msisdn == null) {
            return 0; // Decision: province roaming needs the MSISDN's region; without it, not roaming
        }
        final String region = snapshot.region(msisdn);
        // Decision: an MSISDN the regions file does not cover is not roaming (region unknown)
        return region != null && !region.equals(snapshot.homeRegion()) ? 2 : 0;
    }

    private static boolean scopeMatches(final String scope, final int roaming) {
        switch (scope) {
            case "international":
                return roaming == 1;
            case "province":
                return roaming == 2;
            default:
                return roaming != 0;
        }
    }

    private static boolean kindMatches(final String type, final ConveyedEvent.Kind kind) {
        switch (type) {
            case "powerOn":
                return kind == ConveyedEvent.Kind.POWER_ON;
            case "powerOff":
                return kind == ConveyedEvent.Kind.POWER_OFF;
            case "locationUpdate":
                return kind == ConveyedEvent.Kind.LOCATION_UPDATE;
            case "sms":
                return kind == ConveyedEvent.Kind.SMS_MO || kind == ConveyedEvent.Kind.SMS_MT;
            case "dataSession":
                // Decision (shared with the matcher's README): DATA_SESSION_START only
                return kind == ConveyedEvent.Kind.DATA_SESSION_START;
            default:
                return false;
        }
    }

    /** A filter on a field the event does not carry does not pass. */
    private static boolean filterPasses(final RuleDef r, final ConveyedEvent e) {
        if (r.rat() != null && (e.rat == null || !r.rat().contains(e.rat))) {
            return false;
        }
        if (r.apn() != null && (e.apn == null || !r.apn().contains(networkIdentifier(e.apn)))) {
            return false;
        }
        if (r.direction() != null) {
            final String d = e.kind == ConveyedEvent.Kind.SMS_MO ? "mo" : e.kind == ConveyedEvent.Kind.SMS_MT ? "mt" : null;
            return d != null && r.direction().contains(d);
        }
        return true;
    }

    /** TS 23.003 9.1.1: the APN network identifier, without an operator identifier, lower case. */
    static String networkIdentifier(final String apn) {
        final String lower = apn.toLowerCase(java.util.Locale.ROOT);
        final int at = lower.indexOf(".mnc");
        return at > 0 && lower.endsWith(".gprs") ? lower.substring(0, at) : lower;
    }

    // ---- output -------------------------------------------------------------------------------

    private void emit(final RuleDef r, final long t, final String imsi, final String msisdn, final String imei,
        final String area, final long deliverAfter) throws IOException {
        matches++;
        final StringBuilder b = new StringBuilder(256);
        b.append("{\"rule\":\"").append(r.id()).append("\",\"time\":\"");
        epoch(t, b).append('"');
        if (imsi != null) {
            b.append(",\"imsi\":\"").append(imsi).append('"');
        }
        if (msisdn != null) {
            b.append(",\"msisdn\":\"").append(msisdn).append('"');
        }
        if (imei != null) {
            b.append(",\"imei\":\"").append(imei).append('"');
        }
        if (area != null) {
            b.append(",\"area\":\"").append(area).append('"');
        }
        if (deliverAfter != Long.MIN_VALUE) {
            b.append(",\"deliverAfter\":\"");
            epoch(deliverAfter, b).append('"');
        }
        b.append(",\"payload\":").append(r.payloadJson()).append("}\n");
        // sorted by time then rule: matches come in time order; equal times wait here to be sorted
        if (t != sameTimeNs) {
            flushSameTime();
            sameTimeNs = t;
        }
        sameTime.add(new String[] {r.id(), b.toString()});
    }

    private void flushSameTime() throws IOException {
        sameTime.sort(Comparator.comparing((String[] m) -> m[0]));
        for (final String[] m : sameTime) {
            out.write(m[1]);
        }
        sameTime.clear();
    }

    /** At the end of the capture: timers due by its last frame fire, later ones never do. */
    void finish(final long lastFrameNs) throws IOException {
        advance(lastFrameNs);
        flushSameTime();
    }

    static StringBuilder epoch(final long ns, final StringBuilder b) {
        final long s = Math.floorDiv(ns, 1_000_000_000L);
        final long f = Math.floorMod(ns, 1_000_000_000L);
        final String frac = Long.toString(f);
        b.append(s).append('.');
        for (int i = frac.length(); i < 9; i++) {
            b.append('0');
        }
        return b.append(frac);
    }
}
