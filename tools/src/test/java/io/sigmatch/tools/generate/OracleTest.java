package io.sigmatch.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The oracle's reading of DESIGN §13 (docs/generator.md, "Oracle decisions") on hand-made event sequences. */
class OracleTest {
    private static final long MIN = Oracle.MINUTE_NS;
    /** 2026-11-22 12:00 UTC = 20:00 in Asia/Shanghai. */
    private static final long T0 = Instant.parse("2026-11-22T12:00:00Z").getEpochSecond() * 1_000_000_000L;

    private final Population population = new Population(1, 100);
    private final CellMap cells = new CellMap(100);
    private final int airport = cells.areas().get(0).cells()[0];
    private final int stadium = cells.areas().get(1).cells()[0];
    private final int outside = 0;
    private final StringWriter out = new StringWriter();

    private static RuleDef rule(final String id, final String type, final Map<String, Object> params,
        final RuleDef.QuietHours quiet, final RuleDef.Cap cap, final int priority) {
        return new RuleDef(id, type, params, null, null, null, List.of(), List.of(), null, null, null, null, quiet, cap,
            priority, "{}");
    }

    private Oracle oracle(final RuleDef... rules) {
        return new Oracle(List.of(rules), new Oracle.Snapshot() {
            @Override
            public boolean contains(final String list, final int s, final String imsi, final String msisdn,
                final String imei) {
                return false;
            }

            @Override
            public boolean canCheck(final String list, final String imsi, final String msisdn, final String imei) {
                return true;
            }

            @Override
            public boolean homeImsi(final String imsi) {
                return imsi.startsWith("460");
            }

            @Override
            public String region(final String msisdn) {
                return Population.regionOf(msisdn);
            }

            @Override
            public String homeRegion() {
                return "GD";
            }

            @Override
            public boolean hasHome() {
                return true;
            }
        }, cells, ZoneId.of("Asia/Shanghai"), out);
    }

    private SubscriberCursor subscriber(final Population.Kind kind) {
        for (int i = 0; i < population.size(); i++) {
            if (population.kind(i) == kind) {
                return new SubscriberCursor(population, i, 1);
            }
        }
        throw new AssertionError(kind.toString());
    }

    private static ConveyedEvent event(final SubscriberCursor s, final long t, final int cell, final String imei) {
        final ConveyedEvent e = new ConveyedEvent();
        e.timeNs = t;
        e.kind = ConveyedEvent.Kind.LOCATION_UPDATE;
        e.subscriber = s;
        e.imsi = s == null ? null : s.imsi();
        e.msisdn = s == null ? null : s.msisdn();
        e.imei = imei;
        e.cell = cell;
        return e;
    }

    private List<String> lines() {
        final List<String> l = new ArrayList<>();
        out.toString().lines().forEach(l::add);
        return l;
    }

    private static String time(final long ns) {
        return Oracle.epoch(ns, new StringBuilder()).toString();
    }

