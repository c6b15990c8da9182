package io.sigmatch.tools.generate;

import java.io.IOException;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The scenario run: every subscriber is a lazy {@link SubscriberCursor}; a priority queue by next
 * action time picks the earliest, its step emits the GTPv2-C exchanges that behaviour causes on S11,
 * and the frames wait in a small reorder queue until no cursor can still emit an earlier one. Each
 * frame that completes a procedure carries the {@link ConveyedEvent} the oracle sees when the frame
 * is written, so the ground truth follows capture order exactly. Memory is one cursor per subscriber
 * plus the frames of the next few milliseconds: never the timeline.
 */
final class TrafficGenerator {
    static final int MMES = 3;
    static final int SGWS = 2;
    private static final long MS = 1_000_000L;
    private static final long MINUTE = 60_000 * MS;
    private static final long HOUR = 60 * MINUTE;
    private static final int GTPC_PORT = 2123;
    /** TS 29.274 8.17 RAT Type: EUTRAN. */
    private static final int RAT_EUTRAN = 6;
    private static final int DEFAULT_EBI = 5;
    private static final int SECONDARY_EBI = 6;
    private static final int PGW_HOME = 10 << 24 | 40 << 16 | 1 << 8 | 1;
    private static final int PGW_ROAMERS_HOME = 10 << 24 | 99 << 16 | 1;
    private static final String[] SECONDARY_APNS = {"cmwap", "cmmms", "ims"};

    private final Population population;
    private final CellMap cells;
    private final long startNs;
    private final long endNs;
    private final long seed;
    private final CaptureOutput output;
    private final Oracle oracle;
    private final Gtpv2Encoder gtp = new Gtpv2Encoder();
    private final LinkFraming framing = new LinkFraming();
    private final LinkFraming.Endpoint[] mmes = new LinkFraming.Endpoint[MMES];
    /** The SGWs as seen on each MME's link: same node, that link's tags and MTU. */
    private final LinkFraming.Endpoint[][] sgws = new LinkFraming.Endpoint[MMES][SGWS];
    private final int[] sequence = new int[MMES];
    private final PriorityQueue<SubscriberCursor> cursors = new PriorityQueue<>(
        Comparator.comparingLong(SubscriberCursor::nextNs).thenComparingInt(c -> c.index));
    private final PriorityQueue<PendingFrame> frames = new PriorityQueue<>(
        Comparator.comparingLong((PendingFrame f) -> f.timeNs).thenComparingLong(f -> f.order));
    private long frameOrder;

    // Diameter S6a over SCTP (PPID 46, port 3868): MME -> HSS, and MME -> DRA for inbound roamers
    private static final int DIAMETER_PORT = 3868;
    private static final int PPID_DIAMETER = 46;
    private final boolean s6a;
    private final DiameterEncoder diameter = new DiameterEncoder();
    private final LinkFraming.Endpoint[] mmesS6a = new LinkFraming.Endpoint[MMES];
    /** [mme][0 = HSS, 1 = DRA]. */
    private final LinkFraming.Endpoint[][] diameterPeers = new LinkFraming.Endpoint[MMES][2];
    /** SCTP association state per [mme][peer][direction 0 = from the MME]: next TSN, next stream sequence. */
    private final long[][][] tsn = new long[MMES][2][2];
    private final int[][][] ssn = new int[MMES][2][2];
    private final long[] hopByHop = new long[MMES];
    private final long[] endToEnd = new long[MMES];
    private final long[] sessionCounter = new long[MMES];
    private java.util.function.Consumer<String> diameterIntentLog;

    // SIP over UDP 5060: UEs <-> P-CSCF (Gm, behind the PGW's SGi router), S-CSCF <-> TAS (ISC)
    private static final int SIP_PORT = 5060;
    private static final double CALL_RATE = 0.8;
    private static final double HOTLINE_RATE = 0.05;
    private static final double SMS_RATE = 0.5;
    private static final double FORWARDED_CALL_RATE = 1.5;
    private static final String[] HOTLINES = {"10086", "114", "10010"};
    private final boolean sipOn;
    private final SipEncoder sip = new SipEncoder();
    private final LinkFraming.Endpoint pcscf = new LinkFraming.Endpoint("pcscf1", 0x020A3C010101L,
        10 << 24 | 60 << 16 | 1 << 8 | 1, 0, 400, 1500);
    private final LinkFraming.Endpoint scscf = new LinkFraming.Endpoint("scscf1", 0x020A3C020101L,
        10 << 24 | 60 << 16 | 2 << 8 | 1, 0, 400, 1500);
    private final LinkFraming.Endpoint tas = new LinkFraming.Endpoint("tas1", 0x020A3C030101L,
        10 << 24 | 60 << 16 | 3 << 8 | 1, 0, 400, 1500);
    private long sipCounter;
    private java.util.function.Consumer<String> sipIntentLog;
    private long messages;
    private long events;

    private record PendingFrame(long timeNs, long order, byte[] bytes, ConveyedEvent event) {
    }

