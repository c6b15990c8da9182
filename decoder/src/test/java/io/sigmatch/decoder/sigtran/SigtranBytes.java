package io.sigmatch.decoder.sigtran;

import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds spec-valid SIGTRAN test messages layer by layer, each field commented once here: BER
 * (X.690), TCAP (Q.773), SCCP (Q.713), M3UA (RFC 4666) and the SCTP DATA chunk (RFC 4960) that
 * carries it. Tests compose them; the bytes are the same every run.
 */
final class SigtranBytes {
    /** MAP application contexts (TS 29.002 §17.3.3): 0.4.0.0.1.0.context.version. */
    static final int AC_NETWORK_LOC_UP = 1;
    static final int AC_LOCATION_CANCELLATION = 2;
    static final int AC_SHORT_MSG_GATEWAY = 20;
    static final int AC_SHORT_MSG_MO_RELAY = 21;
    static final int AC_SHORT_MSG_MT_RELAY = 25;
    static final int AC_INFO_RETRIEVAL = 14;
    static final int AC_NETWORK_FUNCTIONAL_SS = 18;
    static final int AC_EQUIPMENT_MNGT = 13;
    static final int AC_GPRS_LOCATION_UPDATE = 32;
    static final int AC_MS_PURGING = 27;
    static final int AC_ANY_TIME_INFO_ENQUIRY = 29;
    static final int AC_LOCATION_INFO_RETRIEVAL = 5;
    static final int AC_SUBSCRIBER_INFO_ENQUIRY = 28;
    static final int AC_MM_EVENT_REPORTING = 42;

    private SigtranBytes() {
    }

    static byte[] concat(final byte[]... parts) {
        return Packets.concat(parts);
    }