    @Test
    void areaEntryIgnoresAReEntryWithinTheAntiFlapTime() throws Exception {
        final Oracle o = oracle(rule("entry", "areaEntry", Map.of("area", "airport-T3", "antiFlapMinutes", 30), null,
            null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(event(s, T0, outside, null));
        o.onEvent(event(s, T0 + MIN, airport, null)); // fires
        o.onEvent(event(s, T0 + 10 * MIN, outside, null)); // exit
        o.onEvent(event(s, T0 + 40 * MIN, airport, null)); // exactly 30 min after the exit: still within
        o.onEvent(event(s, T0 + 41 * MIN, outside, null));
        o.onEvent(event(s, T0 + 72 * MIN, airport, null)); // 31 min after: fires
        o.finish(T0 + 80 * MIN);
        final List<String> l = lines();
        assertEquals(2, l.size(), l.toString());
        assertTrue(l.get(0).contains(time(T0 + MIN)) && l.get(0).contains("\"area\":\"airport-T3\""), l.get(0));
        assertTrue(l.get(1).contains(time(T0 + 72 * MIN)), l.get(1));
    }

    @Test
    void areaDwellFiresAtTheDeadlineOncePerStayAndNotAfterAnExit() throws Exception {
        final Oracle o = oracle(rule("dwell", "areaDwell", Map.of("area", "stadium", "minutes", 45), null, null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(event(s, T0, stadium, null));
        o.onEvent(event(s, T0 + 20 * MIN, stadium, null)); // still inside: no new stay
        o.advance(T0 + 45 * MIN); // capture time reaches entry + 45 min
        // a second stay ended before its deadline
        o.onEvent(event(s, T0 + 60 * MIN, outside, null));
        o.onEvent(event(s, T0 + 70 * MIN, stadium, null));
        o.onEvent(event(s, T0 + 100 * MIN, outside, null));
        // a third stay whose deadline the capture never reaches
        o.onEvent(event(s, T0 + 110 * MIN, stadium, null));
        o.finish(T0 + 150 * MIN);
        final List<String> l = lines();
        assertEquals(1, l.size(), l.toString());
        assertTrue(l.get(0).contains(time(T0 + 45 * MIN)), l.get(0));
    }

    @Test
    void quietHoursDeferToTheirEndOrDrop() throws Exception {
        final Oracle defer = oracle(rule("d", "locationUpdate", Map.of(), new RuleDef.QuietHours("22:00", "08:00", true),
            null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        defer.onEvent(event(s, T0 + 60 * MIN, outside, null)); // 21:00 local: not quiet
        defer.onEvent(event(s, T0 + 180 * MIN, outside, null)); // 23:00 local: deferred to 08:00 next day
        defer.finish(T0 + 200 * MIN);
        final List<String> l = lines();
        assertEquals(2, l.size(), l.toString());
        assertTrue(!l.get(0).contains("deliverAfter"), l.get(0));
        final long eight = Instant.parse("2026-11-23T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        assertTrue(l.get(1).contains("\"deliverAfter\":\"" + time(eight) + "\""), l.get(1));

        out.getBuffer().setLength(0);
        final Oracle drop = oracle(rule("x", "locationUpdate", Map.of(), new RuleDef.QuietHours("22:00", "08:00", false),
            null, 1));
        drop.onEvent(event(s, T0 + 180 * MIN, outside, null));
        drop.finish(T0 + 200 * MIN);
        assertEquals(List.of(), lines());
        assertEquals(1, drop.counts().get("x")[Oracle.Reason.QUIET_DROPPED.ordinal()]);
    }

    @Test
    void ruleCapSlidesAndGlobalCapServesHigherPriorityFirst() throws Exception {
        final Oracle o = oracle(rule("low", "locationUpdate", Map.of(), null, null, 1),
            rule("high", "locationUpdate", Map.of(), null, new RuleDef.Cap(1, "1h", Oracle.HOUR_NS), 9));
        o.globalCap(new RuleDef.Cap(1, "2h", 2 * Oracle.HOUR_NS));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(event(s, T0, outside, null)); // both fire: global cap 1 keeps only "high"
        o.onEvent(event(s, T0 + 150 * MIN, outside, null)); // global window passed: "high" again
        o.finish(T0 + 160 * MIN);
        final List<String> l = lines();
        assertEquals(2, l.size(), l.toString());
        assertTrue(l.stream().allMatch(x -> x.contains("\"rule\":\"high\"")), l.toString());
        assertEquals(2, o.counts().get("low")[Oracle.Reason.GLOBAL_CAPPED.ordinal()]);
    }

    @Test
    void handsetChangeNeverFiresOnTheFirstSightingAndByTacIgnoresTheSerial() throws Exception {
        final Oracle o = oracle(rule("imei", "handsetChange", Map.of("by", "imei"), null, null, 1),
            rule("tac", "handsetChange", Map.of("by", "tac"), null, null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(event(s, T0, outside, "35209011000001")); // first sighting
        o.onEvent(event(s, T0 + MIN, outside, "35209011000002")); // same TAC, new serial: imei only
        o.onEvent(event(s, T0 + 2 * MIN, outside, null)); // no IMEI: nothing
        o.onEvent(event(s, T0 + 3 * MIN, outside, "86012304000003")); // new model: both
        o.finish(T0 + 4 * MIN);
        final List<String> l = lines();
        assertEquals(3, l.size(), l.toString());
        assertTrue(l.get(0).contains("\"rule\":\"imei\"") && l.get(0).contains(time(T0 + MIN)));
        assertTrue(l.get(1).contains("\"rule\":\"imei\"") && l.get(2).contains("\"rule\":\"tac\""), l.toString());
    }

    @Test
    void roamingInOncePerVisitAndAgainAfterADayWithoutEvents() throws Exception {
        final Oracle o = oracle(rule("in", "roamingIn", Map.of("scope", "international"), null, null, 1),
            rule("prov", "roamingIn", Map.of("scope", "province"), null, null, 1),
            rule("long", "roamingDuration", Map.of("scope", "any", "hours", 2), null, null, 1));
        final SubscriberCursor intl = subscriber(Population.Kind.INTERNATIONAL);
        final SubscriberCursor province = subscriber(Population.Kind.PROVINCE);
        final SubscriberCursor home = subscriber(Population.Kind.HOME);
        o.onEvent(event(intl, T0, outside, null));
        o.onEvent(event(province, T0 + MIN, outside, null));
        o.onEvent(event(home, T0 + 2 * MIN, outside, null));
        o.onEvent(event(intl, T0 + 60 * MIN, outside, null));
        o.onEvent(event(intl, T0 + 60 * MIN + 25 * Oracle.HOUR_NS, outside, null)); // a new visit
        o.finish(T0 + 26 * Oracle.HOUR_NS + 60 * MIN);
        final List<String> l = lines();
        // in at T0, prov at T0+1min, long for both at +2h, in again after 25 h (its long-stay not reached)
        assertEquals(5, l.size(), l.toString());
        assertTrue(l.get(0).contains("\"rule\":\"in\"") && l.get(0).contains(intl.imsi()));
        assertTrue(l.get(1).contains("\"rule\":\"prov\"") && l.get(1).contains(province.imsi()));
        assertTrue(l.get(2).contains("\"rule\":\"long\"") && l.get(2).contains(time(T0 + 2 * Oracle.HOUR_NS)));
        assertTrue(l.get(3).contains("\"rule\":\"long\"") && l.get(3).contains(province.imsi()));
        assertTrue(l.get(4).contains("\"rule\":\"in\"") && l.get(4).contains(time(T0 + 60 * MIN + 25 * Oracle.HOUR_NS)));
        assertTrue(l.stream().noneMatch(x -> x.contains(home.imsi())));
    }

    @Test
    void anEventWithoutIdentityMatchesNothingAndMovesNobody() throws Exception {
        final Oracle o = oracle(rule("lu", "locationUpdate", Map.of(), null, null, 1));
        o.onEvent(event(null, T0, airport, null));
        o.finish(T0 + MIN);
        assertEquals(List.of(), lines());
    }

    private static ConveyedEvent kind(final SubscriberCursor s, final long t, final ConveyedEvent.Kind kind,
        final boolean withImsi) {
        final ConveyedEvent e = event(s, t, -1, null);
        e.kind = kind;
        if (!withImsi) {
            e.imsi = null;
        }
        return e;
    }

    @Test
    void frequentVisitorFiresWhenTheEntriesInTheWindowReachTheCount() throws Exception {
        final Oracle o = oracle(rule("fv", "frequentVisitor", Map.of("area", "airport-T3", "count", 2, "days", 1), null,
            null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(event(s, T0, airport, null)); // entry 1
        o.onEvent(event(s, T0 + MIN, outside, null));
        o.onEvent(event(s, T0 + 2 * MIN, airport, null)); // entry 2: fires (no anti-flap here)
        o.onEvent(event(s, T0 + 3 * MIN, outside, null));
        o.onEvent(event(s, T0 + 4 * MIN, airport, null)); // entry 3: above the count, silent
        o.onEvent(event(s, T0 + 5 * MIN, outside, null));
        o.onEvent(event(s, T0 + 3 * MIN + 24 * Oracle.HOUR_NS, airport, null)); // window holds entries 3 and 4: fires
        o.finish(T0 + 25 * Oracle.HOUR_NS);
        final List<String> l = lines();
        assertEquals(2, l.size(), l.toString());
        assertTrue(l.get(0).contains(time(T0 + 2 * MIN)), l.get(0));
        assertTrue(l.get(1).contains(time(T0 + 3 * MIN + 24 * Oracle.HOUR_NS)), l.get(1));
    }

    @Test
    void forwardingThenPowerOnWithinTheWindow() throws Exception {
        final Oracle o = oracle(rule("fwd", "forwardingThenPowerOn", Map.of("withinHours", 2), null, null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(kind(s, T0, ConveyedEvent.Kind.POWER_ON, true)); // no forwarding yet
        o.onEvent(kind(s, T0 + MIN, ConveyedEvent.Kind.POWER_OFF, true));
        o.onEvent(kind(s, T0 + 2 * MIN, ConveyedEvent.Kind.CALL_FORWARDING_SET, false));
        o.onEvent(kind(s, T0 + 60 * MIN, ConveyedEvent.Kind.POWER_ON, true)); // fires
        o.onEvent(kind(s, T0 + 100 * MIN, ConveyedEvent.Kind.POWER_ON, true)); // still within 2 h: fires again
        o.onEvent(kind(s, T0 + 200 * MIN, ConveyedEvent.Kind.POWER_ON, true)); // > 2 h after the set: nothing
        o.finish(T0 + 201 * MIN);
        final List<String> l = lines();
        assertEquals(2, l.size(), l.toString());
        assertTrue(l.get(0).contains(time(T0 + 60 * MIN)) && l.get(1).contains(time(T0 + 100 * MIN)), l.toString());
    }

    @Test
    void powerOffEndsAVisitSoTheNextEventStartsANewOne() throws Exception {
        final Oracle o = oracle(rule("in", "roamingIn", Map.of("scope", "international"), null, null, 1),
            rule("long", "roamingDuration", Map.of("scope", "international", "hours", 1), null, null, 1));
        final SubscriberCursor s = subscriber(Population.Kind.INTERNATIONAL);
        o.onEvent(kind(s, T0, ConveyedEvent.Kind.POWER_ON, true)); // visit 1
        o.onEvent(kind(s, T0 + 30 * MIN, ConveyedEvent.Kind.POWER_OFF, true)); // ends it: its 1 h timer is void
        o.onEvent(kind(s, T0 + 90 * MIN, ConveyedEvent.Kind.POWER_ON, true)); // visit 2
        o.finish(T0 + 200 * MIN);
        final List<String> l = lines();
        assertEquals(3, l.size(), l.toString());
        assertTrue(l.get(0).contains("\"rule\":\"in\"") && l.get(0).contains(time(T0)), l.get(0));
        assertTrue(l.get(1).contains("\"rule\":\"in\"") && l.get(1).contains(time(T0 + 90 * MIN)), l.get(1));
        assertTrue(l.get(2).contains("\"rule\":\"long\"") && l.get(2).contains(time(T0 + 150 * MIN)), l.get(2));
    }

    @Test
    void anExclusionThatCannotBeCheckedSuppressesAndAnMsisdnOnlyMatchHasNoImsi() throws Exception {
        final RuleDef excluding = new RuleDef("ex", "sms", Map.of(), null, null, null, List.of(), List.of("dnd"), null,
            null, null, null, null, null, 1, "{}");
        final Oracle o = new Oracle(List.of(excluding, rule("all", "sms", Map.of(), null, null, 1)),
            new Oracle.Snapshot() {
                @Override
                public boolean contains(final String list, final int sub, final String imsi, final String msisdn,
                    final String imei) {
                    return false;
                }

                @Override
                public boolean canCheck(final String list, final String imsi, final String msisdn, final String imei) {
                    return imei != null; // a TAC list: needs the IMEI
                }

                @Override
                public boolean homeImsi(final String imsi) {
                    return true;
                }

                @Override
                public String region(final String msisdn) {
                    return null;
                }

                @Override
                public String homeRegion() {
                    return "GD";
                }

                @Override
                public boolean hasHome() {
                    return false;
                }
            }, cells, ZoneId.of("Asia/Shanghai"), out);
        final SubscriberCursor s = subscriber(Population.Kind.HOME);
        o.onEvent(kind(s, T0, ConveyedEvent.Kind.SMS_MO, false)); // SIP: MSISDN only, no IMEI known
        o.finish(T0 + MIN);
        final List<String> l = lines();
        assertEquals(1, l.size(), l.toString());
        assertTrue(l.get(0).contains("\"rule\":\"all\"") && !l.get(0).contains("imsi")
            && l.get(0).contains("\"msisdn\":\"" + s.msisdn() + "\""), l.get(0));
        assertEquals(1, o.counts().get("ex")[Oracle.Reason.EXCLUSION_UNVERIFIABLE.ordinal()]);
    }
}
