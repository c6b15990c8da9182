package io.sigmatch.decoder.sip;

import java.util.concurrent.TimeUnit;

/**
 * Limits and settings of the SIP decoder. Every limit has a safe default; set what differs, then
 * {@link #conclude()} validates the whole (the decoder calls it).
 *
 * <pre>
 *   setting                 default    meaning
 *   maxMessageBytes         65535      longest message (headers + body) accepted; on a stream a longer one is
 *                                      not a message and the stream resynchronises. A UDP datagram carries at most
 *                                      65507 octets; IMS messages with SDP and all the P- headers stay under 4 KB
 *   maxLineBytes            8192       longest header line, folded continuation lines counted one by one
 *   maxHeaders              256        header fields per message (a continuation line is not a new field)
 *   maxFoldedLines          16         continuation lines of one header field (RFC 3261 7.3.1 folding)
 *   pendingRequests         16384      requests waiting for their final response at once
 *   answerTimeoutNs         32 s       capture time after which an unanswered non-INVITE request completes as
 *                                      unknown (RFC 3261 17.1.2.2 Timer F: 64*T1 = 32 s)
 *   inviteTimeoutNs         180 s      the same for an INVITE, whose final response may follow minutes of ringing
 *                                      (16.6 step 11: a proxy's Timer C is above 3 minutes)
 *   dialogTableEntries      65536      Call-IDs remembered with their subscriber (responses and in-dialog
 *                                      requests that lack identities resolve through it)
 *   dialogIdleExpiryNs      4 h        capture time after which an unused Call-ID is forgotten
 *   sweepSlotsPerAdvance    64         Call-ID table slots checked for expiry per advanceTime call
 *   countryCode             (decoder)  E.164 country code put before national numbers (DecoderConfig's by default)
 *   trunkPrefix             "0"        national trunk prefix dropped from local numbers ("0138..." -> 86138...)
 *   internationalPrefix     "00"       international call prefix read as '+' ("0044..." -> 44...)
 *   nationalMinDigits       7          a local number this long or longer (after the trunk prefix) is a national
 *                                      subscriber number and takes the country code; a shorter one is a short code
 *                                      or service number (10086, 114) and is kept as dialled, since the hotline
 *                                      lists of the rules name them so
 * </pre>
 */
public final class SipConfig {
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 65_535;
    public static final int MAX_LINE_BYTES_DEFAULT = 8192;
    public static final int MAX_HEADERS_DEFAULT = 256;
    public static final int MAX_FOLDED_LINES_DEFAULT = 16;
    public static final int PENDING_REQUESTS_DEFAULT = 1 << 14;
    public static final long ANSWER_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(32);
    public static final long INVITE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(180);
    public static final int DIALOG_TABLE_ENTRIES_DEFAULT = 1 << 16;
    public static final long DIALOG_IDLE_EXPIRY_NS_DEFAULT = TimeUnit.HOURS.toNanos(4);
    public static final int SWEEP_SLOTS_PER_ADVANCE_DEFAULT = 64;
    public static final int NATIONAL_MIN_DIGITS_DEFAULT = 7;
    /** The smallest message: "SIP/2.0 200 \r\n\r\n" or "ACK x SIP/2.0\r\n\r\n". */
    static final int MIN_MESSAGE_BYTES = 16;

