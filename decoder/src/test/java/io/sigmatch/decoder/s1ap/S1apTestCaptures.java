package io.sigmatch.decoder.s1ap;

import static io.sigmatch.decoder.s1ap.S1apBytes.PLMN_00101;
import static io.sigmatch.decoder.s1ap.S1apBytes.PLMN_46000;
import static io.sigmatch.decoder.s1ap.S1apBytes.ecgi;
import static io.sigmatch.decoder.s1ap.S1apBytes.guti;
import static io.sigmatch.decoder.s1ap.S1apBytes.identity;
import static io.sigmatch.decoder.s1ap.S1apBytes.ie;
import static io.sigmatch.decoder.s1ap.S1apBytes.lv;
import static io.sigmatch.decoder.s1ap.S1apBytes.number;
import static io.sigmatch.decoder.s1ap.S1apBytes.octets;
import static io.sigmatch.decoder.s1ap.S1apBytes.pdu;
import static io.sigmatch.decoder.s1ap.S1apBytes.protectedNas;
import static io.sigmatch.decoder.s1ap.S1apBytes.sTmsi;
import static io.sigmatch.decoder.s1ap.S1apBytes.tai;
import static io.sigmatch.decoder.s1ap.S1apBytes.ueS1apIdPair;
import static io.sigmatch.decoder.testing.Packets.concat;

import io.sigmatch.decoder.testing.ByteWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * S1AP captures the differential test writes itself, for what the corpus lacks or shows only once:
 * an attach with the IMSI in clear, an Identity Response with an IMEISV, an integrity-protected TAU
 * Request with its old GUTI, ciphered NAS (which must be counted, not read: its ciphertext would parse
 * as an Identity Response with an IMSI), a Security Mode Command selecting EEA0 after which a
 * "ciphered" Security Mode Complete is read, a Service Request whose S-TMSI resolves through the GUTI
 * learnt earlier, LocationReport, PathSwitchRequest and HandoverNotify with cells, a detach, and a
 * UE Context Release with its UE-S1AP-ID pair. Built from code, so the same bytes every run.
 */
final class S1apTestCaptures {
    static final int PPID_S1AP = 18;

    static final String IMSI = "001010123456789";
    static final String IMEISV = "3582810123456701";
    static final long ENB_ID = 0x0102;
    static final long MME_ID = 0xD4001250L;
    static final int TAC = 0x0017;
    static final long ECI = 0x1A2D001;
    static final int MMEC = 0x21;
    static final long M_TMSI = 0xC0FFEE01L;

