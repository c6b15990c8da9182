package io.sigmatch.decoder.diameter;

import static io.sigmatch.decoder.diameter.DiameterAvpCode.VENDOR_3GPP;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.correlate.PendingRequestTable;
import io.sigmatch.decoder.correlate.SubscriberTable;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Diameter (RFC 6733) decoder for one decoding thread, with the S6a/S6d, Gx, Gy, SGd, Sh and Cx
 * fields sigmatch needs. As a {@link StreamDecoder} it frames a TCP stream ({@link #messageLength},
 * {@link #findMessageStart}); as a {@link io.sigmatch.decoder.PayloadDecoder} it takes an SCTP user
 * message (or several messages back to back). Every message goes to {@link MessageSink#onMessage}
 * with the fields its own AVPs carry; requests are paired with their answers by hop-by-hop id,
 * end-to-end id and peer, and each completed procedure goes to {@link MessageSink#onProcedure} with
 * what the message lacked filled in from the Session-Id table (marked resolved). See the package
 * documentation for which AVP is "the" IMSI, MSISDN, IMEI and location, and the event rules.
 *
 * <p>Hot path: reads at offsets of the caller's buffer, two reused {@link SignalingMessage}s, tables
 * of primitives sized at construction. Nothing is allocated per message and no exception is thrown
 * for any input; a malformed message bumps {@code decode.diameter.error.<reason>} and is dropped.
 */
public final class DiameterDecoder implements StreamDecoder {
    public static final String MESSAGES = "decode.diameter.messages";
    public static final String ERROR = "decode.diameter.error.";
    public static final String TRUNCATED = "truncated";
    public static final String BAD_VERSION = "bad_version";
    public static final String BAD_LENGTH = "bad_length";
    public static final String TOO_LONG = "too_long";
    public static final String BAD_FLAGS = "bad_flags";
    public static final String AVP_LENGTH = "avp_length";
    public static final String AVP_OVERFLOW = "avp_overflow";
    public static final String DEPTH = "depth";
    public static final String TOO_MANY_AVPS = "too_many_avps";
    public static final String TRAILING = "trailing";
    public static final String BAD_IMSI = "bad_imsi";
    public static final String BAD_MSISDN = "bad_msisdn";
    public static final String BAD_IMEI = "bad_imei";
    public static final String BAD_PLMN = "bad_plmn";
    public static final String BAD_ULI = "bad_uli";
    public static final String BAD_APN = "bad_apn";
    public static final String BAD_AVP = "bad_avp";

    public static final String CORRELATE = "correlate.diameter.";
    public static final String PAIRED = "paired";
    public static final String TIMED_OUT = "timed_out";
    public static final String FLUSHED = "flushed";
    public static final String ANSWER_WITHOUT_REQUEST = "answer_without_request";
    public static final String RETRANSMISSION = "retransmission";
    public static final String SUPERSEDED = "superseded";
    public static final String PENDING_EVICTED = "pending_evicted";
    public static final String SESSION_LEARNED = "session_learned";
    public static final String SESSION_RESOLVED = "session_resolved";
    public static final String SESSION_UNKNOWN = "session_unknown";
    public static final String SESSION_RELEASED = "session_released";
    public static final String SESSION_EXPIRED = "session_expired";
    public static final String SESSION_EVICTED = "session_evicted";

    private static final String UNKNOWN_REQUEST = "unknown request";
    private static final String UNKNOWN_ANSWER = "unknown answer";

    /** TS 23.003 2.2: an IMSI has 6..15 digits (MCC, MNC, at least one MSIN digit); E.164 at most 15. */
    private static final int MIN_IMSI_DIGITS = 6;
    private static final int MAX_IMSI_DIGITS = 15;
    private static final int MAX_MSISDN_DIGITS = 15;
    /** TS 23.003 6.2: TAC + SNR = 14 digits; + check digit = IMEI (15); + 2 SV digits = IMEISV (16). */
    private static final int IMEI_BODY_DIGITS = 14;
    private static final int IMEI_DIGITS = 15;
    private static final int IMEISV_DIGITS = 16;
    /** TS 29.272 7.3.5: Software-Version is 2 digits. */
    private static final int SV_DIGITS = 2;
    /** TBCD-coded IMEISV (TS 29.060 7.7.53 / TS 29.274 8.10): 8 octets. */
    private static final int IMEISV_TBCD_OCTETS = 8;

    private static final int WALK_OK = 0;
    private static final int WALK_AVP_LENGTH = 1;
    private static final int WALK_AVP_OVERFLOW = 2;
    private static final int WALK_DEPTH = 3;
    private static final int WALK_TOO_MANY = 4;

    private static final int HEADER_OK_MIN = 0;
    private static final int H_TRUNCATED = -1;
    private static final int H_BAD_VERSION = -2;
    private static final int H_BAD_LENGTH = -3;
    private static final int H_TOO_LONG = -4;
    private static final int H_BAD_FLAGS = -5;

    private static final int SEEN_IMSI = 1;
    private static final int SEEN_MSISDN = 1 << 1;
    private static final int SEEN_IMEI = 1 << 2;
    private static final int SEEN_SESSION = 1 << 3;
    private static final int SEEN_RESULT = 1 << 4;
    private static final int SEEN_EXPERIMENTAL = 1 << 5;
    private static final int SEEN_CC_TYPE = 1 << 6;
    private static final int SEEN_ULR_FLAGS = 1 << 7;
    private static final int SEEN_VISITED = 1 << 8;
    private static final int SEEN_SGSN_PLMN = 1 << 9;
    private static final int SEEN_RAT = 1 << 10;
    private static final int SEEN_ULI = 1 << 11;
    private static final int SEEN_APN = 1 << 12;

    /** Pending attachments: 0 = Session-Id key, 1 = CC-Request-Type, 2 = ULR-Flags. */
    private static final int ATTACH_SESSION = 0;
    private static final int ATTACH_CC_TYPE = 1;
    private static final int ATTACH_ULR_FLAGS = 2;
    private static final int ATTACHMENTS = 3;
    private static final long NO_KEY = 0;

    private static final int LOCATION_FIELDS = SignalingMessage.CELL_PLMN | SignalingMessage.TAC | SignalingMessage.LAC
        | SignalingMessage.ECI | SignalingMessage.CI | SignalingMessage.SAC | SignalingMessage.NCI;

    private final DiameterConfig config;
    private final int countryCode;
    private final long[] homePlmns;
    private final GeographicLocation uli = new GeographicLocation();
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();
    private final SubscriberTable sessions;
    private final PendingRequestTable pending;

    // per-message scratch, reset before each message
    private int application;
    private int seen;
    private int avpCount;
    private long resultCode;
    private long experimentalCode;
    private int ccRequestType;
    private int ulrFlags;
    private long sessionKey;
    // per grouped-AVP scratch (Subscription-Id, User-Equipment-Info, Terminal-Information)
    private int subIdType;
    private int subIdData;
    private int subIdDataLength;
    private int ueiType;
    private int ueiValue;
    private int ueiValueLength;
    private int imeiValue;
    private int imeiLength;
    private int svValue;
    private int svLength;

    private final AtomicCounter messages;
    private final AtomicCounter truncated;
    private final AtomicCounter badVersion;
    private final AtomicCounter badLength;
    private final AtomicCounter tooLong;
    private final AtomicCounter badFlags;
    private final AtomicCounter avpLength;
    private final AtomicCounter avpOverflow;
    private final AtomicCounter depth;
    private final AtomicCounter tooManyAvps;
    private final AtomicCounter trailing;
    private final AtomicCounter badImsi;
    private final AtomicCounter badMsisdn;
    private final AtomicCounter badImei;
    private final AtomicCounter badPlmn;
    private final AtomicCounter badUli;
    private final AtomicCounter badApn;
    private final AtomicCounter badAvp;
    private final AtomicCounter paired;
    private final AtomicCounter timedOut;
    private final AtomicCounter flushed;
    private final AtomicCounter answerWithoutRequest;
    private final AtomicCounter retransmission;
    private final AtomicCounter superseded;
    private final AtomicCounter pendingEvicted;
    private final AtomicCounter sessionLearned;
    private final AtomicCounter sessionResolved;
    private final AtomicCounter sessionUnknown;
    private final AtomicCounter sessionReleased;
    private final AtomicCounter sessionExpired;
    private final AtomicCounter sessionEvicted;
    private long evictionsSeen;

    /**
     * @param countryCode E.164 country code that puts national numbers (tel: URIs without '+')
     *                    into international form ({@link io.sigmatch.decoder.DecoderConfig#countryCode()})
     */
    public DiameterDecoder(final Counters counters, final DiameterConfig config, final int countryCode) {
        this.config = config.conclude();
        if (countryCode < 1 || countryCode > 999) {
            throw new IllegalArgumentException("countryCode must be 1..999: " + countryCode);
        }
        this.countryCode = countryCode;
        this.homePlmns = config.homePlmnArray().clone();
        sessions = new SubscriberTable(config.sessionTableEntries(), config.sessionIdleExpiryNs());
        pending = new PendingRequestTable(config.pendingRequests(), ATTACHMENTS);
        messages = counters.counter(MESSAGES);
        truncated = counters.counter(ERROR + TRUNCATED);
        badVersion = counters.counter(ERROR + BAD_VERSION);
        badLength = counters.counter(ERROR + BAD_LENGTH);
        tooLong = counters.counter(ERROR + TOO_LONG);
        badFlags = counters.counter(ERROR + BAD_FLAGS);
        avpLength = counters.counter(ERROR + AVP_LENGTH);
        avpOverflow = counters.counter(ERROR + AVP_OVERFLOW);
        depth = counters.counter(ERROR + DEPTH);
        tooManyAvps = counters.counter(ERROR + TOO_MANY_AVPS);
        trailing = counters.counter(ERROR + TRAILING);
        badImsi = counters.counter(ERROR + BAD_IMSI);
        badMsisdn = counters.counter(ERROR + BAD_MSISDN);
        badImei = counters.counter(ERROR + BAD_IMEI);
        badPlmn = counters.counter(ERROR + BAD_PLMN);
        badUli = counters.counter(ERROR + BAD_ULI);
        badApn = counters.counter(ERROR + BAD_APN);
        badAvp = counters.counter(ERROR + BAD_AVP);
        paired = counters.counter(CORRELATE + PAIRED);
        timedOut = counters.counter(CORRELATE + TIMED_OUT);
        flushed = counters.counter(CORRELATE + FLUSHED);
        answerWithoutRequest = counters.counter(CORRELATE + ANSWER_WITHOUT_REQUEST);
        retransmission = counters.counter(CORRELATE + RETRANSMISSION);
        superseded = counters.counter(CORRELATE + SUPERSEDED);
        pendingEvicted = counters.counter(CORRELATE + PENDING_EVICTED);
        sessionLearned = counters.counter(CORRELATE + SESSION_LEARNED);
        sessionResolved = counters.counter(CORRELATE + SESSION_RESOLVED);
        sessionUnknown = counters.counter(CORRELATE + SESSION_UNKNOWN);
        sessionReleased = counters.counter(CORRELATE + SESSION_RELEASED);
        sessionExpired = counters.counter(CORRELATE + SESSION_EXPIRED);
        sessionEvicted = counters.counter(CORRELATE + SESSION_EVICTED);
    }

    public DiameterConfig config() {
        return config;
    }

    /** Session-Ids currently known (for tests and the status page; never the identities). */
    public int sessionTableSize() {
        return sessions.size();
    }

    /** Requests waiting for their answer. */
    public int pendingRequests() {
        return pending.size();
    }

    // ---- framing ------------------------------------------------------------------------------

    @Override
    public int messageLength(final ByteBuf buffer, final int offset, final int available) {
        if (available < DiameterHeader.FLAGS_OFFSET) {
            return NEED_MORE;
        }
        if (buffer.getUnsignedByte(offset + DiameterHeader.VERSION_OFFSET) != DiameterHeader.VERSION) {
            return NOT_A_MESSAGE;
        }
        final int length = buffer.getUnsignedMedium(offset + DiameterHeader.LENGTH_OFFSET);
        if (length < DiameterHeader.LENGTH || (length & 3) != 0 || length > config.maxMessageBytes()) {
            return NOT_A_MESSAGE;
        }
        if (available > DiameterHeader.FLAGS_OFFSET
            && !flagsValid(buffer.getUnsignedByte(offset + DiameterHeader.FLAGS_OFFSET))) {
            return NOT_A_MESSAGE;
        }
        return available < length ? NEED_MORE : length;
    }

    @Override
    public int findMessageStart(final ByteBuf buffer, final int offset, final int available) {
        for (int i = 0; i + DiameterHeader.LENGTH <= available; i++) {
            if (plausibleHeader(buffer, offset + i, available - i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A header sigmatch would start decoding at: version 1, a Message Length that is a multiple of 4
     * within the limit, reserved flag bits zero, no E flag on a request (RFC 6733 §3), and either a
     * command sigmatch knows or, when its first AVP is in the available bytes, a first AVP whose
     * length fits the message and whose reserved flag bits are zero.
     */
    public boolean plausibleHeader(final ByteBuf buffer, final int offset, final int available) {
        if (available < DiameterHeader.LENGTH) {
            return false;
        }
        final int length = messageLength(buffer, offset, available);
        if (length == NOT_A_MESSAGE) {
            return false;
        }
        final int messageLength = buffer.getUnsignedMedium(offset + DiameterHeader.LENGTH_OFFSET);
        final int code = buffer.getUnsignedMedium(offset + DiameterHeader.COMMAND_CODE_OFFSET);
        if (DiameterCommand.isKnown(code)) {
            return true;
        }
        if (messageLength < DiameterHeader.LENGTH + DiameterAvp.HEADER_LENGTH
            || available < DiameterHeader.LENGTH + DiameterAvp.HEADER_LENGTH) {
            return false;
        }
        final int avp = offset + DiameterHeader.LENGTH;
        final int flags = buffer.getUnsignedByte(avp + DiameterAvp.FLAGS_OFFSET);
        final int avpLen = buffer.getUnsignedMedium(avp + DiameterAvp.LENGTH_OFFSET);
        final int minimum = (flags & DiameterAvp.FLAG_VENDOR) != 0 ? DiameterAvp.HEADER_LENGTH_WITH_VENDOR
            : DiameterAvp.HEADER_LENGTH;
        return (flags & 0x1F) == 0 && avpLen >= minimum && avpLen <= messageLength - DiameterHeader.LENGTH;
    }

    private static boolean flagsValid(final int flags) {
        // §3: reserved bits are 0; the E bit is never set on a request
        return (flags & DiameterHeader.FLAGS_RESERVED) == 0
            && (flags & (DiameterHeader.FLAG_REQUEST | DiameterHeader.FLAG_ERROR))
                != (DiameterHeader.FLAG_REQUEST | DiameterHeader.FLAG_ERROR);
    }

    // ---- wire ---------------------------------------------------------------------------------

    @Override
    public void decode(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length,
        final MessageSink sink) {
        if (length <= 0) {
            truncated.increment();
            return;
        }
        final int end = offset + length;
        int at = offset;
        // one SCTP user message or one framed TCP message is one Diameter message; messages sent
        // back to back in one payload are decoded in turn
        while (at < end) {
            final int total = checkHeader(buffer, at, end - at);
            if (total < HEADER_OK_MIN) {
                countHeaderError(total, at > offset);
                return;
            }
            decodeMessage(packet, buffer, at, total, sink);
            at += total;
        }
    }

    /** The message's total length, or a negative status. */
    private int checkHeader(final ByteBuf buf, final int at, final int available) {
        if (available < DiameterHeader.LENGTH) {
            return H_TRUNCATED;
        }
        if (buf.getUnsignedByte(at + DiameterHeader.VERSION_OFFSET) != DiameterHeader.VERSION) {
            return H_BAD_VERSION;
        }
        final int length = buf.getUnsignedMedium(at + DiameterHeader.LENGTH_OFFSET);
        if (length < DiameterHeader.LENGTH || (length & 3) != 0) {
            return H_BAD_LENGTH;
        }
        if (length > config.maxMessageBytes()) {
            return H_TOO_LONG;
        }
        if (length > available) {
            return H_TRUNCATED;
        }
        if (!flagsValid(buf.getUnsignedByte(at + DiameterHeader.FLAGS_OFFSET))) {
            return H_BAD_FLAGS;
        }
        return length;
    }

    private void countHeaderError(final int status, final boolean afterAMessage) {
        if (afterAMessage && status == H_TRUNCATED) {
            // a few octets after a complete message that cannot be another one
            trailing.increment();
            return;
        }
        switch (status) {
            case H_TRUNCATED:
                truncated.increment();
                break;
            case H_BAD_VERSION:
                badVersion.increment();
                break;
            case H_BAD_LENGTH:
                badLength.increment();
                break;
            case H_TOO_LONG:
                tooLong.increment();
                break;
            default:
                badFlags.increment();
                break;
        }
    }

    private void decodeMessage(final PacketInfo packet, final ByteBuf buf, final int at, final int total,
        final MessageSink sink) {
        final int flags = buf.getUnsignedByte(at + DiameterHeader.FLAGS_OFFSET);
        final int code = buf.getUnsignedMedium(at + DiameterHeader.COMMAND_CODE_OFFSET);
        final boolean request = (flags & DiameterHeader.FLAG_REQUEST) != 0;
        application = buf.getInt(at + DiameterHeader.APPLICATION_ID_OFFSET);
        final int hopByHop = buf.getInt(at + DiameterHeader.HOP_BY_HOP_OFFSET);
        final int endToEnd = buf.getInt(at + DiameterHeader.END_TO_END_OFFSET);

        final SignalingMessage m = message.reset();
        m.header(packet.frame, packet.timeNs, packet.sourceId);
        seen = 0;
        avpCount = 0;
        resultCode = -1;
        experimentalCode = -1;
        ccRequestType = 0;
        ulrFlags = 0;
        sessionKey = NO_KEY;

        final int walk = walk(buf, at + DiameterHeader.LENGTH, at + total, 0, 0, m);
        if (walk != WALK_OK) {
            switch (walk) {
                case WALK_AVP_LENGTH:
                    avpLength.increment();
                    break;
                case WALK_AVP_OVERFLOW:
                    avpOverflow.increment();
                    break;
                case WALK_DEPTH:
                    depth.increment();
                    break;
                default:
                    tooManyAvps.increment();
                    break;
            }
            return;
        }
        String name = DiameterCommand.name(code, request, ccRequestType);
        if (name == null) {
            name = request ? UNKNOWN_REQUEST : UNKNOWN_ANSWER;
        }
        m.message(Protocol.DIAMETER, code, name, request);
        if (!request) {
            final Outcome outcome = outcomeOf(resultCode >= 0 ? resultCode : experimentalCode);
            if (outcome != null) {
                m.outcome(outcome);
            }
        }
        m.event(eventOf(code, ccRequestType, ulrFlags, m));
        messages.increment();
        sink.onMessage(m);
        correlate(packet, code, request, hopByHop, endToEnd, sink);
    }

    /**
     * Walks the AVPs in [from, limit): each header and length is checked against the limit of the
     * enclosing message or grouped AVP before it is used; the grouped AVPs sigmatch reads into are
     * walked to the configured depth, every other AVP is skipped by its padded length.
     */
    private int walk(final ByteBuf buf, final int from, final int limit, final int level, final int parent,
        final SignalingMessage m) {
        int at = from;
        while (at < limit) {
            if (++avpCount > config.maxAvpsPerMessage()) {
                return WALK_TOO_MANY;
            }
            if (limit - at < DiameterAvp.HEADER_LENGTH) {
                return WALK_AVP_OVERFLOW;
            }
            // code (32 bits), flags (8), length (24): the fixed 8 octets in one read
            final long fixed = buf.getLong(at + DiameterAvp.CODE_OFFSET);
            final int code = (int) (fixed >>> 32);
            final int flags = (int) (fixed >>> 24) & 0xFF;
            final int length = (int) fixed & 0xFFFFFF;
            final boolean vendorFlag = (flags & DiameterAvp.FLAG_VENDOR) != 0;
            final int header = vendorFlag ? DiameterAvp.HEADER_LENGTH_WITH_VENDOR : DiameterAvp.HEADER_LENGTH;
            // §4.1: the length covers the header; a shorter one (0 included) would never advance
            if (length < header) {
                return WALK_AVP_LENGTH;
            }
            if (length > limit - at) {
                return WALK_AVP_OVERFLOW;
            }
            final int vendor = vendorFlag ? buf.getInt(at + DiameterAvp.VENDOR_ID_OFFSET) : 0;
            final int value = at + header;
            final int valueLength = length - header;
            if (isGrouped(code, vendor)) {
                if (level + 1 > config.maxAvpDepth()) {
                    return WALK_DEPTH;
                }
                beginGroup(code);
                final int inner = walk(buf, value, value + valueLength, level + 1, groupId(code, vendor), m);
                if (inner != WALK_OK) {
                    return inner;
                }
                endGroup(buf, code, m);
            } else {
                read(buf, code, vendor, parent, value, valueLength, m);
            }
            // padding after the last AVP of a message or group may be missing: stop at the limit
            final int next = at + DiameterAvp.padded(length);
            at = next > limit || next < at ? limit : next;
        }
        return WALK_OK;
    }

    /** Parent ids for reading context: the code of a 3GPP grouped AVP is offset so it cannot clash. */
    private static int groupId(final int code, final int vendor) {
        return vendor == VENDOR_3GPP ? code | 0x40000000 : code;
    }

    private static final int G_TERMINAL = DiameterAvpCode.TERMINAL_INFORMATION | 0x40000000;
    private static final int G_SUBSCRIPTION_DATA = DiameterAvpCode.SUBSCRIPTION_DATA | 0x40000000;
    private static final int G_USER_IDENTITY = DiameterAvpCode.USER_IDENTITY | 0x40000000;
    private static final int G_USER_IDENTIFIER = DiameterAvpCode.USER_IDENTIFIER | 0x40000000;
    private static final int G_PS_INFORMATION = DiameterAvpCode.PS_INFORMATION | 0x40000000;

    /** The grouped AVPs whose members sigmatch reads (RFC 4006, TS 29.272, 29.329, 29.336, 32.299). */
    static boolean isGrouped(final int code, final int vendor) {
        if (vendor == 0) {
            return code == DiameterAvpCode.SUBSCRIPTION_ID || code == DiameterAvpCode.USER_EQUIPMENT_INFO
                || code == DiameterAvpCode.EXPERIMENTAL_RESULT;
        }
        if (vendor == VENDOR_3GPP) {
            return code == DiameterAvpCode.SUBSCRIPTION_DATA || code == DiameterAvpCode.TERMINAL_INFORMATION
                || code == DiameterAvpCode.USER_IDENTITY || code == DiameterAvpCode.USER_IDENTIFIER
                || code == DiameterAvpCode.SERVICE_INFORMATION || code == DiameterAvpCode.PS_INFORMATION;
        }
        return false;
    }

    private void beginGroup(final int code) {
        if (code == DiameterAvpCode.SUBSCRIPTION_ID) {
            subIdType = -1;
            subIdData = -1;
        } else if (code == DiameterAvpCode.USER_EQUIPMENT_INFO) {
            ueiType = -1;
            ueiValue = -1;
        } else if (code == DiameterAvpCode.TERMINAL_INFORMATION) {
            imeiValue = -1;
            svValue = -1;
        }
    }

    /** Grouped AVPs whose members only mean something together are judged when the group ends. */
    private void endGroup(final ByteBuf buf, final int code, final SignalingMessage m) {
        if (code == DiameterAvpCode.SUBSCRIPTION_ID) {
            if (subIdData < 0) {
                return;
            }
            if (subIdType == DiameterAvpCode.END_USER_IMSI) {
                readImsiDigits(buf, subIdData, subIdDataLength, m);
            } else if (subIdType == DiameterAvpCode.END_USER_E164) {
                readE164Text(buf, subIdData, subIdDataLength, m);
            }
        } else if (code == DiameterAvpCode.USER_EQUIPMENT_INFO) {
            if (ueiType == DiameterAvpCode.UEI_IMEISV && ueiValue >= 0) {
                readImeiValue(buf, ueiValue, ueiValueLength, m);
            }
        } else if (code == DiameterAvpCode.TERMINAL_INFORMATION) {
            if (imeiValue >= 0) {
                readTerminalInformation(buf, m);
            }
        }
    }

    /** The AVPs sigmatch reads, each in the places the package documentation names; first one wins. */
    private void read(final ByteBuf buf, final int code, final int vendor, final int parent, final int value,
        final int length, final SignalingMessage m) {
        if (vendor == 0) {
            switch (code) {
                case DiameterAvpCode.USER_NAME:
                    if (parent == 0 || parent == G_USER_IDENTIFIER) {
                        readUserName(buf, value, length, m);
                    }
                    break;
                case DiameterAvpCode.SESSION_ID:
                    if (parent == 0 && first(SEEN_SESSION)) {
                        sessionKey = sessionKey(buf, value, length);
                    }
                    break;
                case DiameterAvpCode.RESULT_CODE:
                    if (parent == 0 && first(SEEN_RESULT)) {
                        resultCode = unsigned32(buf, value, length);
                    }
                    break;
                case DiameterAvpCode.EXPERIMENTAL_RESULT_CODE:
                    if (parent == DiameterAvpCode.EXPERIMENTAL_RESULT && first(SEEN_EXPERIMENTAL)) {
                        experimentalCode = unsigned32(buf, value, length);
                    }
                    break;
                case DiameterAvpCode.CC_REQUEST_TYPE:
                    if (parent == 0 && first(SEEN_CC_TYPE)) {
                        final long t = unsigned32(buf, value, length);
                        ccRequestType = t >= DiameterCommand.CC_INITIAL && t <= DiameterCommand.CC_EVENT ? (int) t : 0;
                    }
                    break;
                case DiameterAvpCode.CALLED_STATION_ID:
                    if ((parent == 0 || parent == G_PS_INFORMATION) && first(SEEN_APN)) {
                        readApn(buf, value, length, m);
                    }
                    break;
                case DiameterAvpCode.SUBSCRIPTION_ID_TYPE:
                    if (parent == DiameterAvpCode.SUBSCRIPTION_ID) {
                        final long t = unsigned32(buf, value, length);
                        subIdType = t < 0 ? -1 : (int) Math.min(t, Integer.MAX_VALUE);
                    }
                    break;
                case DiameterAvpCode.SUBSCRIPTION_ID_DATA:
                    if (parent == DiameterAvpCode.SUBSCRIPTION_ID && subIdData < 0) {
                        subIdData = value;
                        subIdDataLength = length;
                    }
                    break;
                case DiameterAvpCode.USER_EQUIPMENT_INFO_TYPE:
                    if (parent == DiameterAvpCode.USER_EQUIPMENT_INFO) {
                        final long t = unsigned32(buf, value, length);
                        ueiType = t < 0 ? -1 : (int) Math.min(t, Integer.MAX_VALUE);
                    }
                    break;
                case DiameterAvpCode.USER_EQUIPMENT_INFO_VALUE:
                    if (parent == DiameterAvpCode.USER_EQUIPMENT_INFO && ueiValue < 0) {
                        ueiValue = value;
                        ueiValueLength = length;
                    }
                    break;
                default:
                    break;
            }
            return;
        }
        if (vendor != VENDOR_3GPP) {
            return;
        }
        switch (code) {
            case DiameterAvpCode.VISITED_PLMN_ID:
                if (parent == 0 && first(SEEN_VISITED)) {
                    // TS 29.272 7.3.9: the PLMN identity octets of TS 24.008 10.5.1.13
                    if (length < GeographicLocation.PLMN_LENGTH) {
                        badAvp.increment();
                        break;
                    }
                    final long plmn = Plmn.fromTbcd(buf, value);
                    if (plmn == Digits.INVALID) {
                        badPlmn.increment();
                    } else {
                        m.servingPlmn(plmn);
                    }
                }
                break;
            case DiameterAvpCode.TGPP_SGSN_MCC_MNC:
                if ((parent == 0 || parent == G_PS_INFORMATION) && first(SEEN_SGSN_PLMN)
                    && !m.has(SignalingMessage.SERVING_PLMN)) {
                    // TS 29.061 16.4.7.2: UTF-8 MCC followed by a 2- or 3-digit MNC
                    final long plmn = asciiDigits(buf, value, length);
                    if (plmn == Digits.INVALID || (length != 5 && length != 6)) {
                        badPlmn.increment();
                    } else {
                        m.servingPlmn(plmn);
                    }
                }
                break;
            case DiameterAvpCode.RAT_TYPE:
                if (parent == 0 && first(SEEN_RAT)) {
                    final Rat rat = ratOf(unsigned32(buf, value, length));
                    if (rat != Rat.UNKNOWN) {
                        m.rat(rat);
                    }
                }
                break;
            case DiameterAvpCode.TGPP_USER_LOCATION_INFO:
                if ((parent == 0 || parent == G_PS_INFORMATION) && first(SEEN_ULI)) {
                    if (uli.wrap(buf, value, length)) {
                        readLocation(m);
                    } else {
                        badUli.increment();
                    }
                }
                break;
            case DiameterAvpCode.TGPP_IMEISV:
                if (parent == 0) {
                    readImeiValue(buf, value, length, m);
                }
                break;
            case DiameterAvpCode.ULR_FLAGS:
                if (parent == 0 && first(SEEN_ULR_FLAGS)) {
                    final long f = unsigned32(buf, value, length);
                    ulrFlags = f < 0 ? 0 : (int) f;
                }
                break;
            case DiameterAvpCode.IMEI:
                if (parent == G_TERMINAL && imeiValue < 0) {
                    imeiValue = value;
                    imeiLength = length;
                }
                break;
            case DiameterAvpCode.SOFTWARE_VERSION:
                if (parent == G_TERMINAL && svValue < 0) {
                    svValue = value;
                    svLength = length;
                }
                break;
            case DiameterAvpCode.MSISDN:
                if (parent == 0 || parent == G_SUBSCRIPTION_DATA || parent == G_USER_IDENTITY
                    || parent == G_USER_IDENTIFIER) {
                    readMsisdnTbcd(buf, value, length, m);
                }
                break;
            case DiameterAvpCode.PUBLIC_IDENTITY:
                if (parent == 0 || parent == G_USER_IDENTITY) {
                    readPublicIdentity(buf, value, length, m);
                }
                break;
            case DiameterAvpCode.SM_RP_UI:
                if (parent == 0) {
                    readShortMessage(buf, value, length, m);
                }
                break;
            case DiameterAvpCode.CX_USER_DATA:
            case DiameterAvpCode.SH_USER_DATA:
                if (parent == 0) {
                    readUserData(buf, value, value + length, m);
                }
                break;
            default:
                break;
        }
    }

    private boolean first(final int bit) {
        if ((seen & bit) != 0) {
            return false;
        }
        seen |= bit;
        return true;
    }

    /** An Unsigned32 / Enumerated value, or -1 when the AVP is not four octets. */
    private long unsigned32(final ByteBuf buf, final int value, final int length) {
        if (length != 4) {
            badAvp.increment();
            return -1;
        }
        return buf.getUnsignedInt(value);
    }

    // ---- identities ---------------------------------------------------------------------------

    /**
     * User-Name (RFC 6733 §8.14). On S6a/S6d and SGd it is the IMSI (TS 29.272 7.3.?, 29.338); on
     * Cx/Sh the IMPI, which is "IMSI@ims.mnc..mcc..3gppnetwork.org" when derived from the IMSI (TS
     * 23.003 13.3). It counts as an IMSI when it is 6..15 decimal digits, or, on Cx and Sh, when the
     * part before '@' is.
     */
    private void readUserName(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if ((seen & SEEN_IMSI) != 0) {
            return;
        }
        int n = length;
        if (application == DiameterCommand.APP_CX || application == DiameterCommand.APP_SH) {
            final int atSign = indexOf(buf, value, length, '@');
            if (atSign >= 0) {
                n = atSign - value;
            }
        }
        if (n < MIN_IMSI_DIGITS || n > MAX_IMSI_DIGITS) {
            return;
        }
        final long imsi = asciiDigits(buf, value, n);
        if (imsi != Digits.INVALID) {
            seen |= SEEN_IMSI;
            m.imsi(imsi);
        }
    }

    /** Subscription-Id-Data of type END_USER_IMSI (RFC 4006 §8.47): the IMSI as decimal text. */
    private void readImsiDigits(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if ((seen & SEEN_IMSI) != 0) {
            return;
        }
        final long imsi = length >= MIN_IMSI_DIGITS && length <= MAX_IMSI_DIGITS
            ? asciiDigits(buf, value, length) : Digits.INVALID;
        if (imsi == Digits.INVALID) {
            badImsi.increment();
            return;
        }
        seen |= SEEN_IMSI;
        m.imsi(imsi);
    }

    /**
     * Subscription-Id-Data of type END_USER_E164 (RFC 4006 §8.47: "in international E.164 format"):
     * decimal text, a leading '+' tolerated.
     */
    private void readE164Text(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if ((seen & SEEN_MSISDN) != 0) {
            return;
        }
        int from = value;
        int n = length;
        if (n > 0 && buf.getByte(from) == '+') {
            from++;
            n--;
        }
        final long msisdn = n >= 1 && n <= MAX_MSISDN_DIGITS ? asciiDigits(buf, from, n) : Digits.INVALID;
        if (msisdn == Digits.INVALID) {
            badMsisdn.increment();
            return;
        }
        seen |= SEEN_MSISDN;
        m.msisdn(msisdn);
    }

    /** MSISDN (TS 29.329 6.3.2, TS 29.272 7.3.x): E.164 international number as a TBCD string. */
    private void readMsisdnTbcd(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if ((seen & SEEN_MSISDN) != 0) {
            return;
        }
        final long msisdn = Digits.fromTbcd(buf, value, length);
        if (msisdn == Digits.INVALID || Digits.length(msisdn) < 1 || Digits.length(msisdn) > MAX_MSISDN_DIGITS) {
            badMsisdn.increment();
            return;
        }
        seen |= SEEN_MSISDN;
        m.msisdn(msisdn);
    }

    /**
     * Public-Identity (TS 29.229 6.3.2): a SIP or tel URI. tel: (RFC 3966) is always a number;
     * sip:/sips: is one when its user part starts with '+' or the URI has user=phone (RFC 3261
     * 19.1.6). Visual separators '-', '.', '(', ')' are dropped; the number ends at ';' or '@'. A
     * '+' number is international; one without is national: a leading 0 (trunk prefix) is dropped
     * and the configured country code put before it. A sip: user part of digits without '+' or
     * user=phone is an IMSI-derived temporary identity (TS 23.003 13.4B), not a number.
     */
    private void readPublicIdentity(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if ((seen & SEEN_MSISDN) != 0) {
            return;
        }
        final int end = value + length;
        int at;
        final boolean tel;
        if (startsWithIgnoreCase(buf, value, length, "tel:")) {
            at = value + 4;
            tel = true;
        } else if (startsWithIgnoreCase(buf, value, length, "sip:")) {
            at = value + 4;
            tel = false;
        } else if (startsWithIgnoreCase(buf, value, length, "sips:")) {
            at = value + 5;
            tel = false;
        } else {
            return;
        }
        final boolean plus = at < end && buf.getByte(at) == '+';
        if (plus) {
            at++;
        }
        if (!tel && !plus && indexOfSequence(buf, value, length, ";user=phone") < 0) {
            return;
        }
        long digits = Digits.NONE;
        int count = 0;
        for (; at < end; at++) {
            final byte c = buf.getByte(at);
            if (c == ';' || c == '@' || c == '?' || c == '>') {
                break;
            }
            if (c == '-' || c == '.' || c == '(' || c == ')') {
                continue;
            }
            if (c < '0' || c > '9' || ++count > MAX_MSISDN_DIGITS) {
                badMsisdn.increment();
                return;
            }
            digits = Digits.append(digits, c - '0');
        }
        if (count == 0) {
            badMsisdn.increment();
            return;
        }
        if (!plus) {
            digits = international(digits);
            if (digits == Digits.INVALID) {
                badMsisdn.increment();
                return;
            }
        }
        seen |= SEEN_MSISDN;
        m.msisdn(digits);
    }

    private static final String TAG_IDENTITY = "Identity>";
    private static final String TAG_IMS_PUBLIC_IDENTITY = "IMSPublicIdentity>";
    private static final String TAG_MSISDN = "MSISDN>";

    /**
     * User-Data XML: Cx (TS 29.228 Annex E IMSSubscription: ServiceProfile > PublicIdentity >
     * Identity) and Sh (TS 29.328 Annex D Sh-Data: PublicIdentifiers > IMSPublicIdentity, MSISDN).
     * The elements are taken in document order; the first that is a number is the MSISDN: an
     * Identity / IMSPublicIdentity by the Public-Identity rules, an MSISDN element as E.164 digits.
     * Scanned in place, text is never copied.
     */
    private void readUserData(final ByteBuf buf, final int from, final int end, final SignalingMessage m) {
        int at = from;
        while ((seen & SEEN_MSISDN) == 0 && at < end) {
            if (buf.getByte(at++) != '<') {
                continue;
            }
            final int tag;
            final boolean msisdn;
            if (startsWithIgnoreCase(buf, at, end - at, "identity>")) {
                tag = TAG_IDENTITY.length();
                msisdn = false;
            } else if (startsWithIgnoreCase(buf, at, end - at, "imspublicidentity>")) {
                tag = TAG_IMS_PUBLIC_IDENTITY.length();
                msisdn = false;
            } else if (startsWithIgnoreCase(buf, at, end - at, "msisdn>")) {
                tag = TAG_MSISDN.length();
                msisdn = true;
            } else {
                continue;
            }
            final int content = at + tag;
            int close = content;
            while (close < end && buf.getByte(close) != '<') {
                close++;
            }
            if (msisdn) {
                readE164Text(buf, content, close - content, m);
            } else {
                readPublicIdentity(buf, content, close - content, m);
            }
            at = close;
        }
    }

    /**
     * SM-RP-UI (TS 29.338 6.3.x, the TPDU of TS 23.040): an SMS-SUBMIT (TP-MTI 1, 9.2.2.2) names the
     * called party in TP-DA, an SMS-DELIVER (TP-MTI 0, 9.2.2.1) the calling party in TP-OA. Both
     * are address fields of 9.1.2.5: a digit count, a type-of-address octet, then TBCD digits. A
     * national number (type 2) takes the country code; an alphanumeric one (type 5) is not a number.
     */
    private void readShortMessage(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if (length < 1) {
            return;
        }
        final int mti = buf.getUnsignedByte(value) & 0x03;
        final int address;
        if (mti == 1) {
            address = value + 2;            // after the first octet and TP-MR
        } else if (mti == 0) {
            address = value + 1;
        } else {
            return;
        }
        final int end = value + length;
        if (end - address < 2) {
            badAvp.increment();
            return;
        }
        final int digits = buf.getUnsignedByte(address);
        final int typeOfNumber = (buf.getUnsignedByte(address + 1) >>> 4) & 0x07;
        final int octets = (digits + 1) / 2;
        if (typeOfNumber == 5) {
            return;
        }
        if (digits == 0 || digits > MAX_MSISDN_DIGITS || octets > end - address - 2) {
            badMsisdn.increment();
            return;
        }
        long number = Digits.fromTbcd(buf, address + 2, octets);
        if (number == Digits.INVALID || Digits.length(number) != digits) {
            badMsisdn.increment();
            return;
        }
        if (typeOfNumber == 2) {
            number = international(number);
            if (number == Digits.INVALID) {
                badMsisdn.increment();
                return;
            }
        }
        if (mti == 1) {
            m.called(number);
        } else {
            m.calling(number);
        }
    }

    /** A national number in international form: trunk prefix 0 dropped, country code put first. */
    private long international(final long national) {
        long n = national;
        if (Digits.length(n) > 1 && Digits.digitAt(n, 0) == 0) {
            n = Digits.pack(Digits.value(n), Digits.length(n) - 1);
        }
        final int ccDigits = countryCode >= 100 ? 3 : countryCode >= 10 ? 2 : 1;
        final int total = ccDigits + Digits.length(n);
        if (total > MAX_MSISDN_DIGITS) {
            return Digits.INVALID;
        }
        long pow = 1;
        for (int i = 0; i < Digits.length(n); i++) {
            pow *= 10;
        }
        return Digits.pack(countryCode * pow + Digits.value(n), total);
    }

    /**
     * Terminal-Information (TS 29.272 7.3.3): IMEI (7.3.4, UTF8String, 14 digits TAC + SNR, a 15th
     * check digit tolerated) and Software-Version (7.3.5, 2 digits); together they make the IMEISV.
     */
    private void readTerminalInformation(final ByteBuf buf, final SignalingMessage m) {
        if ((seen & SEEN_IMEI) != 0) {
            return;
        }
        final long imei = imeiLength == IMEI_BODY_DIGITS || imeiLength == IMEI_DIGITS
            ? asciiDigits(buf, imeiValue, imeiLength) : Digits.INVALID;
        if (imei == Digits.INVALID) {
            badImei.increment();
            return;
        }
        seen |= SEEN_IMEI;
        final long body = Digits.prefix(imei, IMEI_BODY_DIGITS);
        m.imei(body);
        if (svValue >= 0) {
            final long sv = svLength == SV_DIGITS ? asciiDigits(buf, svValue, svLength) : Digits.INVALID;
            if (sv == Digits.INVALID) {
                badImei.increment();
            } else {
                m.imeisv(Digits.pack(Digits.value(body) * 100 + Digits.value(sv), IMEISV_DIGITS));
            }
        }
    }

    /**
     * User-Equipment-Info-Value of type IMEISV (RFC 4006 §8.53) and 3GPP-IMEISV (TS 29.061
     * 16.4.7.2): the IMEI(SV) as decimal text (16 digits IMEISV, 15 IMEI, 14 TAC + SNR), or, as some
     * gateways copy it from GTP, 8 octets of TBCD. Anything else is bad_imei.
     */
    private void readImeiValue(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        if ((seen & SEEN_IMEI) != 0) {
            return;
        }
        long digits = length >= IMEI_BODY_DIGITS && length <= IMEISV_DIGITS
            ? asciiDigits(buf, value, length) : Digits.INVALID;
        if (digits == Digits.INVALID && length == IMEISV_TBCD_OCTETS) {
            digits = Digits.fromTbcd(buf, value, length);
        }
        final int n = digits == Digits.INVALID ? 0 : Digits.length(digits);
        if (n < IMEI_BODY_DIGITS || n > IMEISV_DIGITS) {
            badImei.increment();
            return;
        }
        seen |= SEEN_IMEI;
        m.imei(Digits.prefix(digits, IMEI_BODY_DIGITS));
        if (n == IMEISV_DIGITS) {
            m.imeisv(digits);
        }
    }

    /**
     * The location parts become the message's location, as for GTPv2: tac from the TAI (24 bits for
     * a 5GS TAI), eci from the ECGI, nci from the NCGI, lac + ci from a CGI, lac + sac from a SAI,
     * lac from a RAI; the PLMN is the cell's (or base station's) when there is one, else the TAI's.
     * An eNodeB ID names a base station, not a cell, so it gives only a PLMN.
     */
    private void readLocation(final SignalingMessage m) {
        final int type = uli.type();
        if (uli.hasTai()) {
            m.tac(uli.tac());
        }
        if (uli.hasCell()) {
            if (uli.isEcgi()) {
                m.eci(uli.eci());
            } else if (uli.isNcgi()) {
                m.nci(uli.nci());
            } else if (type == GeographicLocation.CGI) {
                m.lac(uli.lac());
                m.ci(uli.secondCode());
            } else if (type == GeographicLocation.SAI) {
                m.lac(uli.lac());
                m.sac(uli.secondCode());
            } else if (type == GeographicLocation.RAI) {
                m.lac(uli.lac());
            }
        }
        final long plmn = uli.hasCell() ? uli.cellPlmn() : uli.taiPlmn();
        if (plmn == Digits.INVALID) {
            badPlmn.increment();
        } else {
            m.cellPlmn(plmn);
        }
    }

    /** Called-Station-Id (RFC 7155 §4.2.7): the APN as text on Gx / Gy (TS 29.212, 29.061). */
    private void readApn(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        m.clearApn();
        if (length == 0 || length > SignalingMessage.APN_CAPACITY) {
            badApn.increment();
            return;
        }
        for (int i = 0; i < length; i++) {
            final byte b = buf.getByte(value + i);
            if (b < 0x21 || b > 0x7E) {
                m.clearApn();
                badApn.increment();
                return;
            }
            m.appendApn(b);
        }
    }

    /** TS 29.212 5.3.31 RAT-Type values onto the normalized names. */
    static Rat ratOf(final long code) {
        if (code == 0) {
            return Rat.WLAN;
        } else if (code == 1) {
            return Rat.VIRTUAL;
        } else if (code == 1000) {
            return Rat.UTRAN;
        } else if (code == 1001) {
            return Rat.GERAN;
        } else if (code == 1002) {
            return Rat.GAN;
        } else if (code == 1003) {
            return Rat.HSPA_EVOLUTION;
        } else if (code == 1004) {
            return Rat.EUTRAN;
        } else if (code == 1005) {
            return Rat.EUTRAN_NB_IOT;
        } else if (code == 1006) {
            return Rat.NR;
        } else if (code == 1007) {
            return Rat.LTE_M;
        }
        return Rat.UNKNOWN;
    }

    /** RFC 6733 §7.1: 2xxx success, 1xxx informational (no outcome yet), 3xxx..5xxx failures. */
    static Outcome outcomeOf(final long resultCode) {
        if (resultCode >= 2000 && resultCode < 3000) {
            return Outcome.ACCEPTED;
        }
        if (resultCode >= 3000 && resultCode < 6000) {
            return Outcome.REJECTED;
        }
        return null;
    }

    // ---- events -------------------------------------------------------------------------------

    /** The event a message or procedure stands for; see the package documentation. */
    EventKind eventOf(final int code, final int ccType, final int ulr, final SignalingMessage p) {
        EventKind kind = EventKind.NONE;
        switch (code) {
            case DiameterCommand.UPDATE_LOCATION:
                if ((ulr & DiameterAvpCode.ULR_INITIAL_ATTACH) != 0) {
                    kind = EventKind.POWER_ON;
                } else if (roaming(p)) {
                    kind = EventKind.ROAMING_REGISTRATION;
                } else {
                    kind = EventKind.LOCATION_UPDATE;
                }
                break;
            case DiameterCommand.PURGE_UE:
                kind = EventKind.POWER_OFF;
                break;
            case DiameterCommand.CREDIT_CONTROL:
                if (ccType == DiameterCommand.CC_INITIAL) {
                    kind = EventKind.DATA_SESSION_START;
                } else if (ccType == DiameterCommand.CC_TERMINATION) {
                    kind = EventKind.DATA_SESSION_END;
                } else if (ccType == DiameterCommand.CC_UPDATE && (p.present() & LOCATION_FIELDS) != 0) {
                    kind = EventKind.LOCATION_UPDATE;
                }
                break;
            case DiameterCommand.MO_FORWARD_SHORT_MESSAGE:
                kind = EventKind.SMS_MO;
                break;
            case DiameterCommand.MT_FORWARD_SHORT_MESSAGE:
                kind = EventKind.SMS_MT;
                break;
            default:
                break;
        }
        // an IMEI on the wire, not one the Session-Id table filled in
        if (kind == EventKind.NONE && p.onWire(SignalingMessage.IMEI)) {
            kind = EventKind.HANDSET_REPORTED;
        }
        return kind;
    }

    /**
     * A registration is roaming when its Visited-PLMN-Id is not home: not one of the configured home
     * PLMNs, or, with none configured, not the IMSI's own network (the IMSI does not begin with the
     * visited MCC + MNC digits). Without a visited PLMN, or without an IMSI and a home list, it is not.
     */
    boolean roaming(final SignalingMessage p) {
        if (!p.has(SignalingMessage.SERVING_PLMN)) {
            return false;
        }
        final long visited = p.servingPlmn();
        if (homePlmns.length > 0) {
            for (final long home : homePlmns) {
                if (home == visited) {
                    return false;
                }
            }
            return true;
        }
        if (!p.has(SignalingMessage.IMSI)) {
            return false;
        }
        return !Digits.startsWith(p.imsi(), visited);
    }

    // ---- correlation --------------------------------------------------------------------------

    private void correlate(final PacketInfo packet, final int code, final boolean request, final int hopByHop,
        final int endToEnd, final MessageSink sink) {
        final long now = packet.timeNs;
        if (!request) {
            final int slot = pending.find(exchangeKey(packet, hopByHop, endToEnd, false));
            if (slot >= 0 && pending.message(slot).messageType() == code) {
                completeWithAnswer(slot, now, sink);
            } else {
                completeAnswerAlone(now, sink);
            }
            return;
        }
        final long key = exchangeKey(packet, hopByHop, endToEnd, true);
        final int existing = pending.find(key);
        if (existing >= 0) {
            if (pending.message(existing).messageType() == code) {
                // RFC 6733 §3: a retransmission (T flag) keeps both ids; keep the first copy
                retransmission.increment();
                return;
            }
            superseded.increment();
            completeUnanswered(existing, sink);
        }
        if (pending.isFull()) {
            pendingEvicted.increment();
            completeUnanswered(pending.oldest(), sink);
        }
        learn(sessionKey, message, now);
        final int slot = pending.insert(key, now + config.answerTimeoutNs());
        if (slot < 0) {
            return;
        }
        final SignalingMessage copy = pending.message(slot).copyFrom(message);
        // the Session-Id names the subscriber as of now
        resolve(copy, sessionKey, now);
        pending.attachment(slot, ATTACH_SESSION, sessionKey);
        pending.attachment(slot, ATTACH_CC_TYPE, ccRequestType);
        pending.attachment(slot, ATTACH_ULR_FLAGS, ulrFlags);
    }

    private void completeWithAnswer(final int slot, final long now, final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        final int code = request.messageType();
        final long key = pending.attachment(slot, ATTACH_SESSION) != NO_KEY ? pending.attachment(slot, ATTACH_SESSION)
            : sessionKey;
        final int ccType = (int) pending.attachment(slot, ATTACH_CC_TYPE);
        procedure.copyFrom(request);
        overlay(procedure, message);
        procedure.header(message.frame(), message.timeNs(), message.sourceId());
        final Outcome outcome = message.has(SignalingMessage.OUTCOME) ? message.outcome() : Outcome.UNKNOWN;
        procedure.outcome(outcome);
        resolve(procedure, key, now);
        procedure.event(eventOf(code, ccType, (int) pending.attachment(slot, ATTACH_ULR_FLAGS), procedure));
        learn(key, procedure, now);
        if (outcome == Outcome.ACCEPTED && endsSession(code, ccType)) {
            release(key);
        }
        paired.increment();
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    private void completeAnswerAlone(final long now, final MessageSink sink) {
        procedure.copyFrom(message);
        if (!procedure.has(SignalingMessage.OUTCOME)) {
            procedure.outcome(Outcome.UNKNOWN);
        }
        resolve(procedure, sessionKey, now);
        procedure.event(eventOf(message.messageType(), ccRequestType, 0, procedure));
        learn(sessionKey, procedure, now);
        if (procedure.outcome() == Outcome.ACCEPTED && endsSession(message.messageType(), ccRequestType)) {
            release(sessionKey);
        }
        answerWithoutRequest.increment();
        sink.onProcedure(procedure);
    }

    /** A request that got no answer: completes with outcome unknown, at the request's frame and time. */
    private void completeUnanswered(final int slot, final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        procedure.copyFrom(request);
        procedure.outcome(Outcome.UNKNOWN);
        resolve(procedure, pending.attachment(slot, ATTACH_SESSION), request.timeNs());
        procedure.event(eventOf(request.messageType(), (int) pending.attachment(slot, ATTACH_CC_TYPE),
            (int) pending.attachment(slot, ATTACH_ULR_FLAGS), procedure));
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    /** A Credit-Control termination or a Session-Termination ends the Diameter session (RFC 6733 §8). */
    private static boolean endsSession(final int code, final int ccType) {
        return code == DiameterCommand.SESSION_TERMINATION
            || code == DiameterCommand.CREDIT_CONTROL && ccType == DiameterCommand.CC_TERMINATION;
    }

    private void learn(final long key, final SignalingMessage who, final long now) {
        if (key == NO_KEY) {
            return;
        }
        final long imsi = who.has(SignalingMessage.IMSI) ? who.imsi() : Digits.NONE;
        final long msisdn = who.has(SignalingMessage.MSISDN) ? who.msisdn() : Digits.NONE;
        final long imei = who.has(SignalingMessage.IMEI) ? who.imei() : Digits.NONE;
        final long imeisv = who.has(SignalingMessage.IMEISV) ? who.imeisv() : Digits.NONE;
        if (imsi == Digits.NONE && msisdn == Digits.NONE && imei == Digits.NONE && imeisv == Digits.NONE) {
            return;
        }
        final int slot = sessions.put(key, now);
        sessions.merge(slot, imsi, msisdn, imei, imeisv);
        sessionLearned.increment();
        final long evictions = sessions.evictions();
        if (evictions != evictionsSeen) {
            sessionEvicted.getAndAdd(evictions - evictionsSeen);
            evictionsSeen = evictions;
        }
    }

    private void release(final long key) {
        if (key != NO_KEY && sessions.remove(key)) {
            sessionReleased.increment();
        }
    }

    /** Fills the identities the procedure lacks from the Session-Id table, marking them resolved. */
    private void resolve(final SignalingMessage p, final long key, final long now) {
        if (key == NO_KEY) {
            return;
        }
        final int slot = sessions.find(key, now);
        if (slot < 0) {
            if (!p.has(SignalingMessage.IMSI) && !p.has(SignalingMessage.MSISDN)) {
                sessionUnknown.increment();
            }
            return;
        }
        int added = 0;
        if (!p.has(SignalingMessage.IMSI) && sessions.imsi(slot) != Digits.NONE) {
            p.imsi(sessions.imsi(slot));
            added |= SignalingMessage.IMSI;
        }
        if (!p.has(SignalingMessage.MSISDN) && sessions.msisdn(slot) != Digits.NONE) {
            p.msisdn(sessions.msisdn(slot));
            added |= SignalingMessage.MSISDN;
        }
        if (!p.has(SignalingMessage.IMEI) && sessions.imei(slot) != Digits.NONE) {
            p.imei(sessions.imei(slot));
            added |= SignalingMessage.IMEI;
        }
        if (!p.has(SignalingMessage.IMEISV) && sessions.imeisv(slot) != Digits.NONE) {
            p.imeisv(sessions.imeisv(slot));
            added |= SignalingMessage.IMEISV;
        }
        if (added != 0) {
            p.markResolved(added);
            sessionResolved.increment();
        }
    }

    /** Adds to a procedure built from its request what only the answer carried. */
    private static void overlay(final SignalingMessage p, final SignalingMessage answer) {
        if (!p.has(SignalingMessage.IMSI) && answer.has(SignalingMessage.IMSI)) {
            p.imsi(answer.imsi());
        }
        if (!p.has(SignalingMessage.MSISDN) && answer.has(SignalingMessage.MSISDN)) {
            p.msisdn(answer.msisdn());
        }
        if (!p.has(SignalingMessage.IMEI) && answer.has(SignalingMessage.IMEI)) {
            p.imei(answer.imei());
        }
        if (!p.has(SignalingMessage.IMEISV) && answer.has(SignalingMessage.IMEISV)) {
            p.imeisv(answer.imeisv());
        }
        if (!p.has(SignalingMessage.SERVING_PLMN) && answer.has(SignalingMessage.SERVING_PLMN)) {
            p.servingPlmn(answer.servingPlmn());
        }
        if (!p.has(SignalingMessage.RAT) && answer.has(SignalingMessage.RAT)) {
            p.rat(answer.rat());
        }
        if ((p.present() & LOCATION_FIELDS) == 0 && (answer.present() & LOCATION_FIELDS) != 0) {
            if (answer.has(SignalingMessage.CELL_PLMN)) {
                p.cellPlmn(answer.cellPlmn());
            }
            if (answer.has(SignalingMessage.TAC)) {
                p.tac(answer.tac());
            }
            if (answer.has(SignalingMessage.LAC)) {
                p.lac(answer.lac());
            }
            if (answer.has(SignalingMessage.ECI)) {
                p.eci(answer.eci());
            }
            if (answer.has(SignalingMessage.CI)) {
                p.ci(answer.ci());
            }
            if (answer.has(SignalingMessage.SAC)) {
                p.sac(answer.sac());
            }
            if (answer.has(SignalingMessage.NCI)) {
                p.nci(answer.nci());
            }
        }
        if (!p.has(SignalingMessage.APN) && answer.has(SignalingMessage.APN)) {
            for (int i = 0; i < answer.apnLength(); i++) {
                p.appendApn(answer.apnByte(i));
            }
        }
    }

    // ---- time ---------------------------------------------------------------------------------

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        int slot;
        while ((slot = pending.oldestExpired(nowNs)) >= 0) {
            timedOut.increment();
            completeUnanswered(slot, sink);
        }
        final int expired = sessions.sweep(nowNs, config.sweepSlotsPerAdvance());
        if (expired > 0) {
            sessionExpired.getAndAdd(expired);
        }
    }

    @Override
    public void flush(final MessageSink sink) {
        int slot;
        while ((slot = pending.oldest()) >= 0) {
            flushed.increment();
            completeUnanswered(slot, sink);
        }
    }

    // ---- keys and text ------------------------------------------------------------------------

    /**
     * RFC 6733 §6.2: an answer carries its request's Hop-by-Hop and End-to-End identifiers and goes
     * back over the connection the request came on; the side that sent the request is folded in,
     * since each side numbers its own requests.
     */
    private static long exchangeKey(final PacketInfo packet, final int hopByHop, final int endToEnd,
        final boolean request) {
        final long src = packet.srcKey();
        final long dst = packet.dstKey();
        final boolean fromLowerSide = request ? src <= dst : dst <= src;
        long h = packet.peerKey() ^ ((hopByHop & 0xFFFFFFFFL) << 1 | (fromLowerSide ? 1 : 0)) * 0x9E3779B97F4A7C15L;
        h ^= (endToEnd & 0xFFFFFFFFL) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 32;
        return h;
    }

    /**
     * A 64-bit hash of the Session-Id octets (RFC 6733 §8.8: globally unique text), eight octets at a
     * time, never 0. Collisions only merge two sessions' identities, at odds of about 2^-64 per pair.
     */
    private static long sessionKey(final ByteBuf buf, final int value, final int length) {
        long h = 0xCBF29CE484222325L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ buf.getLong(value + i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        for (; i < length; i++) {
            h = (h ^ (buf.getByte(value + i) & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return h == NO_KEY ? 1 : h;
    }

    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long ABOVE_NINE = 0x4646464646464646L;
    private static final long LOW_BYTES = 0x00FF00FF00FF00FFL;
    private static final long LOW_SHORTS = 0x0000FFFF0000FFFFL;

    /**
     * ASCII decimal digits as a packed {@link Digits} value, {@link Digits#INVALID} on any other octet
     * or more than {@link Digits#MAX_DIGITS}: the same result as {@link Digits#fromAscii}, eight
     * octets per read (SWAR: every octet checked to be '0'..'9', then combined pairwise).
     */
    static long asciiDigits(final ByteBuf buf, final int from, final int length) {
        if (length > Digits.MAX_DIGITS) {
            return Digits.INVALID;
        }
        long value = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            final long x = buf.getLong(from + i);
            // all octets ASCII, all >= '0' (no borrow with the high bits set), all <= '9' (no carry into bit 7)
            if ((x & HIGH_BITS) != 0 || (((x | HIGH_BITS) - ZEROS) & HIGH_BITS) != HIGH_BITS
                || ((x + ABOVE_NINE) & HIGH_BITS) != 0) {
                return Digits.INVALID;
            }
            long d = x - ZEROS;                                        // eight digits, first in the top octet
            d = ((d >>> 8) & LOW_BYTES) * 10 + (d & LOW_BYTES);        // four 2-digit numbers
            d = ((d >>> 16) & LOW_SHORTS) * 100 + (d & LOW_SHORTS);    // two 4-digit numbers
            d = (d >>> 32) * 10_000 + (d & 0xFFFFFFFFL);               // one 8-digit number
            value = value * 100_000_000L + d;
        }
        for (; i < length; i++) {
            final int c = buf.getByte(from + i) - '0';
            if (c < 0 || c > 9) {
                return Digits.INVALID;
            }
            value = value * 10 + c;
        }
        return Digits.pack(value, length);
    }

    private static int indexOf(final ByteBuf buf, final int from, final int length, final char c) {
        for (int i = 0; i < length; i++) {
            if (buf.getByte(from + i) == c) {
                return from + i;
            }
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(final ByteBuf buf, final int from, final int length,
        final String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) buf.getByte(from + i)) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfSequence(final ByteBuf buf, final int from, final int length, final String s) {
        outer:
        for (int i = 0; i + s.length() <= length; i++) {
            for (int j = 0; j < s.length(); j++) {
                if (Character.toLowerCase((char) buf.getByte(from + i + j)) != s.charAt(j)) {
                    continue outer;
                }
            }
            return from + i;
        }
        return -1;
    }
}