    private int maxMessageBytes = MAX_MESSAGE_BYTES_DEFAULT;
    private int maxLineBytes = MAX_LINE_BYTES_DEFAULT;
    private int maxHeaders = MAX_HEADERS_DEFAULT;
    private int maxFoldedLines = MAX_FOLDED_LINES_DEFAULT;
    private int pendingRequests = PENDING_REQUESTS_DEFAULT;
    private long answerTimeoutNs = ANSWER_TIMEOUT_NS_DEFAULT;
    private long inviteTimeoutNs = INVITE_TIMEOUT_NS_DEFAULT;
    private int dialogTableEntries = DIALOG_TABLE_ENTRIES_DEFAULT;
    private long dialogIdleExpiryNs = DIALOG_IDLE_EXPIRY_NS_DEFAULT;
    private int sweepSlotsPerAdvance = SWEEP_SLOTS_PER_ADVANCE_DEFAULT;
    private int countryCode;
    private String trunkPrefix = "0";
    private String internationalPrefix = "00";
    private int nationalMinDigits = NATIONAL_MIN_DIGITS_DEFAULT;

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public SipConfig maxMessageBytes(final int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    public SipConfig maxLineBytes(final int bytes) {
        this.maxLineBytes = bytes;
        return this;
    }

    public int maxHeaders() {
        return maxHeaders;
    }

    public SipConfig maxHeaders(final int headers) {
        this.maxHeaders = headers;
        return this;
    }

    public int maxFoldedLines() {
        return maxFoldedLines;
    }

    public SipConfig maxFoldedLines(final int lines) {
        this.maxFoldedLines = lines;
        return this;
    }

    public int pendingRequests() {
        return pendingRequests;
    }

    public SipConfig pendingRequests(final int requests) {
        this.pendingRequests = requests;
        return this;
    }

    public long answerTimeoutNs() {
        return answerTimeoutNs;
    }

    public SipConfig answerTimeoutNs(final long ns) {
        this.answerTimeoutNs = ns;
        return this;
    }

    public long inviteTimeoutNs() {
        return inviteTimeoutNs;
    }

    public SipConfig inviteTimeoutNs(final long ns) {
        this.inviteTimeoutNs = ns;
        return this;
    }

    public int dialogTableEntries() {
        return dialogTableEntries;
    }

    public SipConfig dialogTableEntries(final int entries) {
        this.dialogTableEntries = entries;
        return this;
    }

    public long dialogIdleExpiryNs() {
        return dialogIdleExpiryNs;
    }

    public SipConfig dialogIdleExpiryNs(final long ns) {
        this.dialogIdleExpiryNs = ns;
        return this;
    }

    public int sweepSlotsPerAdvance() {
        return sweepSlotsPerAdvance;
    }

    public SipConfig sweepSlotsPerAdvance(final int slots) {
        this.sweepSlotsPerAdvance = slots;
        return this;
    }

    /** 0 until set: the decoder then takes {@link io.sigmatch.decoder.DecoderConfig#countryCode()}. */
    public int countryCode() {
        return countryCode;
    }

    public SipConfig countryCode(final int countryCode) {
        this.countryCode = countryCode;
        return this;
    }

    public String trunkPrefix() {
        return trunkPrefix;
    }

    public SipConfig trunkPrefix(final String prefix) {
        this.trunkPrefix = prefix;
        return this;
    }

    public String internationalPrefix() {
        return internationalPrefix;
    }

    public SipConfig internationalPrefix(final String prefix) {
        this.internationalPrefix = prefix;
        return this;
    }

    public int nationalMinDigits() {
        return nationalMinDigits;
    }

    public SipConfig nationalMinDigits(final int digits) {
        this.nationalMinDigits = digits;
        return this;
    }

    /** Checks every limit; throws IllegalArgumentException naming the first bad one. */
    public SipConfig conclude() {
        range("maxMessageBytes", maxMessageBytes, MIN_MESSAGE_BYTES, 1 << 24);
        range("maxLineBytes", maxLineBytes, 64, maxMessageBytes);
        range("maxHeaders", maxHeaders, 4, 1 << 16);
        range("maxFoldedLines", maxFoldedLines, 0, 1 << 10);
        range("pendingRequests", pendingRequests, 1, 1 << 24);
        range("dialogTableEntries", dialogTableEntries, 1, 1 << 25);
        range("sweepSlotsPerAdvance", sweepSlotsPerAdvance, 0, 1 << 20);
        range("countryCode", countryCode, 0, 999);
        range("nationalMinDigits", nationalMinDigits, 1, 15);
        if (answerTimeoutNs <= 0) {
            throw new IllegalArgumentException("answerTimeoutNs must be positive: " + answerTimeoutNs);
        }
        if (inviteTimeoutNs <= 0) {
            throw new IllegalArgumentException("inviteTimeoutNs must be positive: " + inviteTimeoutNs);
        }
        if (dialogIdleExpiryNs <= 0) {
            throw new IllegalArgumentException("dialogIdleExpiryNs must be positive: " + dialogIdleExpiryNs);
        }
        digitsOrEmpty("trunkPrefix", trunkPrefix);
        digitsOrEmpty("internationalPrefix", internationalPrefix);
        return this;
    }

    private static void digitsOrEmpty(final String name, final String value) {
        if (value == null || value.length() > 4 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " must be 0..4 digits: " + value);
        }
    }

    private static void range(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    @Override
    public String toString() {
        return "SipConfig{maxMessageBytes=" + maxMessageBytes + ", maxLineBytes=" + maxLineBytes + ", maxHeaders="
            + maxHeaders + ", maxFoldedLines=" + maxFoldedLines + ", pendingRequests=" + pendingRequests
            + ", answerTimeoutNs=" + answerTimeoutNs + ", dialogTableEntries=" + dialogTableEntries
            + ", countryCode=" + countryCode + ", trunkPrefix=" + trunkPrefix + ", internationalPrefix="
            + internationalPrefix + ", nationalMinDigits=" + nationalMinDigits + '}';
    }
}
