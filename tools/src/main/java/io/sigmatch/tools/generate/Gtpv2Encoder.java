package io.sigmatch.tools.generate;

/**
 * GTPv2-C messages on S11 (MME - SGW) written from TS 29.274 (v17), clause by clause:
 *
 * <pre>
 * header (5.1): version 2 | P 0 | T 1 = 0x48 | message type | length (after the first 4 octets)
 *               | TEID (the receiver's) | sequence number (24 bits) | spare
 * IE (8.2):     type | length (value octets) | spare(4) instance(4) | value
 * </pre>
 *
 * Which IEs each message carries follows the tables of clause 7 for the S11 interface; the values
 * a real MME and SGW put in them are documented in docs/generator.md.
 */
final class Gtpv2Encoder {
    static final int CREATE_SESSION_REQUEST = 32;
    static final int CREATE_SESSION_RESPONSE = 33;
    static final int MODIFY_BEARER_REQUEST = 34;
    static final int MODIFY_BEARER_RESPONSE = 35;
    static final int DELETE_SESSION_REQUEST = 36;
    static final int DELETE_SESSION_RESPONSE = 37;

    // IE types, TS 29.274 8.1 Table 8.1-1
    private static final int IE_IMSI = 1;
    private static final int IE_CAUSE = 2;
    private static final int IE_RECOVERY = 3;
    private static final int IE_APN = 71;
    private static final int IE_AMBR = 72;
    private static final int IE_EBI = 73;
    private static final int IE_MEI = 75;
    private static final int IE_MSISDN = 76;
    private static final int IE_PAA = 79;
    private static final int IE_BEARER_QOS = 80;
    private static final int IE_RAT_TYPE = 82;
    private static final int IE_SERVING_NETWORK = 83;
    private static final int IE_ULI = 86;
    private static final int IE_FTEID = 87;
    private static final int IE_BEARER_CONTEXT = 93;
    private static final int IE_PDN_TYPE = 99;
    private static final int IE_UE_TIME_ZONE = 114;
    private static final int IE_APN_RESTRICTION = 127;
    private static final int IE_SELECTION_MODE = 128;

    // F-TEID interface types, 8.22
    static final int IF_S1U_ENODEB = 0;
    static final int IF_S1U_SGW = 1;
    static final int IF_S5S8_PGW_U = 5;
    static final int IF_S5S8_PGW_C = 7;
    static final int IF_S11_MME = 10;
    static final int IF_S11_SGW = 11;

    /** Cause values, 8.4 Table 8.4-1. */
    static final int CAUSE_ACCEPTED = 16;
    static final int CAUSE_NO_RESOURCES = 73;
    static final int CAUSE_USER_AUTH_FAILED = 92;
    static final int CAUSE_APN_ACCESS_DENIED = 93;

    private final WireBuffer out = new WireBuffer(512);

    byte[] array() {
        return out.array();
    }

    int length() {
        return out.length();
    }

    /** Where a message's location is: TAI and ECGI of an E-UTRAN cell (8.21.4, 8.21.5). */
    record Cell(String plmn, int tac, long eci) {
    }

