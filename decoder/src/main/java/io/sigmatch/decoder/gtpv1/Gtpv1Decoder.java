package io.sigmatch.decoder.gtpv1;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.correlate.PendingRequestTable;
import io.sigmatch.decoder.correlate.SubscriberTable;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * GTPv1-C (TS 29.060) decoder for one decoding thread, on Gn/Gp: the message of a UDP datagram is
 * walked IE by IE and handed to {@link MessageSink#onMessage} with the fields its own octets carry;
 * requests are paired with their responses by sequence number and peer, and each completed
 * procedure goes to {@link MessageSink#onProcedure} with the identities its messages lacked filled
 * in from the TEID table (marked resolved). See the package documentation for which IE gives which
 * field and the event each procedure maps to.
 *
 * <p>While {@code onMessage} runs, the accessors {@link #header()}, {@link #cause()},
 * {@link #controlTeid()}... describe the message being delivered (the raw values behind the
 * normalized fields, for tests and tools); they are overwritten by the next datagram.
 *
 * <p>Hot path: flyweights over the caller's buffer, two reused {@link SignalingMessage}s, tables of
 * primitives sized at construction. Nothing is allocated per datagram and no exception is thrown
 * for any input; a malformed message bumps {@code decode.gtpv1.error.<reason>} and is dropped.
 */
public final class Gtpv1Decoder implements PayloadDecoder {
    public static final String MESSAGES = "decode.gtpv1.messages";
    /** GTP' (PT = 0, charging) on a GTPv1-C port: another protocol, counted, not an error. */
    public static final String SKIPPED_GTP_PRIME = "decode.gtpv1.skipped.gtp_prime";
    public static final String ERROR = "decode.gtpv1.error.";
    public static final String TRUNCATED = "truncated";
    public static final String BAD_VERSION = "bad_version";
    public static final String BAD_LENGTH = "bad_length";
    public static final String BAD_EXTENSION = "bad_extension";
    public static final String OVERSIZED = "oversized";
    public static final String IE_OVERFLOW = "ie_overflow";
    public static final String UNKNOWN_TV = "unknown_tv";
    public static final String TOO_MANY_IES = "too_many_ies";
    public static final String BAD_TBCD = "bad_tbcd";
    public static final String BAD_IMEI = "bad_imei";
    public static final String BAD_IE = "bad_ie";
    public static final String BAD_APN = "bad_apn";
    public static final String TRAILING = "trailing";

    public static final String CORRELATE = "correlate.gtpv1.";
    public static final String PAIRED = "paired";
    public static final String TIMED_OUT = "timed_out";
    public static final String FLUSHED = "flushed";
    public static final String UNANSWERED = "unanswered";
    public static final String ANSWER_WITHOUT_REQUEST = "answer_without_request";
    public static final String RETRANSMISSION = "retransmission";
    public static final String SUPERSEDED = "superseded";
    public static final String PENDING_EVICTED = "pending_evicted";
    public static final String TEID_LEARNED = "teid_learned";
    public static final String TEID_RESOLVED = "teid_resolved";
    public static final String TEID_UNKNOWN = "teid_unknown";
    public static final String TEID_RELEASED = "teid_released";
    public static final String TEID_EXPIRED = "teid_expired";
    public static final String TEID_EVICTED = "teid_evicted";

    /** TS 23.003 2.2: an IMSI has at most 15 digits; E.164 (MSISDN) likewise. */
    private static final int MAX_IMSI_DIGITS = 15;
    private static final int MAX_MSISDN_DIGITS = 15;
    /** TS 23.003 6.2: IMEI is 15 digits (with the check digit), IMEISV 16; both start with the 14 of TAC + SNR. */
    private static final int IMEI_DIGITS = 15;
    private static final int IMEISV_DIGITS = 16;
    private static final int IMEI_BODY_DIGITS = 14;
    private static final int IPV4_LENGTH = 4;
    private static final int IPV6_LENGTH = 16;

    private static final int WALK_OK = 0;
    private static final int WALK_IE_OVERFLOW = 1;
    private static final int WALK_TOO_MANY_IES = 2;
    private static final int WALK_UNKNOWN_TV = 3;

    /** Pending attachments: the request's header TEID key, its event flags, the TEID-C key it announced. */
    private static final int ATTACH_HEADER_KEY = 0;
    private static final int ATTACH_FLAGS = 1;
    private static final int ATTACH_CONTROL_KEY = 2;
    private static final int ATTACHMENTS = 3;
    private static final long NO_KEY = 0;

    private static final int FLAG_RAI = 1;
    private static final int FLAG_ULI = 2;
    private static final int FLAG_RAT = 4;

    private static final int SEEN_CAUSE = 1;
    private static final int SEEN_IMSI = 1 << 1;
    private static final int SEEN_RAI = 1 << 2;
    private static final int SEEN_TEID_DATA = 1 << 3;
    private static final int SEEN_TEID_CONTROL = 1 << 4;
    private static final int SEEN_NSAPI = 1 << 5;
    private static final int SEEN_GSN = 1 << 6;
    private static final int SEEN_MSISDN = 1 << 7;
    private static final int SEEN_APN = 1 << 8;
    private static final int SEEN_RAT = 1 << 9;
    private static final int SEEN_ULI = 1 << 10;
    private static final int SEEN_IMEISV = 1 << 11;

    private static final int LOCATION_FIELDS = SignalingMessage.CELL_PLMN | SignalingMessage.LAC
        | SignalingMessage.CI | SignalingMessage.SAC;

    private final Gtpv1Config config;
    private final Gtpv1Message header = new Gtpv1Message();
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();
    private final SubscriberTable teids;
    private final PendingRequestTable pending;

    // per-message scratch, reset before each message; readable through the accessors during onMessage
    private int seen;
    private int ieCount;
    private int eventFlags;
    private int cause;
    private long raiPlmn;
    private int raiLac;
    private int raiRac;
    private int uliType;
    private long uliPlmn;
    private int uliLac;
    private int uliCode;
    private long teidData;
    private long teidControl;
    private int nsapi;
    private long gsnHi;
    private long gsnLo;

    private final AtomicCounter messages;
    private final AtomicCounter skippedGtpPrime;
    private final AtomicCounter truncated;
    private final AtomicCounter badVersion;
    private final AtomicCounter badLength;
    private final AtomicCounter badExtension;
    private final AtomicCounter oversized;
    private final AtomicCounter ieOverflow;
    private final AtomicCounter unknownTv;
    private final AtomicCounter tooManyIes;
    private final AtomicCounter badTbcd;
    private final AtomicCounter badImei;
    private final AtomicCounter badIe;
    private final AtomicCounter badApn;
    private final AtomicCounter trailing;
    private final AtomicCounter paired;
    private final AtomicCounter timedOut;
    private final AtomicCounter flushed;
    private final AtomicCounter unanswered;
    private final AtomicCounter answerWithoutRequest;
    private final AtomicCounter retransmission;
    private final AtomicCounter superseded;
    private final AtomicCounter pendingEvicted;
    private final AtomicCounter teidLearned;
    private final AtomicCounter teidResolved;
    private final AtomicCounter teidUnknown;
    private final AtomicCounter teidReleased;
    private final AtomicCounter teidExpired;
    private final AtomicCounter teidEvicted;
    private long evictionsSeen;

    public Gtpv1Decoder(final Counters counters, final Gtpv1Config config) {
        this.config = config.conclude();
        teids = new SubscriberTable(config.teidTableEntries(), config.teidIdleExpiryNs());
        pending = new PendingRequestTable(config.pendingRequests(), ATTACHMENTS);
        messages = counters.counter(MESSAGES);
        skippedGtpPrime = counters.counter(SKIPPED_GTP_PRIME);
        truncated = counters.counter(ERROR + TRUNCATED);
        badVersion = counters.counter(ERROR + BAD_VERSION);
        badLength = counters.counter(ERROR + BAD_LENGTH);
        badExtension = counters.counter(ERROR + BAD_EXTENSION);
        oversized = counters.counter(ERROR + OVERSIZED);
        ieOverflow = counters.counter(ERROR + IE_OVERFLOW);
        unknownTv = counters.counter(ERROR + UNKNOWN_TV);
        tooManyIes = counters.counter(ERROR + TOO_MANY_IES);
        badTbcd = counters.counter(ERROR + BAD_TBCD);
        badImei = counters.counter(ERROR + BAD_IMEI);
        badIe = counters.counter(ERROR + BAD_IE);
        badApn = counters.counter(ERROR + BAD_APN);
        trailing = counters.counter(ERROR + TRAILING);
        paired = counters.counter(CORRELATE + PAIRED);
        timedOut = counters.counter(CORRELATE + TIMED_OUT);
        flushed = counters.counter(CORRELATE + FLUSHED);
        unanswered = counters.counter(CORRELATE + UNANSWERED);
        answerWithoutRequest = counters.counter(CORRELATE + ANSWER_WITHOUT_REQUEST);
        retransmission = counters.counter(CORRELATE + RETRANSMISSION);
        superseded = counters.counter(CORRELATE + SUPERSEDED);
        pendingEvicted = counters.counter(CORRELATE + PENDING_EVICTED);
        teidLearned = counters.counter(CORRELATE + TEID_LEARNED);
        teidResolved = counters.counter(CORRELATE + TEID_RESOLVED);
        teidUnknown = counters.counter(CORRELATE + TEID_UNKNOWN);
        teidReleased = counters.counter(CORRELATE + TEID_RELEASED);
        teidExpired = counters.counter(CORRELATE + TEID_EXPIRED);
        teidEvicted = counters.counter(CORRELATE + TEID_EVICTED);
    }

    public Gtpv1Config config() {
        return config;
    }

    /** TEID keys currently known (for tests and the status page; never the identities). */
    public int teidTableSize() {
        return teids.size();
    }

    /** Requests waiting for their response. */
    public int pendingRequests() {
        return pending.size();
    }

    // ---- the message being delivered (valid during onMessage) --------------------------------

    /** The header of the message being delivered. */
    public Gtpv1Message header() {
        return header;
    }

    /** The Cause value (7.7.1), or -1 when the message has none. */
    public int cause() {
        return cause;
    }

    /** True when the message carries a Routeing Area Identity IE (7.7.3). */
    public boolean hasRai() {
        return (seen & SEEN_RAI) != 0;
    }

    /** The RAI's PLMN (packed MCC+MNC digits; {@link Digits#INVALID} for bad digits). */
    public long raiPlmn() {
        return raiPlmn;
    }

    public int raiLac() {
        return raiLac;
    }

    public int raiRac() {
        return raiRac;
    }

    /** ULI Geographic Location Type (7.7.51: 0 CGI, 1 SAI, 2 RAI), or -1 when no ULI was read. */
    public int uliType() {
        return uliType;
    }

    public long uliPlmn() {
        return uliPlmn;
    }

    public int uliLac() {
        return uliLac;
    }

    /** The ULI's CI, SAC or RAC, by {@link #uliType()}. */
    public int uliCode() {
        return uliCode;
    }

    /** TEID Control Plane IE (7.7.14), or -1. */
    public long controlTeid() {
        return teidControl;
    }

    /** TEID Data I IE (7.7.13), or -1. */
    public long dataTeid() {
        return teidData;
    }

    /** NSAPI IE (7.7.17), or -1. */
    public int nsapi() {
        return nsapi;
    }

    // ---- wire ---------------------------------------------------------------------------------

    @Override
    public void decode(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length,
        final MessageSink sink) {
        if (length <= 0) {
            truncated.increment();
            return;
        }
        final int status = header.wrap(buffer, offset, length, config.maxExtensionHeaders());
        switch (status) {
            case Gtpv1Message.OK:
                break;
            case Gtpv1Message.TRUNCATED:
                truncated.increment();
                return;
            case Gtpv1Message.BAD_VERSION:
                badVersion.increment();
                return;
            case Gtpv1Message.GTP_PRIME:
                skippedGtpPrime.increment();
                return;
            case Gtpv1Message.BAD_EXTENSION:
                badExtension.increment();
                return;
            default:
                badLength.increment();
                return;
        }
        if (header.totalLength() > config.maxMessageLength()) {
            oversized.increment();
            return;
        }
        if (decodeMessage(packet, buffer, sink) && header.end() < offset + length) {
            // 7.2: GTPv1-C has no piggybacking; octets after the message are not another one
            trailing.increment();
        }
    }

    /** Decodes the wrapped message; false when it was malformed (counted, not delivered). */
    private boolean decodeMessage(final PacketInfo packet, final ByteBuf buffer, final MessageSink sink) {
        final int type = header.messageType();
        final SignalingMessage m = message.reset();
        final boolean answer = Gtpv1MessageType.isAnswer(type);
        m.header(packet.frame, packet.timeNs, packet.sourceId)
            .message(Protocol.GTPV1, type, Gtpv1MessageType.name(type), !answer);
        seen = 0;
        ieCount = 0;
        eventFlags = 0;
        cause = -1;
        uliType = -1;
        teidData = -1;
        teidControl = -1;
        nsapi = -1;

        // a G-PDU's body is a user packet and an End Marker has none: neither holds IEs (6)
        if (type != Gtpv1MessageType.G_PDU && type != Gtpv1MessageType.END_MARKER) {
            final int walk = walk(buffer, header.bodyOffset(), header.end(), m);
            if (walk == WALK_IE_OVERFLOW) {
                ieOverflow.increment();
                return false;
            }
            if (walk == WALK_TOO_MANY_IES) {
                tooManyIes.increment();
                return false;
            }
            if (walk == WALK_UNKNOWN_TV) {
                // 7.7.0: a TV IE of unknown type cannot be skipped; what came before it stands, as
                // Wireshark shows it
                unknownTv.increment();
            }
        }
        readLocation(m);
        if (answer && cause >= 0) {
            final Outcome outcome = Gtpv1Cause.outcomeOf(cause);
            if (outcome != null) {
                m.outcome(outcome);
            }
        }
        m.event(eventOf(Gtpv1MessageType.procedureOf(type), eventFlags));
        messages.increment();
        sink.onMessage(m);
        correlate(packet, type, sink);
        return true;
    }

    /** Walks the IEs in [from, limit): every type's length is known or read and checked before use. */
    private int walk(final ByteBuf buf, final int from, final int limit, final SignalingMessage m) {
        int at = from;
        while (at < limit) {
            if (++ieCount > config.maxIesPerMessage()) {
                return WALK_TOO_MANY_IES;
            }
            final int type = buf.getUnsignedByte(at);
            final int value;
            final int length;
            if (type < Gtpv1Ie.FIRST_TLV) {
                length = Gtpv1Ie.tvLength(type);
                if (length == 0) {
                    return WALK_UNKNOWN_TV;
                }
                value = at + 1;
            } else if (type == Gtpv1Ie.EXTENSION_HEADER_TYPE_LIST) {
                // 7.7.40: the one TLV IE with a one-octet length
                if (limit - at < 2) {
                    return WALK_IE_OVERFLOW;
                }
                length = buf.getUnsignedByte(at + 1);
                value = at + 2;
            } else {
                if (limit - at < Gtpv1Ie.TLV_HEADER_LENGTH) {
                    return WALK_IE_OVERFLOW;
                }
                length = buf.getUnsignedShort(at + 1);
                value = at + Gtpv1Ie.TLV_HEADER_LENGTH;
            }
            if (length > limit - value) {
                return WALK_IE_OVERFLOW;
            }
            readIe(buf, type, value, length, m);
            at = value + length;
        }
        return WALK_OK;
    }

    /** The IEs sigmatch reads; each counts once, the first of its type (the first GSN Address is the control plane's). */
    private void readIe(final ByteBuf buf, final int type, final int value, final int length, final SignalingMessage m) {
        switch (type) {
            case Gtpv1Ie.CAUSE:
                if (first(SEEN_CAUSE)) {
                    cause = buf.getUnsignedByte(value);
                }
                break;
            case Gtpv1Ie.IMSI:
                if (first(SEEN_IMSI)) {
                    // 7.7.2: TBCD, filler F for an odd count
                    final long imsi = Digits.fromTbcd(buf, value, length);
                    if (digitsBetween(imsi, 1, MAX_IMSI_DIGITS)) {
                        m.imsi(imsi);
                    } else {
                        badTbcd.increment();
                    }
                }
                break;
            case Gtpv1Ie.RAI:
                if (first(SEEN_RAI)) {
                    raiPlmn = Plmn.fromTbcd(buf, value);
                    raiLac = buf.getUnsignedShort(value + Gtpv1Ie.AREA_CODE_OFFSET);
                    raiRac = buf.getUnsignedByte(value + Gtpv1Ie.RAC_OFFSET);
                    eventFlags |= FLAG_RAI;
                }
                break;
            case Gtpv1Ie.TEID_DATA_I:
                if (first(SEEN_TEID_DATA)) {
                    teidData = buf.getUnsignedInt(value);
                }
                break;
            case Gtpv1Ie.TEID_CONTROL_PLANE:
                if (first(SEEN_TEID_CONTROL)) {
                    teidControl = buf.getUnsignedInt(value);
                }
                break;
            case Gtpv1Ie.NSAPI:
                if (first(SEEN_NSAPI)) {
                    nsapi = buf.getUnsignedByte(value) & 0x0F;
                }
                break;
            case Gtpv1Ie.GSN_ADDRESS:
                if (first(SEEN_GSN)) {
                    readGsnAddress(buf, value, length);
                }
                break;
            case Gtpv1Ie.MSISDN:
                if (first(SEEN_MSISDN)) {
                    // 7.7.33: a MAP ISDN-AddressString: nature of address / numbering plan octet, then TBCD
                    final long msisdn = length < 2 ? Digits.INVALID : Digits.fromTbcd(buf, value + 1, length - 1);
                    if (digitsBetween(msisdn, 1, MAX_MSISDN_DIGITS)) {
                        m.msisdn(msisdn);
                    } else {
                        badTbcd.increment();
                    }
                }
                break;
            case Gtpv1Ie.APN:
                if (first(SEEN_APN) && !readApn(buf, value, length, m)) {
                    m.clearApn();
                    badApn.increment();
                }
                break;
            case Gtpv1Ie.RAT_TYPE:
                if (first(SEEN_RAT)) {
                    if (length >= 1) {
                        eventFlags |= FLAG_RAT;
                        // 7.7.50: the code points of TS 29.274 8.17 (1 UTRAN, 2 GERAN, 3 WLAN, 4 GAN, 5 HSPA Evolution, 6 EUTRAN...)
                        final Rat rat = Rat.fromGtpv2(buf.getUnsignedByte(value));
                        if (rat != Rat.UNKNOWN) {
                            m.rat(rat);
                        }
                    } else {
                        badIe.increment();
                    }
                }
                break;
            case Gtpv1Ie.ULI:
                if (first(SEEN_ULI)) {
                    readUli(buf, value, length);
                }
                break;
            case Gtpv1Ie.IMEISV:
                if (first(SEEN_IMEISV)) {
                    readImei(buf, value, length, m);
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

    private static boolean digitsBetween(final long packed, final int min, final int max) {
        if (packed == Digits.INVALID) {
            return false;
        }
        final int n = Digits.length(packed);
        return n >= min && n <= max;
    }

    /** 7.7.32: an IPv4 (4 octets) or IPv6 (16 octets) address. */
    private void readGsnAddress(final ByteBuf buf, final int value, final int length) {
        if (length == IPV4_LENGTH) {
            gsnHi = 0;
            gsnLo = buf.getUnsignedInt(value);
        } else if (length == IPV6_LENGTH) {
            gsnHi = buf.getLong(value);
            gsnLo = buf.getLong(value + 8);
        } else {
            seen &= ~SEEN_GSN;
            badIe.increment();
        }
    }

    /** 7.7.51: Geographic Location Type, then a CGI, SAI or RAI of 7 octets. */
    private void readUli(final ByteBuf buf, final int value, final int length) {
        if (length < Gtpv1Ie.ULI_LENGTH) {
            badIe.increment();
            return;
        }
        final int kind = buf.getUnsignedByte(value);
        if (kind > Gtpv1Ie.ULI_RAI) {
            badIe.increment();
            return;
        }
        uliType = kind;
        uliPlmn = Plmn.fromTbcd(buf, value + 1);
        uliLac = buf.getUnsignedShort(value + 1 + Gtpv1Ie.AREA_CODE_OFFSET);
        // for an RAI the RAC is the first of the two octets, the second is filled with 1s
        uliCode = kind == Gtpv1Ie.ULI_RAI ? buf.getUnsignedByte(value + 1 + Gtpv1Ie.RAC_OFFSET)
            : buf.getUnsignedShort(value + 1 + Gtpv1Ie.RAC_OFFSET);
        eventFlags |= FLAG_ULI;
    }

    /** 7.7.53: IMEI(SV), TBCD: 16 digits (IMEISV) or 15 with filler (IMEI). */
    private void readImei(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        final long mei = Digits.fromTbcd(buf, value, length);
        if (mei == Digits.INVALID) {
            badTbcd.increment();
            return;
        }
        final int n = Digits.length(mei);
        if (n != IMEI_DIGITS && n != IMEISV_DIGITS) {
            badImei.increment();
            return;
        }
        m.imei(Digits.prefix(mei, IMEI_BODY_DIGITS));
        if (n == IMEISV_DIGITS) {
            m.imeisv(mei);
        }
    }

    /**
     * The location fields: the ULI (the cell, or service area, or routeing area the MS is in) when
     * present, else the RAI IE; the RAI's PLMN is also the serving network (the SGSN's PLMN).
     */
    private void readLocation(final SignalingMessage m) {
        final boolean rai = (seen & SEEN_RAI) != 0;
        if (rai) {
            if (raiPlmn == Digits.INVALID) {
                badTbcd.increment();
            } else {
                m.servingPlmn(raiPlmn);
            }
        }
        if (uliType >= 0) {
            if (uliPlmn == Digits.INVALID) {
                badTbcd.increment();
            } else {
                m.cellPlmn(uliPlmn);
            }
            m.lac(uliLac);
            if (uliType == Gtpv1Ie.ULI_CGI) {
                m.ci(uliCode);
            } else if (uliType == Gtpv1Ie.ULI_SAI) {
                m.sac(uliCode);
            }
        } else if (rai) {
            if (raiPlmn != Digits.INVALID) {
                m.cellPlmn(raiPlmn);
            }
            m.lac(raiLac);
        }
    }

    /**
     * TS 23.003 9.1: the APN is a list of labels, each a length octet and that many characters;
     * the text form joins them with dots. False when a label runs past the IE or is empty, or the
     * APN exceeds 100 octets.
     */
    private static boolean readApn(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        m.clearApn();
        final int end = value + length;
        int at = value;
        while (at < end) {
            final int label = buf.getUnsignedByte(at++);
            if (label == 0 || label > end - at) {
                return false;
            }
            if (m.apnLength() > 0 && !m.appendApn((byte) '.')) {
                return false;
            }
            for (int i = 0; i < label; i++) {
                if (!m.appendApn(buf.getByte(at + i))) {
                    return false;
                }
            }
            at += label;
        }
        return true;
    }

    /**
     * The event a message or procedure stands for (see package documentation): Create PDP Context
     * starts a data session, Delete PDP Context ends one, Update PDP Context with an RAI, ULI or RAT
     * Type is a location update, and any other procedure reporting a ULI is one too.
     */
    static EventKind eventOf(final int procedureType, final int flags) {
        switch (procedureType) {
            case Gtpv1MessageType.CREATE_PDP_CONTEXT_REQUEST:
                return EventKind.DATA_SESSION_START;
            case Gtpv1MessageType.DELETE_PDP_CONTEXT_REQUEST:
                return EventKind.DATA_SESSION_END;
            case Gtpv1MessageType.UPDATE_PDP_CONTEXT_REQUEST:
                return (flags & (FLAG_RAI | FLAG_ULI | FLAG_RAT)) != 0 ? EventKind.LOCATION_UPDATE : EventKind.NONE;
            default:
                return (flags & FLAG_ULI) != 0 ? EventKind.LOCATION_UPDATE : EventKind.NONE;
        }
    }

    // ---- correlation --------------------------------------------------------------------------

    private void correlate(final PacketInfo packet, final int type, final MessageSink sink) {
        final long now = packet.timeNs;
        final int sequence = header.sequence();
        final long headerKey = header.teid() != 0 ? teidKey(packet.dstHi, packet.dstLo, header.teid()) : NO_KEY;
        final long controlKey = controlKey(packet);

        if (Gtpv1MessageType.isAnswer(type)) {
            final int slot = pending.find(exchangeKey(packet, sequence, false));
            if (slot >= 0 && Gtpv1MessageType.answerOf(pending.message(slot).messageType()) == type) {
                completeWithAnswer(slot, headerKey, controlKey, now, sink);
            } else {
                answerWithoutRequest(headerKey, controlKey, now, sink);
            }
            return;
        }

        if (!Gtpv1MessageType.expectsAnswer(type)) {
            // an indication (Error Indication, Version Not Supported...): complete at once
            procedure.copyFrom(message);
            resolve(procedure, headerKey, now);
            procedure.outcome(Outcome.UNKNOWN);
            unanswered.increment();
            sink.onProcedure(procedure);
            return;
        }

        final long key = exchangeKey(packet, sequence, true);
        final int existing = pending.find(key);
        if (existing >= 0) {
            if (pending.message(existing).messageType() == type) {
                // a retransmission (7.6) keeps the first copy and its deadline
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
        final int slot = pending.insert(key, now + config.answerTimeoutNs());
        if (slot < 0) {
            return;
        }
        final SignalingMessage copy = pending.message(slot).copyFrom(message);
        // the TEID names the subscriber as of now: a Delete may release it before the answer comes
        resolve(copy, headerKey, now);
        pending.attachment(slot, ATTACH_HEADER_KEY, headerKey);
        pending.attachment(slot, ATTACH_FLAGS, eventFlags);
        pending.attachment(slot, ATTACH_CONTROL_KEY, controlKey);
        if (type == Gtpv1MessageType.CREATE_PDP_CONTEXT_REQUEST && controlKey != NO_KEY) {
            // the SGSN's TEID-C now names this subscriber: the response and every later message
            // addressed to it resolve through the table
            learn(controlKey, copy, now);
        }
    }

    private void completeWithAnswer(final int slot, final long answerKey, final long answerControlKey, final long now,
        final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        final int requestType = request.messageType();
        final int flags = (int) pending.attachment(slot, ATTACH_FLAGS) | eventFlags;
        final long requestKey = pending.attachment(slot, ATTACH_HEADER_KEY);
        final long requestControlKey = pending.attachment(slot, ATTACH_CONTROL_KEY);

        procedure.copyFrom(request);
        overlay(procedure, message);
        procedure.header(message.frame(), message.timeNs(), message.sourceId());
        final Outcome outcome = message.has(SignalingMessage.OUTCOME) ? message.outcome() : Outcome.UNKNOWN;
        procedure.outcome(outcome);
        procedure.event(eventOf(requestType, flags));
        resolve(procedure, requestKey, now);
        resolve(procedure, answerKey, now);

        if (requestType == Gtpv1MessageType.CREATE_PDP_CONTEXT_REQUEST) {
            if (outcome == Outcome.REJECTED) {
                release(requestControlKey, now);
            } else if (answerControlKey != NO_KEY) {
                learn(answerControlKey, procedure, now);
            }
        } else if (requestType == Gtpv1MessageType.UPDATE_PDP_CONTEXT_REQUEST && outcome == Outcome.ACCEPTED) {
            // 9.x inter-SGSN routeing area update: the new SGSN announces its own TEID-C (and the
            // GGSN may answer with a new one); a TEID already known keeps its session count
            learnIfNew(requestControlKey, procedure, now);
            learnIfNew(answerControlKey, procedure, now);
        } else if (requestType == Gtpv1MessageType.DELETE_PDP_CONTEXT_REQUEST && outcome == Outcome.ACCEPTED) {
            release(requestKey, now);
            release(answerKey, now);
        }
        paired.increment();
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    private void answerWithoutRequest(final long answerKey, final long answerControlKey, final long now,
        final MessageSink sink) {
        final int requestType = Gtpv1MessageType.requestOf(message.messageType());
        procedure.copyFrom(message);
        if (!procedure.has(SignalingMessage.OUTCOME)) {
            procedure.outcome(Outcome.UNKNOWN);
        }
        resolve(procedure, answerKey, now);
        if (requestType == Gtpv1MessageType.CREATE_PDP_CONTEXT_REQUEST && procedure.outcome() == Outcome.ACCEPTED
            && answerControlKey != NO_KEY) {
            learn(answerControlKey, procedure, now);
        } else if (requestType == Gtpv1MessageType.DELETE_PDP_CONTEXT_REQUEST
            && procedure.outcome() == Outcome.ACCEPTED) {
            release(answerKey, now);
        }
        answerWithoutRequest.increment();
        sink.onProcedure(procedure);
    }

    /** A request that got no answer: completes with outcome unknown, at the request's frame and time. */
    private void completeUnanswered(final int slot, final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        procedure.copyFrom(request);
        procedure.outcome(Outcome.UNKNOWN);
        procedure.event(eventOf(request.messageType(), (int) pending.attachment(slot, ATTACH_FLAGS)));
        resolve(procedure, pending.attachment(slot, ATTACH_HEADER_KEY), request.timeNs());
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    private void learnIfNew(final long key, final SignalingMessage who, final long now) {
        if (key != NO_KEY && teids.find(key, now) < 0) {
            learn(key, who, now);
        }
    }

    private void learn(final long key, final SignalingMessage who, final long now) {
        final int slot = teids.put(key, now);
        teids.merge(slot,
            who.has(SignalingMessage.IMSI) ? who.imsi() : Digits.NONE,
            who.has(SignalingMessage.MSISDN) ? who.msisdn() : Digits.NONE,
            who.has(SignalingMessage.IMEI) ? who.imei() : Digits.NONE,
            who.has(SignalingMessage.IMEISV) ? who.imeisv() : Digits.NONE);
        teids.retain(slot);
        teidLearned.increment();
        final long evictions = teids.evictions();
        if (evictions != evictionsSeen) {
            teidEvicted.getAndAdd(evictions - evictionsSeen);
            evictionsSeen = evictions;
        }
    }

    private void release(final long key, final long now) {
        if (key != NO_KEY && teids.release(key, now)) {
            teidReleased.increment();
        }
    }

    /** Fills the identities the procedure lacks from the TEID table, marking them resolved. */
    private void resolve(final SignalingMessage p, final long key, final long now) {
        if (key == NO_KEY) {
            return;
        }
        final int slot = teids.find(key, now);
        if (slot < 0) {
            if (!p.has(SignalingMessage.IMSI)) {
                teidUnknown.increment();
            }
            return;
        }
        int added = 0;
        if (!p.has(SignalingMessage.IMSI) && teids.imsi(slot) != Digits.NONE) {
            p.imsi(teids.imsi(slot));
            added |= SignalingMessage.IMSI;
        }
        if (!p.has(SignalingMessage.MSISDN) && teids.msisdn(slot) != Digits.NONE) {
            p.msisdn(teids.msisdn(slot));
            added |= SignalingMessage.MSISDN;
        }
        if (!p.has(SignalingMessage.IMEI) && teids.imei(slot) != Digits.NONE) {
            p.imei(teids.imei(slot));
            added |= SignalingMessage.IMEI;
        }
        if (!p.has(SignalingMessage.IMEISV) && teids.imeisv(slot) != Digits.NONE) {
            p.imeisv(teids.imeisv(slot));
            added |= SignalingMessage.IMEISV;
        }
        if (added != 0) {
            p.markResolved(added);
            teidResolved.increment();
        }
    }

    /** Adds to a procedure built from its request what only the response carried. */
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
            if (answer.has(SignalingMessage.LAC)) {
                p.lac(answer.lac());
            }
            if (answer.has(SignalingMessage.CI)) {
                p.ci(answer.ci());
            }
            if (answer.has(SignalingMessage.SAC)) {
                p.sac(answer.sac());
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
        final int expired = teids.sweep(nowNs, config.sweepSlotsPerAdvance());
        if (expired > 0) {
            teidExpired.getAndAdd(expired);
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

    // ---- keys ---------------------------------------------------------------------------------

    /**
     * The key of the TEID-C the sender announced for itself: the TEID Control Plane IE with the
     * first GSN Address (the sender's address for signalling, 7.3.1/7.3.2), or the packet's source
     * when the message carries no GSN Address. TEID 0 is no TEID.
     */
    private long controlKey(final PacketInfo packet) {
        if (teidControl <= 0) {
            return NO_KEY;
        }
        return (seen & SEEN_GSN) != 0 ? teidKey(gsnHi, gsnLo, teidControl) : teidKey(packet.srcHi, packet.srcLo, teidControl);
    }

    /**
     * A TEID is unique only within the node that allocated it, so the key folds in that node's
     * address: the GSN address when learning, the packet's destination when a header TEID is looked
     * up (the header TEID is the receiver's).
     */
    private long teidKey(final long addressHi, final long addressLo, final long teid) {
        long h = teid * 0xC2B2AE3D27D4EB4FL;
        if (config.teidKeyIncludesAddress()) {
            h ^= addressHi * 0x9E3779B97F4A7C15L;
            h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
            h ^= addressLo * 0x94D049BB133111EBL;
        }
        h ^= h >>> 29;
        return h == NO_KEY ? 1 : h;
    }

    /**
     * A request and its response share the sequence number and the pair of endpoints (the response
     * goes back to the request's source address and port, 7.6); the side that sent the request is
     * folded in too, since each side numbers its own requests.
     */
    private static long exchangeKey(final PacketInfo packet, final int sequence, final boolean request) {
        final long src = packet.srcKey();
        final long dst = packet.dstKey();
        final boolean fromLowerSide = request ? src <= dst : dst <= src;
        long h = packet.peerKey() ^ ((long) (sequence + 1) << 1 | (fromLowerSide ? 1 : 0)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return h;
    }
}
