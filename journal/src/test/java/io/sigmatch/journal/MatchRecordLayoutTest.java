package io.sigmatch.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MatchRecordLayoutTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    // packed digit strings as the decoder's Digits makes them: digit count << 59 | value
    static long packed(final String digits) {
        return ((long) digits.length() << 59) | (digits.isEmpty() ? 0 : Long.parseLong(digits));
    }

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MatchRecordLayout.MAX_LENGTH + 16]);

    static MatchRecord fullRecord() {
        return new MatchRecord()
            .matchId(1_763_800_000_123_456_789L, MatchId.low(3, 7, 1))
            .timeNs(1_763_800_000_123_456_789L)
            .imsi(packed("001010123456789"))
            .msisdn(packed("8613800138000"))
            .imei(packed("35345678901234"))
            .plmn(packed("46000"))
            .tac(0x1234)
            .eci(0x0ABCDEF)
            .deliverAfterNs(1_763_830_000_000_000_000L)
            .latencyNs(12_345)
            .ruleId("airport-welcome")
            .snapshot("2026-11-22.1")
            .area("airport-T3")
            .payload("{\"campaign\":\"C123\",\"template\":\"T9\"}");
    }

    @Test
    void everyFieldSurvivesEncodeAndDecode() {
        final MatchRecord written = fullRecord();
        final int length = MatchRecordLayout.encode(written, buffer, 8);
        assertEquals(MatchRecordLayout.encodedLength(written), length);

        final MatchRecord read = new MatchRecord();
        assertEquals(MatchRecordLayout.VERSION_1, MatchRecordLayout.decode(buffer, 8, length, read));
        assertEquals(written.present(), read.present());
        assertEquals(written.matchIdHigh(), read.matchIdHigh());
        assertEquals(written.matchIdLow(), read.matchIdLow());
        assertEquals(written.timeNs(), read.timeNs());
        assertEquals(written.imsi(), read.imsi());
        assertEquals(written.msisdn(), read.msisdn());
        assertEquals(written.imei(), read.imei());
        assertEquals(written.plmn(), read.plmn());
        assertEquals(written.tac(), read.tac());
        assertEquals(written.cell(), read.cell());
        assertTrue(read.has(MatchRecord.ECI));
        assertEquals(written.deliverAfterNs(), read.deliverAfterNs());
        assertEquals(written.latencyNs(), read.latencyNs());
        assertEquals("airport-welcome", read.ruleId());
        assertEquals("2026-11-22.1", read.snapshot());
        assertEquals("airport-T3", read.area());
        assertEquals("{\"campaign\":\"C123\",\"template\":\"T9\"}", read.payload());
    }

    @Test
    void absentFieldsAreZeroOnDiskAndStayAbsent() {
        final MatchRecord written = new MatchRecord().matchId(1, 2).timeNs(3).msisdn(packed("447700900123"))
            .ruleId("r").snapshot("v1");
        final int length = MatchRecordLayout.encode(written, buffer, 0);
        assertEquals(MatchRecordLayout.HEADER_LENGTH + 1 + 2, length);
        assertEquals(0, buffer.getLong(MatchRecordLayout.IMSI_OFFSET, LE));
        assertEquals(0, buffer.getLong(MatchRecordLayout.CELL_OFFSET, LE));

        final MatchRecord read = fullRecord();
        assertEquals(MatchRecordLayout.VERSION_1, MatchRecordLayout.decode(buffer, 0, length, read));
        assertEquals(MatchRecord.MSISDN, read.present());
        assertFalse(read.has(MatchRecord.PAYLOAD));
        assertEquals(0, read.payloadLength());
        assertEquals(0, read.areaLength());
    }

    /** A version 1 record written out field by field, as a reader built from the layout doc would. */
    @Test
    void readsARecordBuiltByteByByteFromTheLayoutDiagram() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        le(out, 1, 2);                                   // version 1
        le(out, MatchRecord.IMSI | MatchRecord.PLMN | MatchRecord.LAC | MatchRecord.CI | MatchRecord.PAYLOAD, 2);
        le(out, 0, 4);                                   // reserved
        le(out, 0x0102030405060708L, 8);                 // match id, high half
        le(out, 0x1112131415161718L, 8);                 // match id, low half
        le(out, 1_700_000_000_000_000_001L, 8);          // capture time, epoch ns
        le(out, packed("310150123456789"), 8);           // IMSI, 15 digits
        le(out, 0, 8);                                   // MSISDN absent
        le(out, 0, 8);                                   // IMEI absent
        le(out, packed("310150"), 8);                    // PLMN: MCC 310 with a 3-digit MNC (E.212)
        le(out, 0xBEEF, 8);                              // CI (TS 23.003 4.3.1: 16 bits)
        le(out, 0, 4);                                   // TAC absent
        le(out, 0x1F2E, 4);                              // LAC
        le(out, 0, 8);                                   // deliver after absent
        le(out, 999, 8);                                 // latency ns
        out.write(3);                                    // rule id length
        out.write(2);                                    // snapshot length
        out.write(0);                                    // area length
        out.write(0);                                    // reserved
        le(out, 7, 4);                                   // payload length
        out.writeBytes("r-1".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("v9".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("{\"a\":1}".getBytes(StandardCharsets.US_ASCII));
        final byte[] bytes = out.toByteArray();

        final MatchRecord read = new MatchRecord();
        assertEquals(1, MatchRecordLayout.decode(new UnsafeBuffer(bytes), 0, bytes.length, read));
        assertEquals(0x0102030405060708L, read.matchIdHigh());
        assertEquals(0x1112131415161718L, read.matchIdLow());
        assertEquals(1_700_000_000_000_000_001L, read.timeNs());
        assertEquals(packed("310150123456789"), read.imsi());
        assertEquals(packed("310150"), read.plmn());
        assertTrue(read.has(MatchRecord.CI));
        assertEquals(0xBEEF, read.cell());
        assertEquals(0x1F2E, read.lac());
        assertEquals(999, read.latencyNs());
        assertEquals("r-1", read.ruleId());
        assertEquals("v9", read.snapshot());
        assertEquals("{\"a\":1}", read.payload());

        // and the encoder writes exactly these bytes back
        final int length = MatchRecordLayout.encode(read, buffer, 0);
        final byte[] again = new byte[length];
        buffer.getBytes(0, again);
        assertEquals(java.util.HexFormat.of().formatHex(bytes), java.util.HexFormat.of().formatHex(again));
    }

    @Test
    void longestTextFieldsFit() {
        final String name = "n".repeat(MatchRecord.MAX_NAME_LENGTH);
        final String payload = "\"" + "p".repeat(MatchRecord.MAX_PAYLOAD_LENGTH - 2) + "\"";
        final MatchRecord written = new MatchRecord().ruleId(name).snapshot(name).area(name).payload(payload);
        final int length = MatchRecordLayout.encode(written, buffer, 0);
        assertEquals(MatchRecordLayout.MAX_LENGTH, length);
        final MatchRecord read = new MatchRecord();
        assertEquals(1, MatchRecordLayout.decode(buffer, 0, length, read));
        assertEquals(name, read.area());
        assertEquals(payload, read.payload());
    }

    @Test
    void textLongerThanTheLayoutAllowsIsRefusedAtTheSetter() {
        final MatchRecord r = new MatchRecord();
        assertThrows(IllegalArgumentException.class, () -> r.ruleId("x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> r.payload("x".repeat(65_536)));
    }

    @Test
    void settingOneCellKindClearsTheOthers() {
        final MatchRecord r = new MatchRecord().eci(1).nci(2);
        assertFalse(r.has(MatchRecord.ECI));
        assertTrue(r.has(MatchRecord.NCI));
        assertEquals(2, r.cell());
    }

    // ---- records that cannot be read: one test per reason --------------------------------------

    private int encodeMinimal() {
        return MatchRecordLayout.encode(new MatchRecord().ruleId("r").snapshot("s"), buffer, 0);
    }

    @Test
    void fewerBytesThanAVersionIsTruncated() {
        assertEquals(MatchRecordLayout.TRUNCATED, MatchRecordLayout.decode(buffer, 0, 1, new MatchRecord()));
    }

    @Test
    void unknownVersionIsRefused() {
        final int length = encodeMinimal();
        buffer.putShort(0, (short) 2, LE);
        assertEquals(MatchRecordLayout.UNKNOWN_VERSION, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
        buffer.putShort(0, (short) 0, LE);
        assertEquals(MatchRecordLayout.UNKNOWN_VERSION, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
    }

    @Test
    void shorterThanTheFixedPartIsTruncated() {
        encodeMinimal();
        assertEquals(MatchRecordLayout.TRUNCATED,
            MatchRecordLayout.decode(buffer, 0, MatchRecordLayout.HEADER_LENGTH - 1, new MatchRecord()));
    }

    @Test
    void textRunningPastTheRecordIsTruncated() {
        final int length = encodeMinimal();
        assertEquals(MatchRecordLayout.TRUNCATED, MatchRecordLayout.decode(buffer, 0, length - 1, new MatchRecord()));
    }

    @Test
    void bytesAfterTheTextAreMalformed() {
        final int length = encodeMinimal();
        assertEquals(MatchRecordLayout.MALFORMED, MatchRecordLayout.decode(buffer, 0, length + 1, new MatchRecord()));
    }

    @Test
    void unknownPresenceBitIsMalformed() {
        final int length = encodeMinimal();
        buffer.putShort(MatchRecordLayout.PRESENT_OFFSET, (short) (MatchRecord.ALL_FIELDS + 1), LE);
        assertEquals(MatchRecordLayout.MALFORMED, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
    }

    @Test
    void twoCellKindsAtOnceAreMalformed() {
        final int length = encodeMinimal();
        buffer.putShort(MatchRecordLayout.PRESENT_OFFSET, (short) (MatchRecord.ECI | MatchRecord.NCI), LE);
        assertEquals(MatchRecordLayout.MALFORMED, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
    }

    @Test
    void areaTextWithoutItsPresenceBitIsMalformed() {
        final int length = MatchRecordLayout.encode(new MatchRecord().ruleId("r").snapshot("s").area("a"), buffer, 0);
        buffer.putShort(MatchRecordLayout.PRESENT_OFFSET, (short) 0, LE);
        assertEquals(MatchRecordLayout.MALFORMED, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
    }

    @Test
    void payloadLengthBeyondTheLimitIsMalformed() {
        final int length = MatchRecordLayout.encode(new MatchRecord().payload("1"), buffer, 0);
        buffer.putInt(MatchRecordLayout.PAYLOAD_LENGTH_OFFSET, MatchRecord.MAX_PAYLOAD_LENGTH + 1, LE);
        assertEquals(MatchRecordLayout.MALFORMED, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
        buffer.putInt(MatchRecordLayout.PAYLOAD_LENGTH_OFFSET, -1, LE);
        assertEquals(MatchRecordLayout.MALFORMED, MatchRecordLayout.decode(buffer, 0, length, new MatchRecord()));
    }

    private static void le(final ByteArrayOutputStream out, final long value, final int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }
}
