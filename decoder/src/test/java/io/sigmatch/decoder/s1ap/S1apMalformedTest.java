package io.sigmatch.decoder.s1ap;

import static io.sigmatch.decoder.s1ap.S1apBytes.PLMN_00101;
import static io.sigmatch.decoder.s1ap.S1apBytes.ie;
import static io.sigmatch.decoder.s1ap.S1apBytes.lv;
import static io.sigmatch.decoder.s1ap.S1apBytes.identity;
import static io.sigmatch.decoder.s1ap.S1apBytes.pdu;
import static io.sigmatch.decoder.s1ap.S1apBytes.protectedNas;
import static io.sigmatch.decoder.s1ap.S1apTestCaptures.enbId;
import static io.sigmatch.decoder.s1ap.S1apTestCaptures.nasPdu;
import static io.sigmatch.decoder.s1ap.S1apTestCaptures.taiIe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.testing.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * One test per malformed case, each counted under its reason, never thrown, never read past the
 * payload (every buffer is exactly the input, so a read outside it throws and fails the test). A
 * broken PDU or IE drops the message; broken NAS keeps the S1AP message and counts the NAS reason.
 */
class S1apMalformedTest {
    final Counters counters = new Counters();
    final S1apDecoder decoder = new S1apDecoder(counters, new S1apConfig().maxIesPerMessage(8));
    final RecordingSink sink = new RecordingSink();
    final PacketInfo packet = new PacketInfo();

    private void decode(final byte[] payload) {
        packet.frame++;
        packet.timeNs += 1_000_000;
        decoder.decode(packet, Unpooled.wrappedBuffer(payload), 0, payload.length, sink);
    }

    private void assertDropped(final String reason) {
        assertEquals(1, counters.get(S1apDecoder.ERROR + reason), reason);
        assertEquals(1, counters.sum(S1apDecoder.ERROR), "only " + reason);
        assertEquals(0, sink.messages.size(), "a malformed PDU is no message");
    }

    private void assertNas(final String label) {
        assertEquals(1, counters.get(label), label);
        assertEquals(0, counters.sum(S1apDecoder.ERROR), "the S1AP PDU itself is fine");
        assertEquals(1, counters.sum(S1apDecoder.NAS_ERROR) + counters.get(S1apDecoder.NAS + S1apDecoder.CIPHERED),
            "only " + label);
        assertEquals(1, sink.messages.size(), "the S1AP message is still delivered");
        assertEquals("InitialUEMessage", sink.messages.get(0).messageName(), "without a NAS name");
    }

    private static byte[] initialUe(final byte[] nas) {
        return pdu(0, 12, 1, enbId(1), nasPdu(nas), taiIe(1));
    }

    @Test
    void emptyPayload() {
        decode(new byte[0]);
        assertDropped(S1apDecoder.TRUNCATED);
    }

    @Test
    void headerCutShort() {
        decode(new byte[] {0x00, 0x0C, 0x40});                      // choice, procedure code, criticality: no length
        assertDropped(S1apDecoder.TRUNCATED);
    }

    @Test
    void extensionAlternativeOfThePduChoice() {
        final byte[] m = initialUe(new byte[] {0x07, 0x53});
        m[0] = (byte) 0x80;                                         // extension bit: an alternative after "..."
        decode(m);
        assertDropped(S1apDecoder.BAD_CHOICE);
    }

    @Test
    void fourthChoiceIndex() {
        final byte[] m = initialUe(new byte[] {0x07, 0x53});
        m[0] = 0x60;                                                // index 3: the CHOICE has three alternatives
        decode(m);
        assertDropped(S1apDecoder.BAD_CHOICE);
    }

    @Test
    void fourthCriticality() {
        final byte[] m = initialUe(new byte[] {0x07, 0x53});
        m[2] = (byte) 0xC0;                                         // criticality 3: ENUMERATED has three values
        decode(m);
        assertDropped(S1apDecoder.BAD_CRITICALITY);
    }

    @Test
    void fragmentedLengthDeterminant() {
        decode(new byte[] {0x00, 0x0C, 0x40, (byte) 0xC1, 0, 0});   // 11xxxxxx: one 16K fragment follows
        assertDropped(S1apDecoder.FRAGMENTED);
    }

    @Test
    void valueLongerThanThePayload() {
        final byte[] m = initialUe(new byte[] {0x07, 0x53});
        m[3] += 1;                                                  // open type length one past the end
        decode(m);
        assertDropped(S1apDecoder.BAD_LENGTH);
    }

    @Test
    void moreIesThanTheLimit() {
        decode(new byte[] {0x00, 0x0C, 0x40, 0x03, 0x00, 0x00, 0x09}); // count 9, limit 8
        assertDropped(S1apDecoder.TOO_MANY_IES);
    }

