package io.sigmatch.decoder.ngap;

import static io.sigmatch.decoder.s1ap.S1apBytes.PLMN_00101;
import static io.sigmatch.decoder.s1ap.S1apBytes.identity;
import static io.sigmatch.decoder.s1ap.S1apBytes.ie;
import static io.sigmatch.decoder.s1ap.S1apBytes.number;
import static io.sigmatch.decoder.s1ap.S1apBytes.octets;
import static io.sigmatch.decoder.s1ap.S1apBytes.pdu;

import io.sigmatch.decoder.s1ap.SctpFlow;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * NGAP captures the differential test writes itself: a registration whose SUCI uses the null
 * scheme (the SUPI in clear), one whose SUCI is concealed (ECIES profile A: no identity), an
 * Identity Response with an IMEISV, a Service Request from idle with the 5G-S-TMSI of the 5G-GUTI
 * the first registration was accepted with (integrity protected), LocationReport, PathSwitchRequest,
 * HandoverNotify, a UE-originating Deregistration, and a UE Context Release with its id pair.
 */
final class NgapTestCaptures {
    static final int PPID_NGAP = 60;
    static final String SUPI = "001010123456789";
    static final String IMEISV = "3582810123456702";
    static final long NCI = 0x123456789L;
    static final int TAC = 0x000102;
    static final int AMF_SET_AND_POINTER = 0x0141;     // AMF set id 5, pointer 1
    static final long TMSI = 0xB0A0C0D1L;