    TrafficGenerator(final Population population, final CellMap cells, final long seed, final long startNs,
        final long hours, final CaptureOutput output, final Oracle oracle, final boolean s6a, final boolean sip) {
        this.s6a = s6a;
        this.sipOn = sip;
        this.population = population;
        this.cells = cells;
        this.seed = seed;
        this.startNs = startNs;
        this.endNs = startNs + hours * HOUR;
        this.output = output;
        this.oracle = oracle;
        // MME 0 untagged, MME 1 on 802.1Q VLAN 100, MME 2 on QinQ 200/300 behind a 200-octet MTU
        // (a tunnel on the probe's path), so its larger messages arrive as IPv4 fragments
        final int[][] tags = {{0, 0, 1500}, {0, 100, 1500}, {200, 300, 200}};
        for (int m = 0; m < MMES; m++) {
            mmes[m] = new LinkFraming.Endpoint("mme" + (m + 1), 0x020A0A010100L + m + 1,
                10 << 24 | 10 << 16 | 1 << 8 | (m + 1), tags[m][0], tags[m][1], tags[m][2]);
            for (int s = 0; s < SGWS; s++) {
                sgws[m][s] = new LinkFraming.Endpoint("sgw" + (s + 1), 0x020A14010100L + s + 1,
                    10 << 24 | 20 << 16 | 1 << 8 | (s + 1), tags[m][0], tags[m][1], tags[m][2]);
            }
            // S6a leaves the MME on the same tagged link; SCTP sizes its packets to the path, so no IP fragments
            mmesS6a[m] = new LinkFraming.Endpoint(mmes[m].name(), mmes[m].mac(), mmes[m].ipv4(), tags[m][0], tags[m][1],
                1500);
            diameterPeers[m][0] = new LinkFraming.Endpoint("hss1", 0x020A32010101L, 10 << 24 | 50 << 16 | 1 << 8 | 1,
                tags[m][0], tags[m][1], 1500);
            diameterPeers[m][1] = new LinkFraming.Endpoint("dra1", 0x020A32090101L, 10 << 24 | 50 << 16 | 9 << 8 | 1,
                tags[m][0], tags[m][1], 1500);
            for (int p = 0; p < 2; p++) {
                tsn[m][p][0] = 0x1000_0000L * (m + 1) + p * 0x100_0000L + 1;
                tsn[m][p][1] = 0x8000_0000L + 0x1000_0000L * (m + 1) + p * 0x100_0000L + 1;
            }
            hopByHop[m] = 0x0A000000L * (m + 1);
            endToEnd[m] = (seed & 0xFFF) << 20;
        }
    }

    long messages() {
        return messages;
    }

    long events() {
        return events;
    }

    void run() throws IOException {
        for (int i = 0; i < population.size(); i++) {
            final SubscriberCursor c = new SubscriberCursor(population, i, seed);
            initialise(c);
            if (c.nextNs() < endNs) {
                cursors.add(c);
            }
        }
        SubscriberCursor c;
        while ((c = cursors.poll()) != null) {
            final long t = c.nextNs();
            flushBefore(t);
            step(c, t);
            settle(c);
            if (c.nextNs() < endNs) {
                cursors.add(c);
            }
        }
        flushBefore(Long.MAX_VALUE);
        oracle.finish(output.lastTimeNs());
    }

    private void flushBefore(final long t) throws IOException {
        PendingFrame f;
        while ((f = frames.peek()) != null && f.timeNs < t) {
            frames.poll();
            output.write(f.timeNs, f.bytes, f.bytes.length);
            oracle.advance(f.timeNs);
            if (f.event != null) {
                events++;
                oracle.onEvent(f.event);
            }
        }
    }

    /** A subscriber's next procedure starts after its last one completed, as one NAS procedure at a time. */
    private static void settle(final SubscriberCursor c) {
        final long earliest = c.busyUntilNs + MS;
        if (c.nextRandomNs < earliest) {
            c.nextRandomNs = earliest;
        }
        if (c.areaLeaveNs < earliest) {
            c.areaLeaveNs = earliest;
        }
        if (c.secondaryEndNs < earliest) {
            c.secondaryEndNs = earliest;
        }
        if (c.powerOnNs < earliest) {
            c.powerOnNs = earliest;
        }
        if (c.powerOffNs < earliest) {
            c.powerOffNs = earliest;
        }
    }

    // ---- behaviour ---------------------------------------------------------------------------------

    private void initialise(final SubscriberCursor c) {
        final java.util.SplittableRandom r = c.random;
        c.homeCell = ordinaryCell(r.nextInt(cells.cellCount()));
        c.cell = c.homeCell;
        final int arrive = r.nextInt(100);
        final boolean arrives = (c.kind == Population.Kind.INTERNATIONAL && arrive < 50)
            || (c.kind == Population.Kind.PROVINCE && arrive < 40);
        if (arrives) {
            // a roamer landing or stepping off a train during the scenario: the phone comes on there
            final String via = (c.kind == Population.Kind.INTERNATIONAL ? r.nextInt(100) < 70 : r.nextInt(100) < 40)
                ? "airport-T3" : "rail-station";
            final int area = areaIndex(via);
            c.powerOnNs = startNs + (long) (r.nextDouble() * (endNs - startNs));
            startVisit(c, area, c.powerOnNs);
        } else if (c.kind == Population.Kind.HOME && arrive < 7) {
            c.powerOnNs = startNs + (long) (r.nextDouble() * 2 * HOUR);
        } else {
            c.on = true;
            c.defaultUncaptured = true; // attached before the capture started
            c.nextRandomNs = startNs + exponential(r, totalRate(c));
        }
    }

