package io.sigmatch.decoder.sbi;

/**
 * The JSON key paths the SBI decoder reads, as {@link JsonScanner#path} hashes, and a small
 * open-addressing table from hash to field id (looked up once per scalar value in a body).
 *
 * <ul>
 * <li>TS 29.502 6.1.6.2.2 SmContextCreateData and 6.1.6.2.9 PduSessionCreateData: {@code supi},
 * {@code gpsi}, {@code pei}, {@code dnn}, {@code ratType}, {@code servingNetwork},
 * {@code ueLocation} (TS 29.571 5.4.4.7 UserLocation: {@code nrLocation.tai}/{@code ncgi},
 * {@code eutraLocation.tai}/{@code ecgi});</li>
 * <li>TS 29.503 6.2.6.2.2 Amf3GppAccessRegistration: {@code pei}, {@code ratType}, {@code guami.plmnId},
 * {@code initialRegistrationInd}; 6.2.6.2.7 Amf3GppAccessRegistrationModification: {@code purgeFlag};</li>
 * <li>TS 29.518 6.2.6.2.5 AmfEventNotification: {@code notifySubscriptionId},
 * {@code reportList[].type / supi / pei / location};</li>
 * <li>TS 29.509 6.1.6.2.2 AuthenticationInfo: {@code supiOrSuci}.</li>
 * </ul>
 */
final class BodyPaths {
    static final int NONE = 0;
    static final int SUPI = 1;
    static final int GPSI = 2;
    static final int PEI = 3;
    static final int DNN = 4;
    static final int RAT = 5;
    static final int SUPI_OR_SUCI = 6;
    static final int SN_MCC = 7;
    static final int SN_MNC = 8;
    static final int GUAMI_MCC = 9;
    static final int GUAMI_MNC = 10;
    static final int INITIAL_REGISTRATION = 11;
    static final int PURGE = 12;
    static final int NOTIFY_ID = 13;
    static final int REPORT_TYPE = 14;
    static final int REPORT_SUPI = 15;
    static final int REPORT_PEI = 16;
    static final int TAI_MCC = 17;
    static final int TAI_MNC = 18;
    static final int TAC = 19;
    static final int CELL_MCC = 20;
    static final int CELL_MNC = 21;
    static final int NR_CELL_ID = 22;
    static final int EUTRA_CELL_ID = 23;
    /** Field ids at or above this were found under {@code reportList}; ids are offset by it. */
    private static final int REPORT_OFFSET = 64;

    private static final int SIZE = 256;
    private static final long[] KEYS = new long[SIZE];
    private static final int[] FIELDS = new int[SIZE];

    static {
        put(SUPI, "supi");
        put(GPSI, "gpsi");
        put(PEI, "pei");
        put(DNN, "dnn");
        put(RAT, "ratType");
        put(SUPI_OR_SUCI, "supiOrSuci");
        put(SN_MCC, "servingNetwork", "mcc");
        put(SN_MNC, "servingNetwork", "mnc");
        put(GUAMI_MCC, "guami", "plmnId", "mcc");
        put(GUAMI_MNC, "guami", "plmnId", "mnc");
        put(INITIAL_REGISTRATION, "initialRegistrationInd");
        put(PURGE, "purgeFlag");
        put(NOTIFY_ID, "notifySubscriptionId");
        put(REPORT_OFFSET + REPORT_TYPE, "reportList", "type");
        put(REPORT_OFFSET + REPORT_SUPI, "reportList", "supi");
        put(REPORT_OFFSET + REPORT_PEI, "reportList", "pei");
        location(0, "ueLocation");
        location(REPORT_OFFSET, "reportList", "location");
    }

    private BodyPaths() {
    }

    private static void location(final int offset, final String... root) {
        for (final String access : new String[] {"nrLocation", "eutraLocation"}) {
            put(offset + TAI_MCC, concat(root, access, "tai", "plmnId", "mcc"));
            put(offset + TAI_MNC, concat(root, access, "tai", "plmnId", "mnc"));
            put(offset + TAC, concat(root, access, "tai", "tac"));
            final String cgi = access.equals("nrLocation") ? "ncgi" : "ecgi";
            put(offset + CELL_MCC, concat(root, access, cgi, "plmnId", "mcc"));
            put(offset + CELL_MNC, concat(root, access, cgi, "plmnId", "mnc"));
            put(offset + (access.equals("nrLocation") ? NR_CELL_ID : EUTRA_CELL_ID),
                concat(root, access, cgi, access.equals("nrLocation") ? "nrCellId" : "eutraCellId"));
        }
    }

    private static String[] concat(final String[] root, final String... rest) {
        final String[] all = new String[root.length + rest.length];
        System.arraycopy(root, 0, all, 0, root.length);
        System.arraycopy(rest, 0, all, root.length, rest.length);
        return all;
    }

    private static void put(final int field, final String... keys) {
        final long h = JsonScanner.path(keys);
        int i = home(h);
        while (FIELDS[i] != NONE) {
            if (KEYS[i] == h) {
                throw new IllegalStateException("path hash collision: " + String.join(".", keys));
            }
            i = (i + 1) & (SIZE - 1);
        }
        KEYS[i] = h;
        FIELDS[i] = field;
    }

    private static int home(final long h) {
        return (int) (h ^ (h >>> 32)) & (SIZE - 1);
    }

    /** The field a path hash names (a {@code reportList} field as {@link #inReportList}), or NONE. */
    static int field(final long path) {
        int i = home(path);
        while (FIELDS[i] != NONE) {
            if (KEYS[i] == path) {
                return FIELDS[i];
            }
            i = (i + 1) & (SIZE - 1);
        }
        return NONE;
    }

    static boolean inReportList(final int field) {
        return field >= REPORT_OFFSET;
    }

    /** The field id without the reportList mark. */
    static int base(final int field) {
        return field >= REPORT_OFFSET ? field - REPORT_OFFSET : field;
    }
}