    private S1apTestCaptures() {
    }

    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("s1ap-attach-imsi.pcap", attach().w.toByteArray());
        out.put("s1ap-idle-mobility.pcap", idleMobility().w.toByteArray());
        return out;
    }

    static byte[] enbId(final long id) {
        return ie(S1apIe.ENB_UE_S1AP_ID, 0, number(id, 2));
    }

    static byte[] mmeId(final long id) {
        return ie(S1apIe.MME_UE_S1AP_ID, 0, number(id, 2));
    }

    static byte[] nasPdu(final byte[] nas) {
        return ie(S1apIe.NAS_PDU, 0, octets(nas));
    }

    static byte[] taiIe(final int tac) {
        return ie(S1apIe.TAI, 0, tai(PLMN_00101, tac));
    }

    static byte[] cgiIe(final long eci) {
        return ie(S1apIe.EUTRAN_CGI, 0, ecgi(PLMN_00101, eci));
    }

    /** RRC-Establishment-Cause ENUMERATED: mo-Signalling (3), in the top bits after the extension bit. */
    static byte[] rrcCause() {
        return ie(134, 1, new byte[] {0x30});
    }

    /** TS 24.301 §8.2.4 Attach Request, plain, IMSI identity, with the last visited TAI. */
    static byte[] attachRequest(final String imsi) {
        return new ByteWriter()
            .u8(0x07)                              // security header 0 (plain), PD 7 EMM
            .u8(0x41)                              // Attach request
            .u8(0x71)                              // NAS KSI 7 (no key), EPS attach type 1 (EPS attach)
            .bytes(lv(identity(1, imsi)))          // EPS mobile identity: IMSI
            .bytes(lv(new byte[] {(byte) 0xE0, (byte) 0xE0}))  // UE network capability: EEA0-2, EIA0-2
            .u16(4).hex("0201d011")                // ESM message container: PDN connectivity request
            .u8(0x52).bytes(PLMN_46000).u16(0x0042) // last visited registered TAI: 460/00 TAC 0x42
            .u8(0x5C).u16(0x0A00)                  // DRX parameter
            .toByteArray();
    }

    /** §8.2.19 Identity Response carrying an IMEISV (mobile identity type 3). */
    static byte[] identityResponse(final String imeisv) {
        return new ByteWriter().u8(0x07).u8(0x56).bytes(lv(identity(3, imeisv))).toByteArray();
    }

    static SctpFlow attach() {
        final SctpFlow f = new SctpFlow(PPID_S1AP, 36412);
        // InitialUEMessage: eNB id, NAS (Attach Request with IMSI), TAI, E-UTRAN CGI, RRC cause
        f.up(pdu(0, 12, 1, enbId(ENB_ID), nasPdu(attachRequest(IMSI)), taiIe(TAC), cgiIe(ECI), rrcCause()));
        // DownlinkNASTransport: Identity Request (IMEISV)
        f.down(pdu(0, 11, 1, mmeId(MME_ID), enbId(ENB_ID), nasPdu(new byte[] {0x07, 0x55, 0x03})));
        // UplinkNASTransport: Identity Response with the IMEISV, plain
        f.up(pdu(0, 13, 1, mmeId(MME_ID), enbId(ENB_ID), nasPdu(identityResponse(IMEISV)), cgiIe(ECI), taiIe(TAC)));
        // ciphered (security header 2) before any Security Mode Command: its octets would read as an
        // Identity Response with IMSI 001019999999999 if taken for plain text
        f.down(pdu(0, 11, 1, mmeId(MME_ID), enbId(ENB_ID),
            nasPdu(protectedNas(2, 1, concat(new byte[] {0x07, 0x56}, lv(identity(1, "001019999999999")))))));
        // Security Mode Command (integrity protected with new context, header 3) selecting EEA0 / EIA2
        f.down(pdu(0, 11, 1, mmeId(MME_ID), enbId(ENB_ID), nasPdu(protectedNas(3, 0,
            new byte[] {0x07, 0x5D, 0x02, 0x00, 0x02, (byte) 0xE0, (byte) 0xE0}))));
        // Security Mode Complete, "ciphered with new context" (header 4) under EEA0, with the IMEISV
        f.up(pdu(0, 13, 1, mmeId(MME_ID), enbId(ENB_ID), nasPdu(protectedNas(4, 0,
            concat(new byte[] {0x07, 0x5E, 0x23}, lv(identity(3, IMEISV))))), cgiIe(ECI), taiIe(TAC)));
        // UEContextReleaseRequest and UEContextReleaseCommand (UE-S1AP-ID pair) bundled, then Complete
        f.up(pdu(0, 18, 1, mmeId(MME_ID), enbId(ENB_ID), ie(2, 1, new byte[] {0x02, (byte) 0x80})));
        f.down(pdu(0, 23, 0, ie(S1apIe.UE_S1AP_IDS, 0, ueS1apIdPair(MME_ID, ENB_ID)), ie(2, 1, new byte[] {0x02, (byte) 0x80})));
        f.up(pdu(1, 23, 0, mmeId(MME_ID), enbId(ENB_ID)));
        return f;
    }

    static SctpFlow idleMobility() {
        final SctpFlow f = new SctpFlow(PPID_S1AP, 36412);
        final byte[] oldGuti = guti(PLMN_00101, 0x8001, MMEC, M_TMSI);
        // TAU Request, integrity protected (header 1), old GUTI, last visited TAI: the UE is not known yet
        final byte[] tau = protectedNas(1, 5, new ByteWriter()
            .u8(0x07).u8(0x48)                     // plain EMM, Tracking area update request
            .u8(0x00)                              // NAS KSI 0, EPS update type 0 (TA updating)
            .bytes(lv(oldGuti))                    // old GUTI
            .u8(0x52).bytes(PLMN_00101).u16(TAC)   // last visited registered TAI
            .toByteArray());
        f.up(pdu(0, 12, 1, enbId(7), nasPdu(tau), taiIe(TAC + 1), cgiIe(ECI + 1), rrcCause()));
        // the MME asks for the IMSI; the answer ties the old GUTI to it
        f.down(pdu(0, 11, 1, mmeId(0x55), enbId(7), nasPdu(new byte[] {0x07, 0x55, 0x01})));
        f.up(pdu(0, 13, 1, mmeId(0x55), enbId(7), nasPdu(new ByteWriter().u8(0x07).u8(0x56)
            .bytes(lv(identity(1, IMSI))).toByteArray()), cgiIe(ECI + 1), taiIe(TAC + 1)));
        f.up(pdu(1, 23, 0, mmeId(0x55), enbId(7)));
        // later, from idle: a Service Request (header 12) in an InitialUEMessage with the S-TMSI
        f.up(pdu(0, 12, 1, enbId(8), nasPdu(new byte[] {(byte) 0xC7, 0x03, 0x12, 0x34}), taiIe(TAC + 2),
            cgiIe(ECI + 2), rrcCause(), ie(S1apIe.S_TMSI, 1, sTmsi(MMEC, M_TMSI))));
        // LocationReport, PathSwitchRequest (to a new eNB, SourceMME-UE-S1AP-ID), HandoverNotify
        f.down(pdu(0, 11, 1, mmeId(0x56), enbId(8), nasPdu(new byte[] {0x07, 0x61})));
        f.up(pdu(0, 33, 1, mmeId(0x56), enbId(8), cgiIe(ECI + 3), taiIe(TAC + 3), ie(98, 1, new byte[] {0x00})));
        f.up(pdu(0, 3, 0, enbId(9), ie(S1apIe.SOURCE_MME_UE_S1AP_ID, 0, number(0x56, 2)), cgiIe(ECI + 4), taiIe(TAC + 4)));
        f.up(pdu(0, 2, 1, mmeId(0x56), enbId(9), cgiIe(ECI + 5), taiIe(TAC + 5)));
        // Detach Request from the UE (switch off), GUTI identity, integrity protected
        f.up(pdu(0, 13, 1, mmeId(0x56), enbId(9), nasPdu(protectedNas(1, 6, new ByteWriter()
            .u8(0x07).u8(0x45).u8(0x09)            // Detach request, KSI 0, switch off, EPS detach
            .bytes(lv(oldGuti)).toByteArray())), cgiIe(ECI + 5), taiIe(TAC + 5)));
        return f;
    }
}
