package io.sigmatch.decoder.gtpv2;

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
 * GTPv2-C (TS 29.274) decoder for one decoding thread: every message of a UDP datagram (the first
 * and the one it piggybacks) is walked IE by IE and handed to {@link MessageSink#onMessage} with
 * the fields its own octets carry; requests are paired with their answers by sequence number and
 * peer, and each completed procedure goes to {@link MessageSink#onProcedure} with the identities
 * its messages lacked filled in from the TEID table (marked resolved). See the package
 * documentation for which IE is "the" IMSI, location, cause, and the event each procedure maps to.
 *
 * <p>Hot path: flyweights over the caller's buffer, two reused {@link SignalingMessage}s, tables of
 * primitives sized at construction. Nothing is allocated per datagram and no exception is thrown
 * for any input; a malformed message bumps {@code decode.gtpv2.error.<reason>} and is dropped.
 */
public final class Gtpv2Decoder implements PayloadDecoder {
    public static final String MESSAGES = "decode.gtpv2.messages";
    /** GTPv1-C datagrams: they share UDP port 2123 (TS 29.060 vs 29.274), so they are counted, not errors. */
    public static final String SKIPPED_GTPV1 = "decode.gtpv2.skipped.gtpv1";
    public static final String ERROR = "decode.gtpv2.error.";
    public static final String TRUNCATED = "truncated";
    public static final String BAD_VERSION = "bad_version";
    public static final String BAD_LENGTH = "bad_length";
    public static final String IE_OVERFLOW = "ie_overflow";
    public static final String DEPTH = "depth";
    public static final String TOO_MANY_IES = "too_many_ies";
    public static final String BAD_TBCD = "bad_tbcd";
    public static final String BAD_MEI = "bad_mei";
    public static final String BAD_IE = "bad_ie";
    public static final String BAD_APN = "bad_apn";
    public static final String PIGGYBACK = "piggyback";
    public static final String TRAILING = "trailing";

    public static final String CORRELATE = "correlate.gtpv2.";
    public static final String PAIRED = "paired";
    public static final String TIMED_OUT = "timed_out";
    public static final String FLUSHED = "flushed";
    public static final String UNANSWERED = "unanswered";
    public static final String ANSWER_WITHOUT_REQUEST = "answer_without_request";
    public static final String RETRANSMISSION = "retransmission";
    public static final String SUPERSEDED = "superseded";
    public static final String PENDING_EVICTED = "pending_evicted";
    public static final String COMMAND_TRIGGERED = "command_triggered";
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

    private static final int WALK_OK = 0;
    private static final int WALK_IE_OVERFLOW = 1;
    private static final int WALK_DEPTH = 2;
    private static final int WALK_TOO_MANY_IES = 3;

    /** Control-plane F-TEIDs remembered per message (instance 0 and 1, both address families). */
    private static final int MAX_FTEID_KEYS = 8;
    /** Pending attachments: 0 = header TEID key of the request, 1 = event flags, 2.. = keys it learned. */
    private static final int ATTACH_HEADER_KEY = 0;
    private static final int ATTACH_FLAGS = 1;
    private static final int ATTACH_LEARNED = 2;
    private static final int MAX_LEARNED = 4;
    private static final long NO_KEY = 0;

    private static final int FLAG_ULI = 1;
    private static final int FLAG_RAT = 2;
    private static final int FLAG_LBI = 4;

    private static final int SEEN_IMSI = 1;
    private static final int SEEN_MSISDN = 1 << 1;
    private static final int SEEN_MEI = 1 << 2;
    private static final int SEEN_CAUSE = 1 << 3;
    private static final int SEEN_RAT = 1 << 4;
    private static final int SEEN_SERVING = 1 << 5;
    private static final int SEEN_ULI = 1 << 6;
    private static final int SEEN_APN = 1 << 7;
    private static final int SEEN_LBI = 1 << 8;

    private static final int LOCATION_FIELDS = SignalingMessage.CELL_PLMN | SignalingMessage.TAC | SignalingMessage.LAC
        | SignalingMessage.ECI | SignalingMessage.CI | SignalingMessage.SAC | SignalingMessage.NCI;

    private final Gtpv2Config config;
    private final Gtpv2Message header = new Gtpv2Message();
    private final UserLocationInfo uli = new UserLocationInfo();
    private final FullyQualifiedTeid fteid = new FullyQualifiedTeid();
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();
    private final SubscriberTable teids;
    private final PendingRequestTable pending;

    // per-message scratch, reset before each message
    private int seen;
    private int cause;
    private int eventFlags;
    private int ieCount;
    private final long[] fteidKeys = new long[MAX_FTEID_KEYS];
    private int fteidKeyCount;

    private final AtomicCounter messages;
    private final AtomicCounter skippedGtpv1;
    private final AtomicCounter truncated;
    private final AtomicCounter badVersion;
    private final AtomicCounter badLength;
    private final AtomicCounter ieOverflow;
    private final AtomicCounter depth;
    private final AtomicCounter tooManyIes;
    private final AtomicCounter badTbcd;
    private final AtomicCounter badMei;
    private final AtomicCounter badIe;
    private final AtomicCounter badApn;
    private final AtomicCounter piggyback;
    private final AtomicCounter trailing;
    private final AtomicCounter paired;
    private final AtomicCounter timedOut;
    private final AtomicCounter flushed;
    private final AtomicCounter unanswered;
    private final AtomicCounter answerWithoutRequest;
    private final AtomicCounter retransmission;
    private final AtomicCounter superseded;
    private final AtomicCounter pendingEvicted;
    private final AtomicCounter commandTriggered;
    private final AtomicCounter teidLearned;
    private final AtomicCounter teidResolved;
    private final AtomicCounter teidUnknown;
    private final AtomicCounter teidReleased;
    private final AtomicCounter teidExpired;
    private final AtomicCounter teidEvicted;
    private long evictionsSeen;

    public Gtpv2Decoder(final Counters counters, final Gtpv2Config config) {
        this.config = config.conclude();
        teids = new SubscriberTable(config.teidTableEntries(), config.teidIdleExpiryNs());
        pending = new PendingRequestTable(config.pendingRequests(), ATTACH_LEARNED + MAX_LEARNED);
        messages = counters.counter(MESSAGES);
        skippedGtpv1 = counters.counter(SKIPPED_GTPV1);
        truncated = counters.counter(ERROR + TRUNCATED);
        badVersion = counters.counter(ERROR + BAD_VERSION);
        badLength = counters.counter(ERROR + BAD_LENGTH);
        ieOverflow = counters.counter(ERROR + IE_OVERFLOW);
        depth = counters.counter(ERROR + DEPTH);
        tooManyIes = counters.counter(ERROR + TOO_MANY_IES);
        badTbcd = counters.counter(ERROR + BAD_TBCD);
        badMei = counters.counter(ERROR + BAD_MEI);
        badIe = counters.counter(ERROR + BAD_IE);
        badApn = counters.counter(ERROR + BAD_APN);
        piggyback = counters.counter(ERROR + PIGGYBACK);
        trailing = counters.counter(ERROR + TRAILING);
        paired = counters.counter(CORRELATE + PAIRED);
        timedOut = counters.counter(CORRELATE + TIMED_OUT);
        flushed = counters.counter(CORRELATE + FLUSHED);
        unanswered = counters.counter(CORRELATE + UNANSWERED);
        answerWithoutRequest = counters.counter(CORRELATE + ANSWER_WITHOUT_REQUEST);
        retransmission = counters.counter(CORRELATE + RETRANSMISSION);
        superseded = counters.counter(CORRELATE + SUPERSEDED);
        pendingEvicted = counters.counter(CORRELATE + PENDING_EVICTED);
        commandTriggered = counters.counter(CORRELATE + COMMAND_TRIGGERED);
        teidLearned = counters.counter(CORRELATE + TEID_LEARNED);
        teidResolved = counters.counter(CORRELATE + TEID_RESOLVED);
        teidUnknown = counters.counter(CORRELATE + TEID_UNKNOWN);
        teidReleased = counters.counter(CORRELATE + TEID_RELEASED);
        teidExpired = counters.counter(CORRELATE + TEID_EXPIRED);
        teidEvicted = counters.counter(CORRELATE + TEID_EVICTED);
    }

    public Gtpv2Config config() {
        return config;
    }

    /** TEID keys currently known (for tests and the status page; never the identities). */
    public int teidTableSize() {
        return teids.size();
    }

    /** Requests waiting for their answer. */
    public int pendingRequests() {
        return pending.size();
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
        for (int following = 0; ; following++) {
            final int status = header.wrap(buffer, at, end - at);
            if (status != Gtpv2Message.OK) {
                countHeaderError(status);
                return;
            }
            if (!decodeMessage(packet, buffer, sink)) {
                return;
            }
            if (!header.piggybacked()) {
                if (header.end() < end) {
                    // octets after a message that announced no piggybacked one
                    trailing.increment();
                }
                return;
            }
            // 5.5: one message may be piggybacked, and its own P flag shall be 0; a P flag on the
            // last message, or a chain longer than allowed, is malformed
            if (following >= config.maxPiggybacked() || header.end() >= end) {
                piggyback.increment();
                return;
            }
            at = header.end();
        }
    }

    private void countHeaderError(final int status) {
        switch (status) {
            case Gtpv2Message.TRUNCATED:
                truncated.increment();
                break;
            case Gtpv2Message.BAD_VERSION:
                badVersion.increment();
                break;
            case Gtpv2Message.GTPV1:
                skippedGtpv1.increment();
                break;
            default:
                badLength.increment();
                break;
        }
    }

    /** Decodes the wrapped message; false when it was malformed (counted, not delivered). */
    private boolean decodeMessage(final PacketInfo packet, final ByteBuf buffer, final MessageSink sink) {
        final int type = header.messageType();
        final SignalingMessage m = message.reset();
        m.header(packet.frame, packet.timeNs, packet.sourceId)
            .message(Protocol.GTPV2, type, Gtpv2MessageType.name(type), !Gtpv2MessageType.isAnswer(type));
        seen = 0;
        cause = -1;
        eventFlags = 0;
        ieCount = 0;
        fteidKeyCount = 0;

        final int walk = walk(buffer, header.bodyOffset(), header.end(), 0, m);
        if (walk != WALK_OK) {
            if (walk == WALK_IE_OVERFLOW) {
                ieOverflow.increment();
            } else if (walk == WALK_DEPTH) {
                depth.increment();
            } else {
                tooManyIes.increment();
            }
            return false;
        }
        if (Gtpv2MessageType.isAnswer(type) && cause >= 0) {
            final Outcome outcome = Gtpv2Cause.outcomeOf(cause);
            if (outcome != null) {
                m.outcome(outcome);
            }
        }
        m.event(eventOf(Gtpv2MessageType.procedureOf(type), eventFlags));
        messages.increment();
        sink.onMessage(m);
        correlate(packet, type, sink);
        return true;
    }

    /**
     * Walks the IEs in [at, limit): every header and length is checked against the limit of the
     * enclosing message or grouped IE before it is used; grouped IEs recurse up to the configured
     * depth, unknown IEs are skipped by their length.
     */
    private int walk(final ByteBuf buf, final int from, final int limit, final int level, final SignalingMessage m) {
        int at = from;
        while (at < limit) {
            if (++ieCount > config.maxIesPerMessage()) {
                return WALK_TOO_MANY_IES;
            }
            if (limit - at < Gtpv2Ie.HEADER_LENGTH) {
                return WALK_IE_OVERFLOW;
            }
            final int type = buf.getUnsignedByte(at + Gtpv2Ie.TYPE_OFFSET);
            final int length = buf.getUnsignedShort(at + Gtpv2Ie.LENGTH_OFFSET);
            final int instance = buf.getUnsignedByte(at + Gtpv2Ie.INSTANCE_OFFSET) & Gtpv2Ie.INSTANCE_MASK;
            final int value = at + Gtpv2Ie.HEADER_LENGTH;
            if (length > limit - value) {
                return WALK_IE_OVERFLOW;
            }
            if (Gtpv2Ie.isGrouped(type)) {
                if (level + 1 > config.maxIeDepth()) {
                    return WALK_DEPTH;
                }
                final int inner = walk(buf, value, value + length, level + 1, m);
                if (inner != WALK_OK) {
                    return inner;
                }
            } else if (level == 0) {
                readTopLevel(buf, type, instance, value, length, m);
            }
            at = value + length;
        }
        return WALK_OK;
    }

    /**
     * The message-level IEs sigmatch reads. Each counts once: the first IE of its type with
     * instance 0 (the instance every message of TS 29.274 7.x gives these IEs); F-TEIDs are read
     * with instance 0 (the sender's) and 1 (the PGW's in Create Session). IEs inside grouped IEs
     * (Bearer Contexts) describe bearers, not the subscriber, and are not read.
     */
    private void readTopLevel(final ByteBuf buf, final int type, final int instance, final int value, final int length,
        final SignalingMessage m) {
        switch (type) {
            case Gtpv2Ie.IMSI:
                if (first(SEEN_IMSI, instance)) {
                    // TS 29.274 8.3: TBCD, filler F in the last high nibble for an odd count
                    final long imsi = Digits.fromTbcd(buf, value, length);
                    if (digitsBetween(imsi, 1, MAX_IMSI_DIGITS)) {
                        m.imsi(imsi);
                    } else {
                        badTbcd.increment();
                    }
                }
                break;
            case Gtpv2Ie.MSISDN:
                if (first(SEEN_MSISDN, instance)) {
                    // TS 29.274 8.11: E.164 digits in international form, TBCD, no nature-of-address octet
                    final long msisdn = Digits.fromTbcd(buf, value, length);
                    if (digitsBetween(msisdn, 1, MAX_MSISDN_DIGITS)) {
                        m.msisdn(msisdn);
                    } else {
                        badTbcd.increment();
                    }
                }
                break;
            case Gtpv2Ie.MEI:
                if (first(SEEN_MEI, instance)) {
                    readMei(buf, value, length, m);
                }
                break;
            case Gtpv2Ie.CAUSE:
                if (first(SEEN_CAUSE, instance)) {
                    if (length >= Gtpv2Cause.MIN_LENGTH) {
                        cause = buf.getUnsignedByte(value + Gtpv2Cause.VALUE_OFFSET);
                    } else {
                        badIe.increment();
                    }
                }
                break;
            case Gtpv2Ie.RAT_TYPE:
                if (first(SEEN_RAT, instance)) {
                    if (length >= 1) {
                        eventFlags |= FLAG_RAT;
                        final Rat rat = Rat.fromGtpv2(buf.getUnsignedByte(value));
                        if (rat != Rat.UNKNOWN) {
                            m.rat(rat);
                        }
                    } else {
                        badIe.increment();
                    }
                }
                break;
            case Gtpv2Ie.SERVING_NETWORK:
                if (first(SEEN_SERVING, instance)) {
                    if (length >= UserLocationInfo.PLMN_LENGTH) {
                        final long plmn = Plmn.fromTbcd(buf, value);
                        if (plmn != Digits.INVALID) {
                            m.servingPlmn(plmn);
                        } else {
                            badTbcd.increment();
                        }
                    } else {
                        badIe.increment();
                    }
                }
                break;
            case Gtpv2Ie.ULI:
                if (first(SEEN_ULI, instance)) {
                    if (uli.wrap(buf, value, length)) {
                        readLocation(m);
                    } else {
                        badIe.increment();
                    }
                }
                break;
            case Gtpv2Ie.APN:
                if (first(SEEN_APN, instance) && !readApn(buf, value, length, m)) {
                    m.clearApn();
                    badApn.increment();
                }
                break;
            case Gtpv2Ie.F_TEID:
                if (instance <= 1) {
                    readControlTeid(buf, value, length);
                }
                break;
            case Gtpv2Ie.EBI:
                // TS 29.274 7.2.9.2: a Delete Bearer Request names the Linked EPS Bearer ID (EBI,
                // instance 0) when the whole PDN connection goes, the bearers (instance 1) otherwise
                if (first(SEEN_LBI, instance)) {
                    eventFlags |= FLAG_LBI;
                }
                break;
            default:
                break;
        }
    }

    private boolean first(final int bit, final int instance) {
        if (instance != 0 || (seen & bit) != 0) {
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

    /** TS 29.274 8.10: IMEI (15 digits, filler F) or IMEISV (16 digits), TBCD. */
    private void readMei(final ByteBuf buf, final int value, final int length, final SignalingMessage m) {
        final long mei = Digits.fromTbcd(buf, value, length);
        if (mei == Digits.INVALID) {
            badTbcd.increment();
            return;
        }
        final int n = Digits.length(mei);
        if (n != IMEI_DIGITS && n != IMEISV_DIGITS) {
            badMei.increment();
            return;
        }
        m.imei(Digits.prefix(mei, IMEI_BODY_DIGITS));
        if (n == IMEISV_DIGITS) {
            m.imeisv(mei);
        }
    }

    /**
     * The ULI parts become the message's location. The PLMN is that of the most precise part
     * present (ECGI, CGI, SAI, RAI, TAI, LAI, then the eNodeB IDs); the LAC that of CGI, else SAI,
     * else RAI, else LAI. A macro eNodeB ID names a base station, not a cell, so it only gives a PLMN.
     */
    private void readLocation(final SignalingMessage m) {
        eventFlags |= FLAG_ULI;
        if (uli.has(UserLocationInfo.TAI)) {
            m.tac(uli.tac());
        }
        if (uli.has(UserLocationInfo.ECGI)) {
            m.eci(uli.eci());
        }
        if (uli.has(UserLocationInfo.CGI)) {
            m.lac(uli.cgiLac());
            m.ci(uli.cgiCi());
        }
        if (uli.has(UserLocationInfo.SAI)) {
            if (!m.has(SignalingMessage.LAC)) {
                m.lac(uli.saiLac());
            }
            m.sac(uli.saiSac());
        }
        if (uli.has(UserLocationInfo.RAI) && !m.has(SignalingMessage.LAC)) {
            m.lac(uli.raiLac());
        }
        if (uli.has(UserLocationInfo.LAI) && !m.has(SignalingMessage.LAC)) {
            m.lac(uli.laiLac());
        }
        final long plmn;
        if (uli.has(UserLocationInfo.ECGI)) {
            plmn = uli.ecgiPlmn();
        } else if (uli.has(UserLocationInfo.CGI)) {
            plmn = uli.cgiPlmn();
        } else if (uli.has(UserLocationInfo.SAI)) {
            plmn = uli.saiPlmn();
        } else if (uli.has(UserLocationInfo.RAI)) {
            plmn = uli.raiPlmn();
        } else if (uli.has(UserLocationInfo.TAI)) {
            plmn = uli.taiPlmn();
        } else if (uli.has(UserLocationInfo.LAI)) {
            plmn = uli.laiPlmn();
        } else if (uli.has(UserLocationInfo.MACRO_ENB)) {
            plmn = uli.macroEnbPlmn();
        } else if (uli.has(UserLocationInfo.EXT_MACRO_ENB)) {
            plmn = uli.extMacroEnbPlmn();
        } else {
            return;
        }
        if (plmn == Digits.INVALID) {
            badTbcd.increment();
        } else {
            m.cellPlmn(plmn);
        }
    }

    /**
     * TS 23.003 9.1: the APN is a list of labels, each a length octet and that many characters;
     * the text form joins them with dots ("ims.mnc001.mcc001.gprs"). False when a label runs past
     * the IE or is empty, or the APN exceeds 100 octets.
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

    /** Remembers the keys of a control-plane F-TEID (one per address family it carries). */
    private void readControlTeid(final ByteBuf buf, final int value, final int length) {
        if (!fteid.wrap(buf, value, length)) {
            badIe.increment();
            return;
        }
        final long teid = fteid.teid();
        // TEID 0 is the "not yet known" TEID of initial messages (TS 29.274 5.5.2)
        if (teid == 0 || !FullyQualifiedTeid.isControlPlane(fteid.interfaceType())) {
            return;
        }
        if (fteid.hasIpv4() && fteidKeyCount < MAX_FTEID_KEYS) {
            fteidKeys[fteidKeyCount++] = teidKey(0, fteid.ipv4(), teid);
        }
        if (fteid.hasIpv6() && fteidKeyCount < MAX_FTEID_KEYS) {
            fteidKeys[fteidKeyCount++] = teidKey(fteid.ipv6Hi(), fteid.ipv6Lo(), teid);
        }
        if (!fteid.hasIpv4() && !fteid.hasIpv6() && fteidKeyCount < MAX_FTEID_KEYS) {
            fteidKeys[fteidKeyCount++] = teidKey(0, 0, teid);
        }
    }

    /**
     * The event a message or procedure stands for (see package documentation): Create Session
     * starts a data session, Delete Session ends one, a Delete Bearer naming the linked bearer ends
     * the PDN connection; Modify Bearer with a ULI or RAT Type, and any other procedure that
     * reports a ULI, is a location update.
     */
    static EventKind eventOf(final int procedureType, final int flags) {
        switch (procedureType) {
            case Gtpv2MessageType.CREATE_SESSION_REQUEST:
                return EventKind.DATA_SESSION_START;
            case Gtpv2MessageType.DELETE_SESSION_REQUEST:
                return EventKind.DATA_SESSION_END;
            case Gtpv2MessageType.DELETE_BEARER_REQUEST:
                if ((flags & FLAG_LBI) != 0) {
                    return EventKind.DATA_SESSION_END;
                }
                return (flags & FLAG_ULI) != 0 ? EventKind.LOCATION_UPDATE : EventKind.NONE;
            case Gtpv2MessageType.MODIFY_BEARER_REQUEST:
                return (flags & (FLAG_ULI | FLAG_RAT)) != 0 ? EventKind.LOCATION_UPDATE : EventKind.NONE;
            default:
                return (flags & FLAG_ULI) != 0 ? EventKind.LOCATION_UPDATE : EventKind.NONE;
        }
    }

    // ---- correlation --------------------------------------------------------------------------

    private void correlate(final PacketInfo packet, final int type, final MessageSink sink) {
        final long now = packet.timeNs;
        final int sequence = header.sequence();
        final long headerKey = header.hasTeid() && header.teid() != 0
            ? teidKey(packet.dstHi, packet.dstLo, header.teid()) : NO_KEY;

        if (Gtpv2MessageType.isAnswer(type)) {
            final int slot = pending.find(exchangeKey(packet, sequence, false));
            if (slot >= 0 && Gtpv2MessageType.answerOf(pending.message(slot).messageType()) == type) {
                completeWithAnswer(slot, headerKey, now, sink);
            } else {
                answerWithoutRequest(headerKey, now, sink);
            }
            return;
        }

        if (Gtpv2MessageType.isCommandTriggered(type)) {
            // 7.6: the request a command triggers carries the command's sequence number and comes
            // from the other side; it tells that the command was accepted
            final int command = pending.find(exchangeKey(packet, sequence, false));
            if (command >= 0 && Gtpv2MessageType.isCommand(pending.message(command).messageType())) {
                completeCommand(command, now, sink);
            }
        }

        if (!Gtpv2MessageType.expectsAnswer(type)) {
            // an indication, or a type without a known answer: complete at once
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
                // a retransmission (TS 29.274 7.6) keeps the first copy and its deadline
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
        // the TEID names the subscriber as of now: by the time the answer or the time-out comes, a
        // Delete Session may have released it or another session taken it over
        resolve(copy, headerKey, now);
        pending.attachment(slot, ATTACH_HEADER_KEY, headerKey);
        pending.attachment(slot, ATTACH_FLAGS, eventFlags);
        if (type == Gtpv2MessageType.CREATE_SESSION_REQUEST) {
            // the MME's (or SGW's on S5/S8) control TEID now names this subscriber: the answer and
            // every later message addressed to it resolve through the table
            for (int i = 0; i < fteidKeyCount && i < MAX_LEARNED; i++) {
                learn(fteidKeys[i], message, now);
                pending.attachment(slot, ATTACH_LEARNED + i, fteidKeys[i]);
            }
        }
    }

    private void completeWithAnswer(final int slot, final long answerKey, final long now, final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        final int requestType = request.messageType();
        final int flags = (int) pending.attachment(slot, ATTACH_FLAGS) | eventFlags;
        final long requestKey = pending.attachment(slot, ATTACH_HEADER_KEY);

        procedure.copyFrom(request);
        overlay(procedure, message);
        procedure.header(message.frame(), message.timeNs(), message.sourceId());
        final Outcome outcome = message.has(SignalingMessage.OUTCOME) ? message.outcome() : Outcome.UNKNOWN;
        procedure.outcome(outcome);
        procedure.event(eventOf(requestType, flags));
        resolve(procedure, requestKey, now);
        resolve(procedure, answerKey, now);

        if (requestType == Gtpv2MessageType.CREATE_SESSION_REQUEST) {
            if (outcome == Outcome.REJECTED) {
                for (int i = 0; i < MAX_LEARNED; i++) {
                    release(pending.attachment(slot, ATTACH_LEARNED + i), now);
                }
            } else {
                learnAll(procedure, now);
            }
        } else if (requestType == Gtpv2MessageType.DELETE_SESSION_REQUEST && outcome == Outcome.ACCEPTED) {
            release(requestKey, now);
            release(answerKey, now);
        }
        paired.increment();
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    private void answerWithoutRequest(final long answerKey, final long now, final MessageSink sink) {
        final int type = message.messageType();
        procedure.copyFrom(message);
        if (!procedure.has(SignalingMessage.OUTCOME)) {
            procedure.outcome(Outcome.UNKNOWN);
        }
        resolve(procedure, answerKey, now);
        final int requestType = Gtpv2MessageType.requestOf(type);
        if (requestType == Gtpv2MessageType.CREATE_SESSION_REQUEST && procedure.outcome() == Outcome.ACCEPTED) {
            learnAll(procedure, now);
        } else if (requestType == Gtpv2MessageType.DELETE_SESSION_REQUEST && procedure.outcome() == Outcome.ACCEPTED) {
            release(answerKey, now);
        }
        answerWithoutRequest.increment();
        sink.onProcedure(procedure);
    }

    private void completeCommand(final int slot, final long now, final MessageSink sink) {
        final SignalingMessage command = pending.message(slot);
        procedure.copyFrom(command);
        procedure.header(message.frame(), message.timeNs(), message.sourceId());
        procedure.outcome(Outcome.ACCEPTED);
        procedure.event(eventOf(command.messageType(), (int) pending.attachment(slot, ATTACH_FLAGS)));
        resolve(procedure, pending.attachment(slot, ATTACH_HEADER_KEY), now);
        commandTriggered.increment();
        pending.remove(slot);
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

    /** Learns every control-plane F-TEID of the current message for the procedure's subscriber. */
    private void learnAll(final SignalingMessage who, final long now) {
        for (int i = 0; i < fteidKeyCount; i++) {
            learn(fteidKeys[i], who, now);
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
     * A TEID is unique only within the node that allocated it, so the key folds in that node's
     * address: the F-TEID's address when learning, the packet's destination when a header TEID is
     * looked up (TS 29.274 5.5: the header TEID is the receiver's).
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
     * A request and its answer share the sequence number and the pair of endpoints (the answer goes
     * back to where the request came from, TS 29.274 4.2); the side that sent the request is folded
     * in too, since each side numbers its own requests.
     */
    private static long exchangeKey(final PacketInfo packet, final int sequence, final boolean request) {
        final long src = packet.srcKey();
        final long dst = packet.dstKey();
        final boolean fromLowerSide = request ? src <= dst : dst <= src;
        long h = packet.peerKey() ^ ((long) sequence << 1 | (fromLowerSide ? 1 : 0)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return h;
    }
}