    /** 7.2.1: the MME opens a PDN connection (attach, or UE-requested PDN connectivity). */
    void createSessionRequest(final int sequence, final long headerTeid, final String imsi, final String msisdn,
        final String mei, final Cell cell, final String servingPlmn, final int rat, final long mmeTeid, final int mmeIp,
        final int pgwIp, final String apn, final int ebi, final int timeZoneQuarters) {
        header(CREATE_SESSION_REQUEST, headerTeid, sequence);
        tbcdIe(IE_IMSI, imsi);
        tbcdIe(IE_MSISDN, msisdn);
        tbcdIe(IE_MEI, mei);
        uli(cell);
        servingNetwork(servingPlmn);
        ie(IE_RAT_TYPE, 0, 1).u8(rat);
        fteid(0, IF_S11_MME, mmeTeid, mmeIp);
        // 7.2.1: PGW S5/S8 address for control plane; its TEID is not known yet (0)
        fteid(1, IF_S5S8_PGW_C, 0, pgwIp);
        apn(apn);
        ie(IE_SELECTION_MODE, 0, 1).u8(0); // MS or network provided APN, subscription verified
        ie(IE_PDN_TYPE, 0, 1).u8(1); // IPv4
        ie(IE_PAA, 0, 5).u8(1).u32(0); // IPv4, address 0.0.0.0: to be allocated by the PGW
        ie(IE_AMBR, 0, 8).u32(50_000).u32(150_000); // APN-AMBR uplink/downlink, kbps
        final int bearer = begin(IE_BEARER_CONTEXT, 0); // Bearer Contexts to be created
        ie(IE_EBI, 0, 1).u8(ebi);
        bearerQos(9);
        end(bearer);
        ie(IE_RECOVERY, 0, 1).u8(1);
        // 8.44: time zone in quarter hours, semi-octets swapped as in TS 24.008 10.5.3.8; DST 0
        ie(IE_UE_TIME_ZONE, 0, 2).u8(swappedSemiOctets(timeZoneQuarters)).u8(0);
        finish();
    }

    /** 7.2.2: the SGW answers with its S11 TEID, the PGW's, and the bearer it created. */
    void createSessionResponse(final int sequence, final long mmeTeid, final int cause, final long sgwTeid,
        final int sgwIp, final long pgwTeid, final int pgwIp, final int ueIp, final int ebi, final long s1uTeid) {
        header(CREATE_SESSION_RESPONSE, mmeTeid, sequence);
        cause(cause);
        if (cause == CAUSE_ACCEPTED) {
            fteid(0, IF_S11_SGW, sgwTeid, sgwIp);
            fteid(1, IF_S5S8_PGW_C, pgwTeid, pgwIp);
            ie(IE_PAA, 0, 5).u8(1).u32(ueIp & 0xFFFFFFFFL);
            ie(IE_APN_RESTRICTION, 0, 1).u8(0);
            ie(IE_AMBR, 0, 8).u32(50_000).u32(150_000);
            final int bearer = begin(IE_BEARER_CONTEXT, 0); // Bearer Contexts created
            ie(IE_EBI, 0, 1).u8(ebi);
            cause(CAUSE_ACCEPTED);
            fteid(0, IF_S1U_SGW, s1uTeid, sgwIp);
            fteid(2, IF_S5S8_PGW_U, s1uTeid ^ 0x5A5A5A5AL, pgwIp);
            bearerQos(9);
            end(bearer);
        }
        ie(IE_RECOVERY, 0, 1).u8(1);
        finish();
    }

    /**
     * 7.2.7: after a handover or a TAU (or an ECGI change the PGW asked to be told of, 8.21 and the
     * Change Reporting Action) the MME reports the new ULI and, on handover, the new eNodeB's S1-U TEID.
     */
    void modifyBearerRequest(final int sequence, final long sgwTeid, final Cell cell, final int ebi,
        final long enbTeid, final int enbIp) {
        header(MODIFY_BEARER_REQUEST, sgwTeid, sequence);
        uli(cell);
        final int bearer = begin(IE_BEARER_CONTEXT, 0); // Bearer Contexts to be modified
        ie(IE_EBI, 0, 1).u8(ebi);
        fteid(0, IF_S1U_ENODEB, enbTeid, enbIp);
        end(bearer);
        finish();
    }

    /** 7.2.8. */
    void modifyBearerResponse(final int sequence, final long mmeTeid, final int ebi, final long s1uTeid,
        final int sgwIp) {
        header(MODIFY_BEARER_RESPONSE, mmeTeid, sequence);
        cause(CAUSE_ACCEPTED);
        final int bearer = begin(IE_BEARER_CONTEXT, 0); // Bearer Contexts modified
        ie(IE_EBI, 0, 1).u8(ebi);
        cause(CAUSE_ACCEPTED);
        fteid(0, IF_S1U_SGW, s1uTeid, sgwIp);
        end(bearer);
        finish();
    }