    static byte[] bytes(final int... values) {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    // ---- BER -------------------------------------------------------------------------------------

    /** Identifier octets (1 for tags below 31, else high-tag form) + definite length + contents. */
    static byte[] tlv(final int cls, final boolean constructed, final int number, final byte[]... contents) {
        final byte[] value = concat(contents);
        return concat(identifier(cls, constructed, number), length(value.length), value);
    }

    /** Indefinite length form (X.690 8.1.3.6): 0x80, contents, end-of-contents 00 00. */
    static byte[] tlvIndefinite(final int cls, final boolean constructed, final int number, final byte[]... contents) {
        return concat(identifier(cls, constructed, number), bytes(0x80), concat(contents), bytes(0, 0));
    }

    static byte[] identifier(final int cls, final boolean constructed, final int number) {
        final int first = cls << 6 | (constructed ? 0x20 : 0);
        if (number < 31) {
            return bytes(first | number);
        }
        if (number < 128) {
            return bytes(first | 0x1F, number);
        }
        return bytes(first | 0x1F, 0x80 | number >>> 7, number & 0x7F);
    }

    static byte[] length(final int n) {
        if (n < 128) {
            return bytes(n);
        }
        if (n < 256) {
            return bytes(0x81, n);
        }
        return bytes(0x82, n >>> 8, n & 0xFF);
    }

    static byte[] integer(final int v) {
        return tlv(0, false, 2, v < 128 ? bytes(v) : bytes(v >>> 8, v & 0xFF));
    }

    static byte[] octets(final byte[] v) {
        return tlv(0, false, 4, v);
    }

    static byte[] sequence(final byte[]... contents) {
        return tlv(0, true, 16, contents);
    }

    static byte[] ctx(final int number, final byte[] v) {
        return tlv(2, false, number, v);
    }

    static byte[] ctxC(final int number, final byte[]... contents) {
        return tlv(2, true, number, contents);
    }

    /** TBCD (TS 29.002 §17.7.8): two digits per octet, first in the low nibble, 0xF filler. */
    static byte[] tbcd(final String digits) {
        final byte[] b = new byte[(digits.length() + 1) / 2];
        for (int i = 0; i < digits.length(); i++) {
            final int d = digits.charAt(i) - '0';
            b[i / 2] |= (byte) ((i & 1) == 0 ? d : d << 4);
        }
        if ((digits.length() & 1) != 0) {
            b[b.length - 1] |= (byte) 0xF0;
        }
        return b;
    }

    /** ISDN-AddressString: 0x91 = no extension, international number, ISDN/E.164 plan; then TBCD. */
    static byte[] isdn(final String digits) {
        return concat(bytes(0x91), tbcd(digits));
    }

    /** As {@link #isdn} with nature of address "national" (0xA1). */
    static byte[] isdnNational(final String digits) {
        return concat(bytes(0xA1), tbcd(digits));
    }

    // ---- TCAP (Q.773 §4.2) ------------------------------------------------------------------------

    static byte[] otid(final int tid) {
        return tlv(1, false, 8, bytes(tid >>> 24, tid >>> 16, tid >>> 8, tid));
    }

    static byte[] dtid(final int tid) {
        return tlv(1, false, 9, bytes(tid >>> 24, tid >>> 16, tid >>> 8, tid));
    }

    static byte[] begin(final int otid, final byte[] dialogue, final byte[]... components) {
        return tlv(1, true, 2, otid(otid), dialogue, componentPortion(components));
    }

    static byte[] continueMessage(final int otid, final int dtid, final byte[] dialogue, final byte[]... components) {
        return tlv(1, true, 5, otid(otid), dtid(dtid), dialogue, componentPortion(components));
    }

    static byte[] end(final int dtid, final byte[] dialogue, final byte[]... components) {
        return tlv(1, true, 4, dtid(dtid), dialogue, componentPortion(components));
    }

    /** Abort with a P-AbortCause [APPLICATION 10] (Q.773: 1 = unrecognizedTransactionID). */
    static byte[] abort(final int dtid, final int cause) {
        return tlv(1, true, 7, dtid(dtid), tlv(1, false, 10, bytes(cause)));
    }

    static byte[] componentPortion(final byte[]... components) {
        return components.length == 0 ? new byte[0] : tlv(1, true, 12, components);
    }

    /** The ACN OID contents 0.4.0.0.1.0.context.version: 04 00 00 01 00 context version. */
    static byte[] mapAcn(final int context, final int version) {
        return bytes(0x04, 0x00, 0x00, 0x01, 0x00, context, version);
    }

    /** CAP phase 3/4 ACN 0.4.0.0.1.domain.context.version (TS 29.078 §5). */
    static byte[] capAcn(final int domain, final int context, final int version) {
        return bytes(0x04, 0x00, 0x00, 0x01, domain, context, version);
    }

    /**
     * Dialogue portion [APPLICATION 11] { EXTERNAL { dialogue-as-id 0.0.17.773.1.1.1,
     * [0] AARQ-apdu { protocol-version [0] version1, application-context-name [1] { OID }, [user-information [30]] } } }.
     */
    static byte[] dialogueRequest(final byte[] acn, final byte[] userInformation) {
        final byte[] aarq = tlv(1, true, 0,
            tlv(2, false, 0, bytes(0x07, 0x80)),                   // protocol-version: BIT STRING, 7 unused bits, version1
            tlv(2, true, 1, tlv(0, false, 6, acn)),                // application-context-name
            userInformation);
        return dialoguePortion(aarq);
    }

    /** AARE-apdu [APPLICATION 1] with result [2] accepted (0) and result-source-diagnostic [3] dialogue-service-user null. */
    static byte[] dialogueResponse(final byte[] acn) {
        final byte[] aare = tlv(1, true, 1,
            tlv(2, false, 0, bytes(0x07, 0x80)),                   // protocol-version
            tlv(2, true, 1, tlv(0, false, 6, acn)),                // application-context-name
            tlv(2, true, 2, integer(0)),                           // result: accepted
            tlv(2, true, 3, tlv(2, true, 1, integer(0))));         // result-source-diagnostic: dialogue-service-user null
        return dialoguePortion(aare);
    }

    private static byte[] dialoguePortion(final byte[] pdu) {
        return tlv(1, true, 11,
            tlv(0, true, 8,                                        // EXTERNAL
                tlv(0, false, 6, bytes(0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01)), // dialogue-as-id 0.0.17.773.1.1.1
                tlv(2, true, 0, pdu)));                            // single-ASN1-type
    }

    /**
     * user-information [30] { EXTERNAL { map-DialogueAS 0.4.0.0.1.1.1.1, [0] MAP-DialoguePDU
     * map-open [0] { destinationReference [0] AddressString } } } (TS 29.002 §7.3.1): the IMSI as
     * an AddressString of numbering plan 6 (land mobile, E.212).
     */
    static byte[] mapOpenDestinationImsi(final String imsi) {
        return tlv(2, true, 30,
            tlv(0, true, 8,
                tlv(0, false, 6, bytes(0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01)),
                tlv(2, true, 0,
                    tlv(2, true, 0,
                        tlv(2, false, 0, concat(bytes(0x96), tbcd(imsi)))))));
    }

    static byte[] invoke(final int invokeId, final int opcode, final byte[] argument) {
        return tlv(2, true, 1, integer(invokeId), integer(opcode), argument);
    }

    static byte[] resultLast(final int invokeId, final int opcode, final byte[] result) {
        return tlv(2, true, 2, integer(invokeId), sequence(integer(opcode), result));
    }

    /** ReturnResultLast with no result (an empty acknowledgement). */
    static byte[] resultLastEmpty(final int invokeId) {
        return tlv(2, true, 2, integer(invokeId));
    }

    static byte[] returnError(final int invokeId, final int errorCode) {
        return tlv(2, true, 3, integer(invokeId), integer(errorCode));
    }

    // ---- SCCP (Q.713) -------------------------------------------------------------------------------

    /**
     * Party address, GT indicator 4: address indicator (route on GT, GTI 4, SSN present, no PC),
     * SSN, translation type 0, numbering plan 1 (E.164) + encoding scheme (1 odd / 2 even), nature
     * of address 4 (international), BCD digits (odd: filler 0 in the last high nibble).
     */
    static byte[] gt(final int ssn, final String digits) {
        final boolean odd = (digits.length() & 1) != 0;
        final byte[] bcd = new byte[(digits.length() + 1) / 2];
        for (int i = 0; i < digits.length(); i++) {
            final int d = digits.charAt(i) - '0';
            bcd[i / 2] |= (byte) ((i & 1) == 0 ? d : d << 4);
        }
        return concat(bytes(0x12, ssn, 0x00, odd ? 0x11 : 0x12, 0x04), bcd);
    }

    /** Party address routed on SSN with a point code: indicator 0x43, PC (14 bits, LSB first), SSN. */
    static byte[] pcSsn(final int pc, final int ssn) {
        return bytes(0x43, pc & 0xFF, pc >>> 8 & 0x3F, ssn);
    }

    /** UDT: type 09, class 0, pointers to called (3), calling, data; each part length-prefixed. */
    static byte[] udt(final byte[] called, final byte[] calling, final byte[] data) {
        return new ByteWriter()
            .u8(0x09)                                   // message type: UDT
            .u8(0x00)                                   // protocol class 0, no special options
            .u8(3)                                      // pointer to called party address
            .u8(3 + called.length)                      // pointer to calling party address (from its own octet)
            .u8(3 + called.length + calling.length)     // pointer to data
            .u8(called.length).bytes(called)
            .u8(calling.length).bytes(calling)
            .u8(data.length).bytes(data)
            .toByteArray();
    }

    /**
     * XUDT with a segmentation parameter (Q.713 §4.18, §3.17): type 11, class 1 (in sequence), hop
     * counter 15, four pointers, then called, calling, data, optional part (segmentation, end).
     */
    static byte[] xudt(final byte[] called, final byte[] calling, final byte[] data, final boolean first,
        final int remaining, final int localReference) {
        final ByteWriter w = new ByteWriter()
            .u8(0x11)                                   // message type: XUDT
            .u8(0x81)                                   // protocol class 1, return message on error
            .u8(15)                                     // hop counter
            .u8(4)                                      // pointer to called party address
            .u8(4 + called.length)                      // pointer to calling party address
            .u8(4 + called.length + calling.length)     // pointer to data
            .u8(4 + called.length + calling.length + data.length); // pointer to the optional part
        w.u8(called.length).bytes(called);
        w.u8(calling.length).bytes(calling);
        w.u8(data.length).bytes(data);
        w.u8(0x10).u8(4)                                // segmentation parameter, length 4
            .u8((first ? 0x80 : 0) | 0x40 | remaining)  // F, C = class 1, remaining segments
            .u8(localReference >>> 16).u8(localReference >>> 8).u8(localReference); // local reference
        return w.u8(0x00).toByteArray();                // end of optional parameters
    }

    /** The data split into XUDT segments of at most {@code size} octets. */
    static List<byte[]> xudtSegments(final byte[] called, final byte[] calling, final byte[] data, final int size,
        final int localReference) {
        final List<byte[]> out = new ArrayList<>();
        final int n = (data.length + size - 1) / size;
        for (int i = 0; i < n; i++) {
            final byte[] part = Packets.slice(data, i * size, Math.min(data.length, (i + 1) * size));
            out.add(xudt(called, calling, part, i == 0, n - 1 - i, localReference));
        }
        return out;
    }

    /** LUDT (Q.713 §4.19): type 13, class 0, hop counter, 2-octet pointers, 2-octet data length, no optional part. */
    static byte[] ludt(final byte[] called, final byte[] calling, final byte[] data) {
        final ByteWriter w = new ByteWriter()
            .u8(0x13)                                   // message type: LUDT
            .u8(0x00)                                   // protocol class 0
            .u8(15);                                    // hop counter
        // each 2-octet pointer counts from its own second (most significant) octet
        final int p1 = 7;                               // to the called address
        final int p2 = 5 + 1 + called.length;           // to the calling address
        final int p3 = 3 + 1 + called.length + 1 + calling.length; // to the long data
        w.u8(p1).u8(0)                                  // pointer to called (2 octets, least significant first)
            .u8(p2).u8(0)                               // pointer to calling
            .u8(p3 & 0xFF).u8(p3 >>> 8)                 // pointer to long data
            .u8(0).u8(0);                               // pointer to optional part: none
        w.u8(called.length).bytes(called);
        w.u8(calling.length).bytes(calling);
        return w.u8(data.length & 0xFF).u8(data.length >>> 8) // long data length: 2 octets, least significant first
            .bytes(data).toByteArray();
    }

    // ---- M3UA (RFC 4666) ----------------------------------------------------------------------------

    /** DATA (class 1 type 1): Routing Context, Protocol Data (OPC, DPC, SI 3 = SCCP, NI 2, MP 0, SLS). */
    static byte[] m3uaData(final int routingContext, final int opc, final int dpc, final byte[] sccp) {
        final ByteWriter params = new ByteWriter()
            .u16(0x0006).u16(8).u32(routingContext)     // Routing Context
            .u16(0x0210).u16(16 + sccp.length)          // Protocol Data: tag, length (without padding)
            .u32(opc).u32(dpc)                          // OPC, DPC
            .u8(3)                                      // SI: SCCP
            .u8(2)                                      // NI: national network
            .u8(0)                                      // MP
            .u8(opc & 0x0F)                             // SLS
            .bytes(sccp);
        params.pad4();
        return m3ua(1, 1, params.toByteArray());
    }

    /** Common header: version 1, reserved, class, type, length (header included), then the parameters. */
    static byte[] m3ua(final int cls, final int type, final byte[] parameters) {
        return new ByteWriter()
            .u8(1)                                      // version: release 1
            .u8(0)                                      // reserved
            .u8(cls)                                    // message class
            .u8(type)                                   // message type
            .u32(8 + parameters.length)                 // message length
            .bytes(parameters).toByteArray();
    }

    // ---- SCTP (RFC 4960) --------------------------------------------------------------------------

    /** DATA chunk, flags B|E, PPID 3 (M3UA). */
    static byte[] dataChunk(final int tsn, final int stream, final byte[] userData) {
        final int length = 16 + userData.length;
        final ByteWriter w = new ByteWriter()
            .u8(0)                                      // chunk type 0: DATA
            .u8(0x03)                                   // flags: B and E (an unfragmented user message)
            .u16(length)                                // chunk length without padding
            .u32(tsn)                                   // TSN
            .u16(stream)                                // stream identifier
            .u16(tsn & 0xFFFF)                          // stream sequence number
            .u32(3)                                     // payload protocol identifier 3: M3UA
            .bytes(userData);
        return w.zeros((4 - (length & 3)) & 3).toByteArray();
    }

    /** Common header (checksum 0: tshark does not verify it by default) and the chunks. */
    static byte[] sctp(final int srcPort, final int dstPort, final long verificationTag, final byte[]... chunks) {
        return new ByteWriter()
            .u16(srcPort)                               // source port
            .u16(dstPort)                               // destination port
            .u32(verificationTag)                       // verification tag: the receiver's, one per direction
            .u32(0)                                     // checksum
            .bytes(concat(chunks)).toByteArray();
    }
}
