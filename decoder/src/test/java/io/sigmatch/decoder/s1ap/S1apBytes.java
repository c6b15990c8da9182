package io.sigmatch.decoder.s1ap;

import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;

/**
 * Aligned-PER (X.691) and NAS builders for tests: the S1AP/NGAP PDU skeleton, IEs, UE ids, TAI,
 * cells and NAS messages, each field written with its own comment. Public so the NGAP tests share it.
 */
public final class S1apBytes {
    public static final byte[] PLMN_00101 = {0x00, (byte) 0xF1, 0x10};   // MCC 001, MNC 01
    public static final byte[] PLMN_46000 = {0x64, (byte) 0xF0, 0x00};   // MCC 460, MNC 00

    private S1apBytes() {
    }

    /** X.691 §11.9.3.6/7: one octet below 128, else two with the top bits 10. */
    public static byte[] length(final int n) {
        return n < 128 ? new byte[] {(byte) n} : new byte[] {(byte) (0x80 | n >>> 8), (byte) n};
    }

    /** S1AP-PDU / NGAP-PDU: choice, procedure code, criticality, open type holding the IE container. */
    public static byte[] pdu(final int choice, final int procedureCode, final int criticality, final byte[]... ies) {
        final ByteWriter value = new ByteWriter()
            .u8(0x00)                          // SEQUENCE { protocolIEs, ... }: extension bit 0, padding
            .u16(ies.length);                  // ProtocolIE-Container count, SIZE (0..65535)
        for (final byte[] ie : ies) {
            value.bytes(ie);
        }
        final byte[] v = value.toByteArray();
        return new ByteWriter()
            .u8(choice << 5)                   // extension bit 0, choice index, padding
            .u8(procedureCode)                 // procedureCode INTEGER (0..255)
            .u8(criticality << 6)              // criticality, padding
            .bytes(length(v.length))           // open type length
            .bytes(v).toByteArray();
    }

    /** ProtocolIE-Field: id, criticality, open-type value. */
    public static byte[] ie(final int id, final int criticality, final byte[] value) {
        return new ByteWriter()
            .u16(id)                           // ProtocolIE-ID INTEGER (0..65535)
            .u8(criticality << 6)              // criticality, padding
            .bytes(length(value.length))       // open type length
            .bytes(value).toByteArray();
    }

    /** A constrained whole number above 64K: octet count - 1 in the top {@code countBits}, then the octets. */
    public static byte[] number(final long v, final int countBits) {
        int n = 1;
        while (n < 8 && (v >>> (8 * n)) != 0) {
            n++;
        }
        final ByteWriter w = new ByteWriter().u8((n - 1) << (8 - countBits));
        for (int i = n - 1; i >= 0; i--) {
            w.u8((int) (v >>> (8 * i)));
        }
        return w.toByteArray();
    }

    /** An OCTET STRING IE value (NAS-PDU): length determinant, octets. */
    public static byte[] octets(final byte[] content) {
        return new ByteWriter().bytes(length(content.length)).bytes(content).toByteArray();
    }

    /** S1AP TAI: preamble (extension, iE-Extensions absent), PLMN, 2-octet TAC. */
    public static byte[] tai(final byte[] plmn, final int tac) {
        return new ByteWriter().u8(0x00).bytes(plmn).u16(tac).toByteArray();
    }

    /** S1AP EUTRAN-CGI: preamble, PLMN, cell-ID BIT STRING (SIZE (28)) in the top of 4 octets. */
    public static byte[] ecgi(final byte[] plmn, final long eci) {
        return new ByteWriter().u8(0x00).bytes(plmn).u32(eci << 4).toByteArray();
    }

    /** S-TMSI: 2 preamble bits, MMEC unaligned across octets 0-1, M-TMSI aligned at octet 2. */
    public static byte[] sTmsi(final int mmec, final long mTmsi) {
        return new ByteWriter()
            .u8(mmec >>> 2)                    // ext 0, iE-Extensions absent, MMEC bits 7..2
            .u8((mmec & 3) << 6)               // MMEC bits 1..0, padding
            .u32(mTmsi).toByteArray();
    }