    /** 7.2.9.1: the Linked EPS Bearer ID names the PDN connection; the ULI is sent on detach. */
    void deleteSessionRequest(final int sequence, final long sgwTeid, final int lbi, final Cell cellOrNull) {
        header(DELETE_SESSION_REQUEST, sgwTeid, sequence);
        ie(IE_EBI, 0, 1).u8(lbi);
        if (cellOrNull != null) {
            uli(cellOrNull);
        }
        finish();
    }

    /** 7.2.10.1. */
    void deleteSessionResponse(final int sequence, final long mmeTeid) {
        header(DELETE_SESSION_RESPONSE, mmeTeid, sequence);
        cause(CAUSE_ACCEPTED);
        finish();
    }

    // ---- pieces ---------------------------------------------------------------------------------

    private void header(final int type, final long teid, final int sequence) {
        out.clear();
        out.u8(0x48).u8(type).u16(0).u32(teid).u24(sequence & 0xFFFFFF).u8(0);
    }

    private void finish() {
        out.set16(2, out.length() - 4); // 5.5.1: length excludes the first 4 octets
    }

    private WireBuffer ie(final int type, final int instance, final int length) {
        return out.u8(type).u16(length).u8(instance & 0x0F);
    }

    private int begin(final int type, final int instance) {
        final int at = out.length();
        ie(type, instance, 0);
        return at;
    }

    private void end(final int at) {
        out.set16(at + 1, out.length() - at - 4);
    }

    private void tbcdIe(final int type, final String digits) {
        ie(type, 0, WireBuffer.tbcdLength(digits)).tbcd(digits);
    }

    private void cause(final int cause) {
        // 8.4: cause value | spare(5) PCE BCE CS — the SGW originated it (CS 0)
        ie(IE_CAUSE, 0, 2).u8(cause).u8(0);
    }

    /** 8.21: flags (TAI 0x08, ECGI 0x10), then TAI (PLMN, TAC) and ECGI (PLMN, spare(4) ECI(28)). */
    private void uli(final Cell cell) {
        ie(IE_ULI, 0, 13).u8(0x18);
        out.plmn(cell.plmn()).u16(cell.tac());
        out.plmn(cell.plmn()).u32(cell.eci() & 0x0FFFFFFFL);
    }

    private void servingNetwork(final String plmn) {
        ie(IE_SERVING_NETWORK, 0, 3).plmn(plmn);
    }

    /** 8.22: V4 flag | interface type, TEID, IPv4 address. */
    private void fteid(final int instance, final int interfaceType, final long teid, final int ipv4) {
        ie(IE_FTEID, instance, 9).u8(0x80 | interfaceType).u32(teid).u32(ipv4 & 0xFFFFFFFFL);
    }

    /** 9.1 of TS 23.003 in 8.6: each label its length then its characters. */
    private void apn(final String apn) {
        final int at = out.length();
        ie(IE_APN, 0, 0);
        int start = 0;
        while (start <= apn.length()) {
            int dot = apn.indexOf('.', start);
            if (dot < 0) {
                dot = apn.length();
            }
            out.u8(dot - start).ascii(apn.substring(start, dot));
            start = dot + 1;
        }
        out.set16(at + 1, out.length() - at - 4);
    }

    /** 8.15: PCI/PL/PVI, QCI, MBR and GBR up/down (5 octets each, kbps): a non-GBR default bearer. */
    private void bearerQos(final int qci) {
        ie(IE_BEARER_QOS, 0, 22).u8(0x01 << 6 | 9 << 2 | 0x01).u8(qci).zeros(20);
    }

    private static int swappedSemiOctets(final int quarters) {
        final int tens = quarters / 10;
        final int units = quarters % 10;
        return units << 4 | tens;
    }
}