    private int areaIndex(final String id) {
        for (int a = 0; a < cells.areas().size(); a++) {
            if (cells.areas().get(a).id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException(id);
    }

    /** A cell outside every named area, near the given one. */
    private int ordinaryCell(final int near) {
        int cell = Math.floorMod(near, cells.cellCount());
        while (cells.inAnyArea(cell)) {
            cell = (cell + 1) % cells.cellCount();
        }
        return cell;
    }

    private double totalRate(final SubscriberCursor c) {
        return c.moveRate() + (c.secondaryOpen ? 0 : 0.4) + 0.04
            + (sipOn ? CALL_RATE + HOTLINE_RATE + 2 * SMS_RATE : 0);
    }

    private static long exponential(final java.util.SplittableRandom r, final double perHour) {
        return (long) (-Math.log(1 - r.nextDouble()) / perHour * HOUR);
    }

    private static long uniform(final java.util.SplittableRandom r, final long from, final long to) {
        return from + (long) (r.nextDouble() * (to - from));
    }

    private void startVisit(final SubscriberCursor c, final int area, final long t) {
        final CellMap.Area a = cells.areas().get(area);
        c.visitingArea = area;
        c.cell = a.cells()[c.random.nextInt(a.cells().length)];
        c.areaLeaveNs = t + (long) (a.typicalDwellMinutes() * MINUTE * (0.3 + 1.7 * c.random.nextDouble()));
    }

    private void step(final SubscriberCursor c, final long t) {
        final java.util.SplittableRandom r = c.random;
        if (t == c.powerOnNs) {
            c.powerOnNs = SubscriberCursor.NEVER;
            powerOn(c, t);
        } else if (t == c.powerOffNs) {
            c.powerOffNs = SubscriberCursor.NEVER;
            powerOff(c, t);
        } else if (t == c.secondaryEndNs) {
            c.secondaryEndNs = SubscriberCursor.NEVER;
            c.secondaryOpen = false;
            deleteSession(c, t, SECONDARY_EBI, false);
        } else if (t == c.areaLeaveNs) {
            final boolean shops = "handset-shops".equals(cells.areas().get(c.visitingArea).id());
            c.areaLeaveNs = SubscriberCursor.NEVER;
            c.visitingArea = -1;
            moveTo(c, t, ordinaryCell(c.homeCell + r.nextInt(7) - 3));
            if (shops && r.nextInt(100) < 35 && c.on && c.powerOffNs == SubscriberCursor.NEVER) {
                // bought a handset: switch off, move the SIM, switch on
                c.powerOffNs = t + uniform(r, 2 * MINUTE, 20 * MINUTE);
                c.changeHandsetAtPowerOn = true;
            }
        } else if (!c.on) {
            forwardedCall(c, t); // the phone is off and forwarding on not-reachable is set
            c.nextRandomNs = t + Math.max(1, exponential(r, FORWARDED_CALL_RATE));
        } else {
            randomAction(c, t);
            if (c.on) {
                c.nextRandomNs = t + Math.max(1, exponential(r, totalRate(c)));
            }
        }
    }

    private void randomAction(final SubscriberCursor c, final long t) {
        final java.util.SplittableRandom r = c.random;
        double x = r.nextDouble() * totalRate(c);
        if ((x -= c.moveRate()) < 0) {
            if (c.visitingArea >= 0) {
                final int[] in = cells.areas().get(c.visitingArea).cells();
                moveTo(c, t, in[r.nextInt(in.length)]);
            } else if (r.nextInt(100) < 15) {
                final int p = r.nextInt(100);
                final String id = p < 25 ? "airport-T3" : p < 40 ? "stadium" : p < 75 ? "rail-station" : "handset-shops";
                startVisit(c, areaIndex(id), t);
                moveCurrent(c, t);
            } else {
                moveTo(c, t, r.nextInt(100) < 30 ? c.homeCell : ordinaryCell(c.cell + r.nextInt(9) - 4));
            }
        } else if (!c.secondaryOpen && (x -= 0.4) < 0) {
            startSecondary(c, t);
        } else if (sipOn && (x -= CALL_RATE) < 0) {
            call(c, t, population.msisdn(r.nextInt(population.size())), true);
        } else if (sipOn && (x -= HOTLINE_RATE) < 0) {
            call(c, t, HOTLINES[r.nextInt(HOTLINES.length)], false);
        } else if (sipOn && (x -= SMS_RATE) < 0) {
            sms(c, t, true);
        } else if (sipOn && (x -= SMS_RATE) < 0) {
            sms(c, t, false);
        } else {
            c.powerOffNs = t + 1;
        }
    }

    private void moveTo(final SubscriberCursor c, final long t, final int cell) {
        if (cell == c.cell) {
            return; // same cell: nothing to report
        }
        c.cell = cell;
        moveCurrent(c, t);
    }

    private void moveCurrent(final SubscriberCursor c, final long t) {
        if (c.on) {
            modifyBearer(c, t);
        }
    }

    private void powerOn(final SubscriberCursor c, final long t) {
        if (c.changeHandsetAtPowerOn) {
            c.handsetGeneration++;
            c.changeHandsetAtPowerOn = false;
        }
        c.attachCount++;
        c.defaultUncaptured = false;
        final boolean accepted = c.random.nextInt(100) >= 3;
        long at = t;
        if (s6a) {
            // TS 23.401 5.3.2.1: the MME registers with the HSS (ULR/ULA) before it opens the session
            updateLocation(c, t);
            at = c.busyUntilNs + 5 * MS;
        }
        createSession(c, at, DEFAULT_EBI, defaultApn(c), accepted ? Gtpv2Encoder.CAUSE_ACCEPTED
            : Gtpv2Encoder.CAUSE_USER_AUTH_FAILED, 0);
        if (accepted) {
            c.on = true;
            c.nextRandomNs = t + Math.max(1, exponential(c.random, totalRate(c)));
        } else {
            c.powerOnNs = t + uniform(c.random, 30_000 * MS, 120_000 * MS); // the UE tries again
        }
    }

    private void powerOff(final SubscriberCursor c, final long t) {
        if (!c.on) {
            return;
        }
        long at = t;
        if (c.secondaryOpen) {
            c.secondaryOpen = false;
            c.secondaryEndNs = SubscriberCursor.NEVER;
            deleteSession(c, at, SECONDARY_EBI, false);
            at = c.busyUntilNs + MS;
        }
        deleteSession(c, at, DEFAULT_EBI, true);
        if (s6a) {
            // the MME drops the UE's context a moment after the detach and tells the HSS (PUR)
            purge(c, c.busyUntilNs + uniform(c.random, 1_000 * MS, 3_000 * MS));
        }
        c.on = false;
        c.nextRandomNs = SubscriberCursor.NEVER;
        // only home subscribers: a roamer's calls while off are forwarded by its home network, unseen here
        if (sipOn && c.kind == Population.Kind.HOME && c.random.nextInt(100) < 30) {
            // forwarding on not-reachable was set: calls while off are forwarded (302 + Diversion)
            c.nextRandomNs = c.busyUntilNs + Math.max(1, exponential(c.random, FORWARDED_CALL_RATE));
        }
        c.powerOnNs = t + (c.random.nextInt(100) < 70 ? uniform(c.random, 60_000 * MS, 30 * MINUTE)
            : uniform(c.random, HOUR, 8 * HOUR));
    }

    private void startSecondary(final SubscriberCursor c, final long t) {
        final String apn = c.kind == Population.Kind.INTERNATIONAL ? "internet"
            : SECONDARY_APNS[c.random.nextInt(SECONDARY_APNS.length)];
        final boolean accepted = c.random.nextInt(100) >= 4;
        createSession(c, t, SECONDARY_EBI, apn, accepted ? Gtpv2Encoder.CAUSE_ACCEPTED
            : Gtpv2Encoder.CAUSE_APN_ACCESS_DENIED, c.sgwTeid());
        if (accepted) {
            c.secondaryOpen = true;
            c.secondaryEndNs = t + uniform(c.random, MINUTE, 20 * MINUTE);
        }
    }

    private String defaultApn(final SubscriberCursor c) {
        return c.kind == Population.Kind.INTERNATIONAL ? "internet" : "cmnet";
    }

    // ---- signaling: one exchange per procedure -----------------------------------------------------

    private int nextSequence(final SubscriberCursor c) {
        return sequence[c.mme] = (sequence[c.mme] + 1) & 0xFFFFFF;
    }

    private String originHost(final SubscriberCursor c) {
        return "mme" + (c.mme + 1) + ".epc.mnc000.mcc460.3gppnetwork.org";
    }

    private static String homeRealm(final SubscriberCursor c, final String imsi) {
        if (c.kind != Population.Kind.INTERNATIONAL) {
            return "epc.mnc000.mcc460.3gppnetwork.org";
        }
        // TS 23.003 19.2: epc.mnc<MNC>.mcc<MCC>.3gppnetwork.org, MNC in three digits
        final String plmn = c.kind == Population.Kind.INTERNATIONAL ? foreignPlmn(imsi) : "46000";
        final String mnc = plmn.length() == 6 ? plmn.substring(3) : "0" + plmn.substring(3);
        return "epc.mnc" + mnc + ".mcc" + plmn.substring(0, 3) + ".3gppnetwork.org";
    }

    private static String foreignPlmn(final String imsi) {
        for (final Population.Foreign f : Population.FOREIGN) {
            if (imsi.startsWith(f.plmn())) {
                return f.plmn();
            }
        }
        return imsi.substring(0, 5);
    }

    /** One Diameter request/answer pair over the MME's SCTP association with the HSS (or the DRA). */
    private long diameterExchange(final SubscriberCursor c, final long t, final long answerDelayNs,
        final ConveyedEvent completes, final Runnable request, final Runnable answer) {
        final int peer = c.kind == Population.Kind.INTERNATIONAL ? 1 : 0;
        request.run();
        final long requestEnd = sctp(c.mme, peer, 0, t, null);
        answer.run();
        return sctp(c.mme, peer, 1, requestEnd + answerDelayNs, completes);
    }

    private long sctp(final int mme, final int peer, final int direction, final long t, final ConveyedEvent completes) {
        final LinkFraming.Endpoint src = direction == 0 ? mmesS6a[mme] : diameterPeers[mme][peer];
        final LinkFraming.Endpoint dst = direction == 0 ? diameterPeers[mme][peer] : mmesS6a[mme];
        final long vtag = 0x5EED0000L + mme * 16 + peer * 2 + (1 - direction);
        final long thisTsn = tsn[mme][peer][direction];
        tsn[mme][peer][direction] = (thisTsn + 1) & 0xFFFFFFFFL;
        final int thisSsn = ssn[mme][peer][direction];
        ssn[mme][peer][direction] = (thisSsn + 1) & 0xFFFF;
        messages++;
        final byte[][] built = new byte[1][];
        framing.sctpData(src, dst, DIAMETER_PORT, DIAMETER_PORT, vtag, thisTsn, 1, thisSsn, PPID_DIAMETER,
            diameter.array(), diameter.length(), (frame, length, index) -> built[0] = java.util.Arrays.copyOf(frame, length));
        if (completes != null) {
            completes.timeNs = t;
        }
        frames.add(new PendingFrame(t, frameOrder++, built[0], completes));
        return t;
    }

    private void updateLocation(final SubscriberCursor c, final long t) {
        final String session = originHost(c) + ";1795000000;" + (++sessionCounter[c.mme]);
        final long hbh = hopByHop[c.mme] = (hopByHop[c.mme] + 1) & 0xFFFFFFFFL;
        final long e2e = endToEnd[c.mme] = (endToEnd[c.mme] + 1) & 0xFFFFFFFFL;
        final String imsi = c.imsi();
        final String mei = c.mei();
        final String sv = mei.length() == 16 ? mei.substring(14) : null;
        final String realm = homeRealm(c, imsi);
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.POWER_ON;
        e.subscriber = c;
        e.imsi = imsi;
        e.msisdn = c.msisdn();
        e.imei = c.imeiBody();
        e.rat = "EUTRAN";
        final long delay = c.kind == Population.Kind.INTERNATIONAL ? uniform(c.random, 40 * MS, 120 * MS)
            : uniform(c.random, 10 * MS, 30 * MS);
        final int flags = DiameterEncoder.ULR_S6A_INDICATOR | DiameterEncoder.ULR_INITIAL_ATTACH;
        c.busyUntilNs = diameterExchange(c, t, delay, e,
            () -> diameter.updateLocationRequest(hbh, e2e, session, originHost(c), "epc.mnc000.mcc460.3gppnetwork.org",
                realm, imsi, c.imeiBody(), sv, CellMap.PLMN, flags),
            () -> diameter.updateLocationAnswer(hbh, e2e, session, "hss1." + realm, realm, c.msisdn()));
        diameterIntent(c.busyUntilNs - delay, DiameterEncoder.CMD_UPDATE_LOCATION, true, imsi, c.imeiBody(), null, null);
        diameterIntent(c.busyUntilNs, DiameterEncoder.CMD_UPDATE_LOCATION, false, null, null, c.msisdn(), "2001");
    }

    private void purge(final SubscriberCursor c, final long t) {
        final String session = originHost(c) + ";1795000000;" + (++sessionCounter[c.mme]);
        final long hbh = hopByHop[c.mme] = (hopByHop[c.mme] + 1) & 0xFFFFFFFFL;
        final long e2e = endToEnd[c.mme] = (endToEnd[c.mme] + 1) & 0xFFFFFFFFL;
        final String imsi = c.imsi();
        final String realm = homeRealm(c, imsi);
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.POWER_OFF;
        e.subscriber = c;
        e.imsi = imsi; // PUR names the IMSI only; the oracle links the rest
        final long delay = uniform(c.random, 10 * MS, 30 * MS);
        c.busyUntilNs = diameterExchange(c, t, delay, e,
            () -> diameter.purgeUeRequest(hbh, e2e, session, originHost(c), "epc.mnc000.mcc460.3gppnetwork.org", realm,
                imsi),
            () -> diameter.purgeUeAnswer(hbh, e2e, session, "hss1." + realm, realm));
        diameterIntent(t, DiameterEncoder.CMD_PURGE_UE, true, imsi, null, null, null);
        diameterIntent(c.busyUntilNs, DiameterEncoder.CMD_PURGE_UE, false, null, null, null, "2001");
    }

    /** Tests: time|command|request|User-Name|IMEI|MSISDN|Result-Code per Diameter message, as tshark prints them. */
    void diameterIntentLog(final java.util.function.Consumer<String> log) {
        this.diameterIntentLog = log;
    }

    private void diameterIntent(final long t, final int command, final boolean request, final String userName,
        final String imei, final String msisdn, final String result) {
        if (diameterIntentLog != null) {
            diameterIntentLog.accept(Oracle.epoch(t, new StringBuilder()) + "|" + command + "|" + (request ? 1 : 0) + "|"
                + (userName == null ? "" : userName) + "|" + (imei == null ? "" : imei) + "|"
                + (msisdn == null ? "" : msisdn) + "|" + (result == null ? "" : result));
        }
    }

    // ---- SIP ----------------------------------------------------------------------------------------

    void sipIntentLog(final java.util.function.Consumer<String> log) {
        this.sipIntentLog = log;
    }

    private SipEncoder.Dialog dialog(final SubscriberCursor c) {
        final long n = ++sipCounter;
        final long h = population.hash(c.index, (int) n);
        return new SipEncoder.Dialog(Long.toHexString(h) + "@" + SipEncoder.DOMAIN, "z9hG4bK" + Long.toHexString(h >>> 8),
            Long.toHexString(h >>> 20), Long.toHexString(h >>> 28), 1 + (int) (n & 0xFF));
    }

    private LinkFraming.Endpoint ue(final SubscriberCursor c) {
        // seen on the P-CSCF's link: from the PGW's SGi router, with the UE's address
        return new LinkFraming.Endpoint("ue", 0x020A28010101L, c.ueIp(false), 0, 400, 1500);
    }

    private static String ip(final int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    /** TS 24.229 7.2A.4: 3GPP-E-UTRAN-FDD with utran-cell-id-3gpp = MCC MNC TAC(4 hex) ECI(7 hex). */
    private static String accessNetworkInfo(final int cell) {
        return String.format("3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=%s%04X%07X", CellMap.PLMN, CellMap.tac(cell),
            CellMap.eci(cell));
    }

    private long sipSend(final LinkFraming.Endpoint src, final LinkFraming.Endpoint dst, final long t,
        final ConveyedEvent completes, final String what, final SipEncoder.Dialog d) {
        final long end = sendBytes(src, dst, SIP_PORT, sip.array(), sip.length(), t, completes);
        if (sipIntentLog != null) {
            sipIntentLog.accept(Oracle.epoch(end, new StringBuilder()) + "|" + what + "|" + d.callId());
        }
        return end;
    }

    /** An MO call: INVITE, 100, 180, 200, ACK; BYE and 200 when it ends. CALL_ATTEMPT at the INVITE. */
    private void call(final SubscriberCursor c, final long t, final String called, final boolean international) {
        final SipEncoder.Dialog d = dialog(c);
        final String uri = SipEncoder.tel(called, international);
        final String from = "tel:+" + c.msisdn();
        final LinkFraming.Endpoint ue = ue(c);
        final String host = ip(ue.ipv4());
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.CALL_ATTEMPT;
        e.subscriber = c;
        e.msisdn = c.msisdn();
        e.cell = c.cell;
        e.called = called;
        sip.invite(d, host, SIP_PORT, c.msisdn(), uri, accessNetworkInfo(c.cell));
        long at = sipSend(ue, pcscf, t, e, "INVITE|", d);
        sip.response(100, "Trying", d, host, SIP_PORT, "INVITE", from, uri, false, null, null);
        at = sipSend(pcscf, ue, at + uniform(c.random, MS, 5 * MS), null, "|100", d);
        sip.response(180, "Ringing", d, host, SIP_PORT, "INVITE", from, uri, true, null, null);
        at = sipSend(pcscf, ue, at + uniform(c.random, 500 * MS, 3_000 * MS), null, "|180", d);
        sip.response(200, "OK", d, host, SIP_PORT, "INVITE", from, uri, true, "sip:" + called + "@" + SipEncoder.DOMAIN,
            null);
        at = sipSend(pcscf, ue, at + uniform(c.random, 2_000 * MS, 15_000 * MS), null, "|200", d);
        sip.ack(d, host, SIP_PORT, c.msisdn(), uri);
        at = sipSend(ue, pcscf, at + uniform(c.random, 5 * MS, 20 * MS), null, "ACK|", d);
        sip.bye(d, host, SIP_PORT, c.msisdn(), uri);
        at = sipSend(ue, pcscf, at + uniform(c.random, 20_000 * MS, 300_000 * MS), null, "BYE|", d);
        sip.response(200, "OK", d, host, SIP_PORT, "BYE", from, uri, true, null, null);
        c.busyUntilNs = sipSend(pcscf, ue, at + uniform(c.random, 5 * MS, 20 * MS), null, "|200", d);
    }

    /** SMS over IP as a page-mode MESSAGE: MO from the UE (202 Accepted), MT to it (200 OK). */
    private void sms(final SubscriberCursor c, final long t, final boolean mo) {
        final SipEncoder.Dialog d = dialog(c);
        final LinkFraming.Endpoint ue = ue(c);
        final String other = mo ? population.msisdn(c.random.nextInt(population.size())) : "8610658" + (10000
            + c.random.nextInt(90000));
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = mo ? ConveyedEvent.Kind.SMS_MO : ConveyedEvent.Kind.SMS_MT;
        e.subscriber = c;
        e.msisdn = c.msisdn();
        if (mo) {
            e.cell = c.cell; // the UE's MESSAGE names its cell in P-Access-Network-Info
        }
        final String from = mo ? c.msisdn() : other;
        final String to = mo ? other : c.msisdn();
        final String viaHost = mo ? ip(ue.ipv4()) : ip(pcscf.ipv4());
        sip.message(d, viaHost, SIP_PORT, from, to, mo ? "see you at 8" : "Your code is 4711",
            mo ? accessNetworkInfo(c.cell) : null);
        final long at = sipSend(mo ? ue : pcscf, mo ? pcscf : ue, t, e, "MESSAGE|", d);
        sip.response(mo ? 202 : 200, mo ? "Accepted" : "OK", d, viaHost, SIP_PORT, "MESSAGE", "tel:+" + from,
            "tel:+" + to, true, null, null);
        c.busyUntilNs = sipSend(mo ? pcscf : ue, mo ? ue : pcscf, at + uniform(c.random, 5 * MS, 40 * MS), null,
            mo ? "|202" : "|200", d);
    }

    /**
     * A call to a subscriber whose phone is off: the TAS answers the S-CSCF's INVITE with 302 and a
     * Diversion naming the subscriber (RFC 5806); the S-CSCF ACKs. CALL_FORWARDING_SET at the 302.
     */
    private void forwardedCall(final SubscriberCursor c, final long t) {
        final SipEncoder.Dialog d = dialog(c);
        final String caller = population.msisdn(c.random.nextInt(population.size()));
        final String uri = "tel:+" + c.msisdn();
        final String host = ip(scscf.ipv4());
        sip.invite(d, host, SIP_PORT, caller, uri, null);
        long at = sipSend(scscf, tas, t, null, "INVITE|", d);
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.CALL_FORWARDING_SET;
        e.subscriber = c;
        e.msisdn = c.msisdn();
        sip.response(302, "Moved Temporarily", d, host, SIP_PORT, "INVITE", "tel:+" + caller, uri, true,
            "tel:+86139" + String.format("%08d", c.index % 100_000_000), uri);
        at = sipSend(tas, scscf, at + uniform(c.random, 5 * MS, 30 * MS), e, "|302", d);
        sip.ack(d, host, SIP_PORT, caller, uri);
        c.busyUntilNs = sipSend(scscf, tas, at + uniform(c.random, MS, 5 * MS), null, "ACK|", d);
    }

    /** Whether the capture lets a probe name the subscriber of a message without identities (an S11 TEID it learned). */
    private boolean identified(final SubscriberCursor c, final long t) {
        return c.capturedSessions > 0 && t - c.lastS11Ns <= 24 * HOUR;
    }

    private void createSession(final SubscriberCursor c, final long t, final int ebi, final String apn, final int cause,
        final long headerTeid) {
        final int seq = nextSequence(c);
        final boolean secondary = ebi == SECONDARY_EBI;
        final int pgw = c.kind == Population.Kind.INTERNATIONAL ? PGW_ROAMERS_HOME : PGW_HOME;
        gtp.createSessionRequest(seq, headerTeid, c.imsi(), c.msisdn(), c.mei(), cells.cell(c.cell), CellMap.PLMN,
            RAT_EUTRAN, c.mmeTeid(), mmes[c.mme].ipv4(), pgw, apn, ebi, 32);
        final long requestEnd = send(mmes[c.mme], sgws[c.mme][c.sgw], t, null);
        intent(requestEnd, Gtpv2Encoder.CREATE_SESSION_REQUEST, headerTeid, seq, c.imsi(), c.mei(), c.msisdn(), c.cell, apn,
            RAT_EUTRAN, null);
        gtp.createSessionResponse(seq, c.mmeTeid(), cause, c.sgwTeid(), sgws[c.mme][c.sgw].ipv4(), c.pgwTeid(secondary),
            pgw, c.ueIp(secondary), ebi, c.s1uTeid(secondary));
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.DATA_SESSION_START;
        e.subscriber = c;
        e.imsi = c.imsi();
        e.msisdn = c.msisdn();
        e.imei = c.imeiBody();
        e.cell = c.cell;
        e.rat = "EUTRAN";
        e.apn = apn;
        c.busyUntilNs = send(sgws[c.mme][c.sgw], mmes[c.mme], requestEnd + uniform(c.random, 15 * MS, 60 * MS), e);
        intent(c.busyUntilNs, Gtpv2Encoder.CREATE_SESSION_RESPONSE, c.mmeTeid(), seq, null, null, null, -1, null, -1,
            cause == Gtpv2Encoder.CAUSE_ACCEPTED ? cause + "," + cause : Integer.toString(cause));
        if (cause == Gtpv2Encoder.CAUSE_ACCEPTED) {
            c.capturedSessions++;
        }
        c.lastS11Ns = t;
    }

    private void modifyBearer(final SubscriberCursor c, final long t) {
        final int seq = nextSequence(c);
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.LOCATION_UPDATE;
        identities(c, t, e);
        e.cell = c.cell;
        gtp.modifyBearerRequest(seq, c.sgwTeid(), cells.cell(c.cell), DEFAULT_EBI, 0x00E00000L + c.index,
            CellMap.enbIp(c.cell));
        final long requestEnd = send(mmes[c.mme], sgws[c.mme][c.sgw], t, null);
        intent(requestEnd, Gtpv2Encoder.MODIFY_BEARER_REQUEST, c.sgwTeid(), seq, null, null, null, c.cell, null, -1, null);
        gtp.modifyBearerResponse(seq, c.mmeTeid(), DEFAULT_EBI, c.s1uTeid(false), sgws[c.mme][c.sgw].ipv4());
        c.busyUntilNs = send(sgws[c.mme][c.sgw], mmes[c.mme], requestEnd + uniform(c.random, 2 * MS, 8 * MS), e);
        intent(c.busyUntilNs, Gtpv2Encoder.MODIFY_BEARER_RESPONSE, c.mmeTeid(), seq, null, null, null, -1, null, -1,
            "16,16");
        c.lastS11Ns = t;
    }

    private void deleteSession(final SubscriberCursor c, final long t, final int ebi, final boolean detach) {
        final int seq = nextSequence(c);
        final ConveyedEvent e = new ConveyedEvent();
        e.kind = ConveyedEvent.Kind.DATA_SESSION_END;
        identities(c, t, e);
        if (detach) {
            e.cell = c.cell;
        }
        gtp.deleteSessionRequest(seq, c.sgwTeid(), ebi, detach ? cells.cell(c.cell) : null);
        final long requestEnd = send(mmes[c.mme], sgws[c.mme][c.sgw], t, null);
        intent(requestEnd, Gtpv2Encoder.DELETE_SESSION_REQUEST, c.sgwTeid(), seq, null, null, null, detach ? c.cell : -1,
            null, -1, null);
        gtp.deleteSessionResponse(seq, c.mmeTeid());
        c.busyUntilNs = send(sgws[c.mme][c.sgw], mmes[c.mme], requestEnd + uniform(c.random, 5 * MS, 20 * MS), e);
        intent(c.busyUntilNs, Gtpv2Encoder.DELETE_SESSION_RESPONSE, c.mmeTeid(), seq, null, null, null, -1, null, -1,
            "16");
        final boolean captured = ebi == SECONDARY_EBI || !c.defaultUncaptured;
        if (captured && c.capturedSessions > 0) {
            c.capturedSessions--;
        }
        c.lastS11Ns = t;
    }

    /** The identities a message without them conveys: those of the captured session its TEID names. */
    private void identities(final SubscriberCursor c, final long t, final ConveyedEvent e) {
        if (identified(c, t)) {
            e.subscriber = c;
            e.imsi = c.imsi();
            e.msisdn = c.msisdn();
            e.imei = c.imeiBody();
        }
    }

    private java.util.function.Consumer<String> intentLog;

    /**
     * Tests: receive one line per message with what the generator meant to write, in the column
     * order of {@code tshark -T fields -E separator=| -e frame.time_epoch -e gtpv2.message_type
     * -e gtpv2.teid -e gtpv2.seq -e e212.imsi -e gtpv2.mei -e e164.msisdn -e gtpv2.tai_tac
     * -e gtpv2.ecgi_eci -e gtpv2.apn -e gtpv2.rat_type -e gtpv2.cause}, lines in the order of
     * the requests' and answers' completing frames only after sorting by time.
     */
    void intentLog(final java.util.function.Consumer<String> log) {
        this.intentLog = log;
    }

    private void intent(final long timeNs, final int type, final long teid, final int seq, final String imsi,
        final String mei, final String msisdn, final int cell, final String apn, final int rat, final String cause) {
        if (intentLog == null) {
            return;
        }
        final StringBuilder b = new StringBuilder(160);
        Oracle.epoch(timeNs, b).append('|').append(type).append('|').append(String.format("0x%08x", teid)).append('|')
            .append(String.format("0x%06x", seq)).append('|').append(imsi == null ? "" : imsi).append('|')
            .append(mei == null ? "" : mei).append('|').append(msisdn == null ? "" : msisdn).append('|');
        if (cell >= 0) {
            b.append(String.format("0x%04x", CellMap.tac(cell))).append('|').append(CellMap.eci(cell));
        } else {
            b.append('|');
        }
        b.append('|').append(apn == null ? "" : apn).append('|').append(rat < 0 ? "" : Integer.toString(rat))
            .append('|').append(cause == null ? "" : cause);
        intentLog.accept(b.toString());
    }

    /** Frames the encoded GTPv2-C message; returns the capture time of its last frame. */
    private long send(final LinkFraming.Endpoint src, final LinkFraming.Endpoint dst, final long t,
        final ConveyedEvent completes) {
        return sendBytes(src, dst, GTPC_PORT, gtp.array(), gtp.length(), t, completes);
    }

    private long sendBytes(final LinkFraming.Endpoint src, final LinkFraming.Endpoint dst, final int port,
        final byte[] payload, final int payloadLength, final long t, final ConveyedEvent completes) {
        messages++;
        final long[] last = {t};
        final int[] count = {0};
        final byte[][] built = new byte[8][];
        framing.udp(src, dst, port, port, payload, payloadLength, (frame, length, index) -> {
            if (index < built.length) {
                built[index] = java.util.Arrays.copyOf(frame, length);
                count[0] = index + 1;
            }
        });
        for (int i = 0; i < count[0]; i++) {
            final long at = t + i * 2_000L; // fragments 2 us apart
            last[0] = at;
            if (completes != null && i == count[0] - 1) {
                completes.timeNs = at;
            }
            frames.add(new PendingFrame(at, frameOrder++, built[i], i == count[0] - 1 ? completes : null));
        }
        return last[0];
    }
}