    /** UE-S1AP-IDs, the uE-S1AP-ID-pair alternative. */
    public static byte[] ueS1apIdPair(final long mmeId, final long enbId) {
        final byte[] mme = number(mmeId, 2);
        final byte[] enb = number(enbId, 2);
        final ByteWriter w = new ByteWriter()
            .u8((mme[0] & 0xC0) >>> 4);        // choice ext 0, index 0 (pair), seq ext 0, opt 0, MME id count
        for (int i = 1; i < mme.length; i++) {
            w.u8(mme[i]);                      // MME-UE-S1AP-ID octets, aligned
        }
        return w.bytes(enb).toByteArray();     // eNB-UE-S1AP-ID: count bits, padding, octets
    }

    // ---- NAS -------------------------------------------------------------------------------------

    /** TS 24.008 §10.5.1.4 identity digits: digit 1 | odd/even | type, then TBCD pairs, 0xF filler. */
    public static byte[] identity(final int type, final String digits) {
        final boolean odd = (digits.length() & 1) == 1;
        final ByteWriter w = new ByteWriter().u8((digits.charAt(0) - '0') << 4 | (odd ? 8 : 0) | type);
        for (int i = 1; i < digits.length(); i += 2) {
            final int lo = digits.charAt(i) - '0';
            final int hi = i + 1 < digits.length() ? digits.charAt(i + 1) - '0' : 0xF;
            w.u8(hi << 4 | lo);
        }
        return w.toByteArray();
    }

    /** TS 24.301 §9.9.3.12 GUTI: 0xF6, PLMN, MME group id, MME code, M-TMSI. */
    public static byte[] guti(final byte[] plmn, final int mmegi, final int mmec, final long mTmsi) {
        return new ByteWriter().u8(0xF6).bytes(plmn).u16(mmegi).u8(mmec).u32(mTmsi).toByteArray();
    }

    public static byte[] lv(final byte[] value) {
        return new ByteWriter().u8(value.length).bytes(value).toByteArray();
    }

    /** A security-protected NAS message: header type | PD 7, MAC (4), sequence number, then the message. */
    public static byte[] protectedNas(final int securityHeader, final int sequence, final byte[] inner) {
        return new ByteWriter()
            .u8(securityHeader << 4 | 7)       // security header type, PD EMM
            .u32(0x11223344)                   // message authentication code
            .u8(sequence)                      // sequence number
            .bytes(inner).toByteArray();
    }

    // ---- SCTP ------------------------------------------------------------------------------------

    /** RFC 4960 §3.3.1 DATA chunk, B and E set, with its PPID (18 S1AP, 60 NGAP), padded to 4. */
    public static byte[] dataChunk(final int tsn, final int ppid, final byte[] userData) {
        final int length = 16 + userData.length;
        return new ByteWriter()
            .u8(0)                             // chunk type DATA
            .u8(0x03)                          // flags: B and E (an unfragmented user message)
            .u16(length)                       // chunk length without padding
            .u32(tsn)                          // TSN
            .u16(1)                            // stream identifier (UE-associated signalling, not stream 0)
            .u16(tsn & 0xFFFF)                 // stream sequence number
            .u32(ppid)                         // payload protocol identifier
            .bytes(userData)
            .zeros((4 - (length & 3)) & 3).toByteArray();
    }

    /** RFC 4960 §3.1 common header (checksum 0: tshark does not verify it by default), then the chunks. */
    public static byte[] sctp(final int srcPort, final int dstPort, final byte[]... chunks) {
        return new ByteWriter()
            .u16(srcPort).u16(dstPort)         // ports
            .u32(0x0A0B0C0D)                   // verification tag
            .u32(0)                            // checksum
            .bytes(Packets.concat(chunks)).toByteArray();
    }
}