    private NgapTestCaptures() {
    }

    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("ngap-registration.pcap", registration().w.toByteArray());
        return out;
    }

    static byte[] ranId(final long id) {
        return ie(NgapIe.RAN_UE_NGAP_ID, 0, number(id, 2));
    }

    static byte[] amfId(final long id) {
        return ie(NgapIe.AMF_UE_NGAP_ID, 0, number(id, 3));
    }

    static byte[] nasPdu(final byte[] nas) {
        return ie(NgapIe.NAS_PDU, 0, octets(nas));
    }

    /** UserLocationInformation, the NR alternative: NR-CGI (PLMN, 36-bit cell id) and TAI (3-octet TAC). */
    static byte[] uliNr(final long nci, final int tac) {
        return ie(NgapIe.USER_LOCATION_INFORMATION, 1, new ByteWriter()
            .u8(0x40)                              // choice 1 (NR), ext 0, no timeStamp, no extensions, NR-CGI ext 0, opt 0
            .bytes(PLMN_00101)                     // NR-CGI pLMNIdentity
            .u8((int) (nci >>> 28)).u32((nci << 4) & 0xFFFFFFFFL) // nRCellIdentity, 36 bits; the next 2 bits
                                                   // (TAI ext 0, no extensions) and 2 padding bits end the octet
            .bytes(PLMN_00101)                     // TAI pLMNIdentity
            .u8(tac >>> 16).u16(tac)               // tAC, 3 octets
            .toByteArray());
    }

    /** FiveG-S-TMSI: 2 preamble bits, AMF set id (10) and pointer (6) unaligned, 5G-TMSI aligned at octet 3. */
    static byte[] fiveGSTmsi(final int setAndPointer, final long tmsi) {
        return ie(NgapIe.FIVE_G_S_TMSI, 1, new ByteWriter()
            .u8(setAndPointer >>> 10)              // ext 0, no extensions, set id bits 9..4
            .u8((setAndPointer >>> 2) & 0xFF)      // set id bits 3..0, pointer bits 5..2
            .u8((setAndPointer & 3) << 6)          // pointer bits 1..0, padding
            .u32(tmsi).toByteArray());
    }

    static byte[] rrcCause() {
        return ie(90, 1, new byte[] {0x18});       // RRCEstablishmentCause mo-Signalling (3)
    }

    /** TS 24.501 §8.2.6 Registration Request, plain: registration type, 5GS mobile identity (LV-E), UE security capability. */
    static byte[] registrationRequest(final int registrationType, final byte[] mobileIdentity) {
        return new ByteWriter()
            .u8(0x7E).u8(0x00).u8(0x41)            // EPD 5GMM, plain, Registration request
            .u8(0x70 | 0x08 | registrationType)    // ngKSI 7 (none), FOR, 5GS registration type
            .u16(mobileIdentity.length).bytes(mobileIdentity)
            .u8(0x2E).u8(0x02).u8(0xF0).u8(0xF0)   // UE security capability: 5G-EA0..3, 5G-IA0..3
            .toByteArray();
    }

    /** SUCI, SUPI format IMSI: PLMN, routing indicator "0", protection scheme, key id, scheme output. */
    static byte[] suci(final int scheme, final byte[] schemeOutput) {
        return new ByteWriter()
            .u8(0x01)                              // SUPI format IMSI (0), type of identity SUCI (1)
            .bytes(PLMN_00101)                     // MCC 001, MNC 01
            .u8(0xF0).u8(0xFF)                     // routing indicator "0"
            .u8(scheme)                            // protection scheme id
            .u8(scheme == 0 ? 0 : 1)               // home network public key identifier
            .bytes(schemeOutput).toByteArray();
    }

    static byte[] guti5g(final int setAndPointer, final long tmsi) {
        return new ByteWriter().u8(0xF2).bytes(PLMN_00101).u8(0x02).u16(setAndPointer).u32(tmsi).toByteArray();
    }

    static byte[] protected5g(final int header, final int sequence, final byte[] inner) {
        return new ByteWriter().u8(0x7E).u8(header).u32(0x55667788).u8(sequence).bytes(inner).toByteArray();
    }

    static SctpFlow registration() {
        final SctpFlow f = new SctpFlow(PPID_NGAP, 38412);
        // 1: initial registration with a null-scheme SUCI (MSIN 0123456789 in clear)
        f.up(pdu(0, 15, 1, ranId(1), nasPdu(registrationRequest(1,
            suci(0, new byte[] {0x10, 0x32, 0x54, 0x76, (byte) 0x98}))), uliNr(NCI, TAC), rrcCause()));
        f.down(pdu(0, 4, 1, amfId(0x102030405L), ranId(1), nasPdu(new byte[] {0x7E, 0x00, 0x5B, 0x05})));
        f.up(pdu(0, 46, 1, amfId(0x102030405L), ranId(1),
            nasPdu(new ByteWriter().u8(0x7E).u8(0x00).u8(0x5C).bytes(lv2(identity(5, IMEISV))).toByteArray()),
            uliNr(NCI, TAC)));
        // Registration Accept (integrity protected) assigning a 5G-GUTI, in InitialContextSetupRequest
        f.down(pdu(0, 14, 0, amfId(0x102030405L), ranId(1), nasPdu(protected5g(1, 2, new ByteWriter()
            .u8(0x7E).u8(0x00).u8(0x42)            // Registration accept
            .u8(0x01).u8(0x01)                     // 5GS registration result (LV): 3GPP access
            .u8(0x77).bytes(lv2(guti5g(AMF_SET_AND_POINTER, TMSI)))  // 5G-GUTI (TLV-E)
            .toByteArray()))));
        f.up(pdu(1, 41, 0, amfId(0x102030405L), ranId(1)));
        // 2: another UE, SUCI concealed with ECIES profile A: 32-octet key, 5-octet ciphertext, 8-octet MAC
        f.up(pdu(0, 15, 1, ranId(2), nasPdu(registrationRequest(1, suci(1, Packets.payload(45, 7)))),
            uliNr(NCI + 1, TAC), rrcCause()));
        // 3: the first UE from idle: Service Request (integrity protected) with its 5G-S-TMSI
        f.up(pdu(0, 15, 1, ranId(3), nasPdu(protected5g(1, 3, new ByteWriter()
            .u8(0x7E).u8(0x00).u8(0x4C).u8(0x10)   // Service request, ngKSI 1, service type signalling
            .u16(7).u8(0xF4).u16(AMF_SET_AND_POINTER).u32(TMSI).toByteArray())),
            uliNr(NCI + 2, TAC), rrcCause(), fiveGSTmsi(AMF_SET_AND_POINTER, TMSI)));
        f.down(pdu(0, 14, 0, amfId(0x77), ranId(3)));
        f.up(pdu(0, 18, 1, amfId(0x77), ranId(3), uliNr(NCI + 3, TAC)));
        f.up(pdu(0, 25, 0, ranId(4), ie(NgapIe.SOURCE_AMF_UE_NGAP_ID, 0, number(0x77, 3)), uliNr(NCI + 4, TAC)));
        f.up(pdu(0, 11, 1, amfId(0x77), ranId(4), uliNr(NCI + 5, TAC)));
        // Deregistration Request (UE originating, switch off) with the 5G-GUTI, then the release
        f.up(pdu(0, 46, 1, amfId(0x77), ranId(4), nasPdu(protected5g(1, 4, new ByteWriter()
            .u8(0x7E).u8(0x00).u8(0x45).u8(0x09)
            .bytes(lv2(guti5g(AMF_SET_AND_POINTER, TMSI))).toByteArray())), uliNr(NCI + 5, TAC)));
        f.down(pdu(0, 41, 0, ie(NgapIe.UE_NGAP_IDS, 0, new ByteWriter()
            .u8(0x00)                              // choice pair, ext 0, opt 0, AMF id count - 1 = 0, pad
            .u8(0x77)                              // AMF-UE-NGAP-ID
            .u8(0x00).u8(0x04)                     // RAN-UE-NGAP-ID: count - 1 = 0, pad, value 4
            .toByteArray()), ie(15, 1, new byte[] {0x08, 0x00})));
        f.up(pdu(1, 41, 0, amfId(0x77), ranId(4)));
        return f;
    }

    static byte[] lv2(final byte[] value) {
        return new ByteWriter().u16(value.length).bytes(value).toByteArray();
    }
}