    @Test
    void fewerIesThanTheCount() {
        final byte[] m = initialUe(new byte[] {0x07, 0x53});
        m[6] = 4;                                                   // container count 4, three IEs present
        decode(m);
        assertDropped(S1apDecoder.TRUNCATED);
    }

    @Test
    void ieValuePastTheContainer() {
        final byte[] m = pdu(0, 12, 1, enbId(1), ie(67, 0, new byte[] {0, 0, (byte) 0xF1, 0x10, 0, 1}));
        m[m.length - 7] = 20;                                       // TAI IE's open type length 20, six octets there
        decode(m);
        assertDropped(S1apDecoder.BAD_LENGTH);
    }

    @Test
    void ueIdLongerThanItsIe() {
        decode(pdu(0, 12, 1, ie(S1apIe.ENB_UE_S1AP_ID, 0, new byte[] {(byte) 0x80, 0x01}))); // 3 octets said, 1 there
        assertDropped(S1apDecoder.BAD_IE);
    }

    @Test
    void taiCutShort() {
        decode(pdu(0, 12, 1, enbId(1), ie(S1apIe.TAI, 0, new byte[] {0x00, 0x00, (byte) 0xF1, 0x10, 0x00})));
        assertDropped(S1apDecoder.BAD_IE);
    }

    @Test
    void taiWithBadPlmnDigits() {
        decode(pdu(0, 12, 1, enbId(1), ie(S1apIe.TAI, 0, new byte[] {0x00, (byte) 0xAB, (byte) 0xF1, 0x10, 0, 1})));
        assertDropped(S1apDecoder.BAD_PLMN);
    }

    @Test
    void nasPduLongerThanItsIe() {
        decode(pdu(0, 12, 1, enbId(1), ie(S1apIe.NAS_PDU, 0, new byte[] {0x05, 0x07, 0x41})));
        assertDropped(S1apDecoder.BAD_IE);
    }

    @Test
    void eRabListCutShort() {
        // E-RABToBeSetupListCtxtSUReq: one item whose open type claims 40 octets, 3 present
        decode(pdu(0, 9, 0, enbId(1), ie(S1apIe.E_RAB_TO_BE_SETUP_LIST_CTXT_SU_REQ, 0,
            new byte[] {0x00, 0x00, 0x34, 0x00, 40, 0x00, 0x00, 0x00})));
        assertDropped(S1apDecoder.BAD_IE);
    }

    // ---- NAS -------------------------------------------------------------------------------------

    @Test
    void nasWithAnUnknownProtocolDiscriminator() {
        decode(initialUe(new byte[] {0x05, 0x41}));                 // PD 5: not EMM or ESM
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.UNKNOWN_PD);
    }

    @Test
    void protectedNasCutShort() {
        decode(initialUe(new byte[] {0x17, 0x11, 0x22, 0x33, 0x44, 0x01})); // header 1, MAC, SQN, no message
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.TRUNCATED);
    }

    @Test
    void unusedSecurityHeaderType() {
        decode(initialUe(protectedNas(7, 1, new byte[] {0x07, 0x41}))); // §9.3.1: 7 is not used
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.BAD_SECURITY_HEADER);
    }

    @Test
    void imsiWithANonDigit() {
        final byte[] id = identity(1, "001010123456789");
        id[3] = (byte) 0x5A;                                        // nibble 0xA inside the IMSI
        decode(initialUe(new ByteWriter().u8(0x07).u8(0x41).u8(0x71).bytes(lv(id)).toByteArray()));
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.BAD_IDENTITY);
    }

    @Test
    void gutiOfTheWrongLength() {
        decode(initialUe(new ByteWriter().u8(0x07).u8(0x48).u8(0x00)
            .bytes(lv(new byte[] {(byte) 0xF6, 0x00, (byte) 0xF1, 0x10, 0x00})).toByteArray())); // 5, not 11
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.BAD_IDENTITY);
    }

    @Test
    void identityLongerThanTheNasPdu() {
        decode(initialUe(new byte[] {0x07, 0x56, 0x09, 0x29, 0x10}));  // length 9, two octets there
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.BAD_IE);
    }

    @Test
    void protectedInsideProtected() {
        decode(initialUe(protectedNas(1, 1, protectedNas(1, 2, new byte[] {0x07, 0x53}))));
        assertNas(S1apDecoder.NAS_ERROR + S1apDecoder.NESTED);
    }

    @Test
    void cipheredNasIsCountedNotRead() {
        // header 2 with no EEA0 known: the octets would read as an Identity Response with an IMSI
        decode(initialUe(protectedNas(2, 1, new ByteWriter().u8(0x07).u8(0x56)
            .bytes(lv(identity(1, "001010123456789"))).toByteArray())));
        assertNas(S1apDecoder.NAS + S1apDecoder.CIPHERED);
        assertEquals(false, sink.messages.get(0).has(io.sigmatch.decoder.SignalingMessage.IMSI));
    }

}
