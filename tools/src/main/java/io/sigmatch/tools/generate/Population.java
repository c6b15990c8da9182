package io.sigmatch.tools.generate;

import java.util.List;

/**
 * Who the subscribers are: identities are a pure function of (seed, subscriber number), so nothing
 * per subscriber needs to be stored to write them again. Home subscribers hold IMSIs of the home
 * PLMNs and MSISDNs of the home region (GD); inter-province roamers hold home IMSIs and MSISDNs of
 * other regions (by the prefix table written as msisdn-regions.csv); international roamers hold
 * foreign IMSIs and MSISDNs.
 */
final class Population {
    static final String HOME_REGION = "GD";
    static final List<String> HOME_PLMNS = List.of("46000", "46002", "46004", "46007", "46008");
    /** The PLMNs home IMSIs are drawn from (China Mobile's codes in common use). */
    private static final String[] HOME_IMSI_PLMNS = {"46000", "46000", "46000", "46002", "46007"};

    /** Foreign operators whose subscribers roam in: PLMN (3-digit MNC for the US), country code. */
    record Foreign(String plmn, String countryCode, int nationalDigits) {
    }

    static final Foreign[] FOREIGN = {
        new Foreign("45400", "852", 8), new Foreign("52001", "66", 9), new Foreign("310260", "1", 10),
        new Foreign("44010", "81", 10), new Foreign("23415", "44", 10), new Foreign("50212", "60", 9),
    };

    /** Number segments (86 + 3 digits) and the region of the next digit, 0..9, for msisdn-regions.csv. */
    static final String[] SEGMENTS = {"134", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
        "182", "183", "187", "188"};
    static final String[] REGION_BY_DIGIT = {"GD", "GD", "GD", "GD", "BJ", "SH", "ZJ", "JS", "SC", "HB"};
    /** A block inside a BJ range that belongs to GD: the longest prefix wins (DESIGN §13). */
    static final String GD_INSIDE_BJ = "86138400";
    /** A segment with no entry in the regions file (a virtual operator's numbers): region unknown. */
    static final String UNLISTED_SEGMENT = "170";

    /** A handset model: its TAC (synthetic, not GSMA-allocated), name, and whether it is an old 4G model. */
    record Handset(String tac, String model, boolean old4g, boolean sendsImeisv) {
    }

    static final Handset[] HANDSETS = {
        new Handset("35209011", "Aurora X1", false, false), new Handset("35328210", "Aurora X2 Pro", false, true),
        new Handset("86012304", "Peony 9", false, false), new Handset("86771005", "Peony 10 5G", false, true),
        new Handset("35690107", "Lantern S", false, false), new Handset("86420302", "Lantern Lite", true, false),
        new Handset("35877806", "Kite 4G", true, true), new Handset("01326300", "Heron classic", true, false),
        new Handset("86930501", "Bamboo M3", false, false), new Handset("35442109", "Bamboo M4", false, true),
    };

    enum Kind { HOME, PROVINCE, INTERNATIONAL }

    private final long seed;
    private final int size;

    Population(final long seed, final int size) {
        this.seed = seed;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** A stable pseudo-random 64-bit value for (subscriber, purpose): SplitMix64's finaliser. */
    long hash(final int subscriber, final int purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + subscriber * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int pick(final int subscriber, final int purpose, final int bound) {
        return (int) Long.remainderUnsigned(hash(subscriber, purpose), bound);
    }

    Kind kind(final int subscriber) {
        final int p = pick(subscriber, 1, 100);
        return p < 8 ? Kind.INTERNATIONAL : p < 15 ? Kind.PROVINCE : Kind.HOME;
    }

    Foreign foreign(final int subscriber) {
        return FOREIGN[pick(subscriber, 2, FOREIGN.length)];
    }

    /** MSINs are a permutation of the subscriber numbers (an odd multiplier, coprime with 10^k). */
    private static String digits(final long value, final int count) {
        final String s = Long.toString(value);
        return "0".repeat(Math.max(0, count - s.length())) + s;
    }

    String imsi(final int subscriber) {
        if (kind(subscriber) == Kind.INTERNATIONAL) {
            final String plmn = foreign(subscriber).plmn();
            final int msinDigits = 15 - plmn.length();
            final long mod = pow10(msinDigits);
            return plmn + digits(Math.floorMod(subscriber * 7_919_813L + 104_729L, mod), msinDigits);
        }
        final String plmn = HOME_IMSI_PLMNS[pick(subscriber, 3, HOME_IMSI_PLMNS.length)];
        return plmn + digits(Math.floorMod(subscriber * 3_010_349L + 1_000_003L, 10_000_000_000L), 10);
    }

    String msisdn(final int subscriber) {
        final Kind kind = kind(subscriber);
        if (kind == Kind.INTERNATIONAL) {
            final Foreign f = foreign(subscriber);
            final long mod = pow10(f.nationalDigits() - 1);
            // a leading 2..9 keeps the national number from starting with 0 or 1
            return f.countryCode() + (2 + pick(subscriber, 4, 8))
                + digits(Math.floorMod(subscriber * 1_299_709L + 15_485_863L, mod), f.nationalDigits() - 1);
        }
        // the last 7 digits are a permutation of the subscriber numbers: unique whatever the prefix
        final String tail = digits(Math.floorMod(subscriber * 7_368_787L + 179_424_673L, 10_000_000L), 7);
        final String segment = SEGMENTS[pick(subscriber, 5, SEGMENTS.length)];
        if (kind == Kind.PROVINCE) {
            int d = 4 + pick(subscriber, 6, 6);
            if ("138".equals(segment) && d == 4 && tail.startsWith("00")) {
                d = 5; // never the GD block inside BJ
            }
            return "86" + segment + d + tail;
        }
        if (pick(subscriber, 6, 100) < 3) {
            return "86" + UNLISTED_SEGMENT + pick(subscriber, 7, 10) + tail;
        }
        if (tail.startsWith("00")) {
            return "861384" + tail; // inside GD_INSIDE_BJ: region GD by the longer prefix
        }
        return "86" + segment + pick(subscriber, 8, 4) + tail;
    }

    /** The region the regions file gives an MSISDN (longest prefix), or null. */
    static String regionOf(final String msisdn) {
        if (msisdn.startsWith(GD_INSIDE_BJ)) {
            return HOME_REGION;
        }
        if (msisdn.length() < 6 || !msisdn.startsWith("86")) {
            return null;
        }
        final String segment = msisdn.substring(2, 5);
        for (final String s : SEGMENTS) {
            if (s.equals(segment)) {
                return REGION_BY_DIGIT[msisdn.charAt(5) - '0'];
            }
        }
        return null;
    }

    /** The handset model of the subscriber's g-th handset (0 = the one at the start). */
    Handset handset(final int subscriber, final int generation) {
        return HANDSETS[pick(subscriber, 100 + generation, HANDSETS.length)];
    }

    /**
     * IMEI of the g-th handset (TS 23.003 6.2.1): TAC(8) SNR(6) and the Luhn check digit; IMEISV
     * (6.2.2) replaces the check digit by a 2-digit software version. Both have the 14-digit body.
     */
    String imeiBody(final int subscriber, final int generation) {
        return handset(subscriber, generation).tac() + digits(pick(subscriber, 200 + generation, 1_000_000), 6);
    }

    String mei(final int subscriber, final int generation) {
        final String body = imeiBody(subscriber, generation);
        return handset(subscriber, generation).sendsImeisv() ? body + "0" + (1 + pick(subscriber, 300, 9))
            : body + luhn(body);
    }

    static int luhn(final String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int d = body.charAt(i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    private static long pow10(final int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
