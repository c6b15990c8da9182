package io.sigmatch.decoder.sip;

import static io.sigmatch.decoder.sip.SipMessage.isLws;
import static io.sigmatch.decoder.sip.SipMessage.lower;

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
 * SIP (RFC 3261) decoder for one decoding thread, with the IMS fields of TS 24.229 sigmatch needs.
 * As a {@link StreamDecoder} it frames a TCP stream by the empty line and Content-Length (18.3); as a
 * {@link io.sigmatch.decoder.PayloadDecoder} it takes one UDP datagram. Every message goes to
 * {@link MessageSink#onMessage} with the identities, numbers and cell its own headers carry; requests
 * are paired with their final response by Call-ID, CSeq and the top Via branch (17.1.3), and the
 * procedures go to {@link MessageSink#onProcedure}. See the package documentation for which header is
 * "the" calling number, called number, IMSI, IMEI and cell, and for the event rules.
 *
 * <p>Hot path: one {@link SipMessage} and two {@link SipUri} flyweights over the caller's buffer, two
 * reused {@link SignalingMessage}s, tables of primitives sized at construction. Nothing is allocated
 * per message (names are made at class load) and no input throws.
 */
public final class SipDecoder implements StreamDecoder {
    public static final String MESSAGES = "decode.sip.messages";
    public static final String KEEPALIVES = "decode.sip.keepalives";
    public static final String ERROR = "decode.sip.error.";
    public static final String TRUNCATED = "truncated";
    public static final String BAD_START_LINE = "bad_start_line";
    public static final String LINE_TOO_LONG = "line_too_long";
    public static final String FOLDING = "folding";
    public static final String TOO_MANY_HEADERS = "too_many_headers";
    public static final String BAD_HEADER = "bad_header";
    public static final String BAD_CONTENT_LENGTH = "bad_content_length";
    public static final String CONTENT_OVERFLOW = "content_overflow";
    public static final String TOO_LONG = "too_long";
    public static final String MISSING_HEADER = "missing_header";
    public static final String BAD_CSEQ = "bad_cseq";
    public static final String TRAILING = "trailing";
    public static final String BAD_NUMBER = "bad_number";
    public static final String BAD_IMEI = "bad_imei";
    public static final String BAD_PANI = "bad_pani";
    public static final String BAD_SMS = "bad_sms";

    public static final String CORRELATE = "correlate.sip.";
    public static final String PAIRED = "paired";
    public static final String TIMED_OUT = "timed_out";
    public static final String FLUSHED = "flushed";
    public static final String RESPONSE_WITHOUT_REQUEST = "response_without_request";
    public static final String RETRANSMISSION = "retransmission";
    public static final String PENDING_EVICTED = "pending_evicted";
    public static final String HOP_DUPLICATE = "hop_duplicate";
    public static final String DIALOG_RESOLVED = "dialog_resolved";

    private static final int MAX_E164_DIGITS = 15;
    private static final int MIN_IMSI_DIGITS = 6;
    private static final int IMEI_BODY_DIGITS = 14;

    /** Pending attachments: event to report at completion, Call-ID hash. */
    private static final int ATTACH_EVENT = 0;
    private static final int ATTACH_DIALOG = 1;
    private static final int ATTACH_EARLY = 2;
    private static final int ATTACHMENTS = 3;

    private static final int LOCATION_FIELDS = SignalingMessage.CELL_PLMN | SignalingMessage.TAC | SignalingMessage.LAC
        | SignalingMessage.ECI | SignalingMessage.CI | SignalingMessage.NCI | SignalingMessage.RAT;

    private final SipConfig config;
    private final int countryCode;
    private final int countryDigits;
    private final int trunkPrefix;
    private final int trunkDigits;
    private final int internationalPrefix;
    private final int internationalDigits;
    private final SipMessage sip;
    private final SipUri uri = new SipUri();
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();
    /** INVITE and non-INVITE transactions wait in separate tables: each expires in arrival order. */
    private final PendingRequestTable pending;
    private final PendingRequestTable pendingInvites;
    private final SubscriberTable dialogs;
    private final SubscriberTable earlyReported;

    // per-message results the event rules and correlation use
    private long divertingParty;
    private long forwardTarget;
    private boolean deregistration;
    private int smsDirection;
    private boolean transportDatagram;

    private final AtomicCounter messages;
    private final AtomicCounter keepalives;
    private final AtomicCounter[] parseErrors = new AtomicCounter[12];
    private final AtomicCounter trailing;
    private final AtomicCounter badNumber;
    private final AtomicCounter badImei;
    private final AtomicCounter badPani;
    private final AtomicCounter badSms;
    private final AtomicCounter paired;
    private final AtomicCounter timedOut;
    private final AtomicCounter flushed;
    private final AtomicCounter responseWithoutRequest;
    private final AtomicCounter retransmission;
    private final AtomicCounter pendingEvicted;
    private final AtomicCounter hopDuplicate;
    private final AtomicCounter dialogResolved;

    /**
     * @param countryCode E.164 country code for national numbers when {@link SipConfig#countryCode()} is not
     *                    set ({@link io.sigmatch.decoder.DecoderConfig#countryCode()})
     */
    public SipDecoder(final Counters counters, final SipConfig config, final int countryCode) {
        this.config = config.conclude();
        final int cc = config.countryCode() != 0 ? config.countryCode() : countryCode;
        if (cc < 1 || cc > 999) {
            throw new IllegalArgumentException("countryCode must be 1..999: " + cc);
        }
        this.countryCode = cc;
        countryDigits = cc >= 100 ? 3 : cc >= 10 ? 2 : 1;
        trunkPrefix = config.trunkPrefix().isEmpty() ? -1 : Integer.parseInt(config.trunkPrefix());
        trunkDigits = config.trunkPrefix().length();
        internationalPrefix = config.internationalPrefix().isEmpty() ? -1 : Integer.parseInt(config.internationalPrefix());
        internationalDigits = config.internationalPrefix().length();
        sip = new SipMessage(config);
        pending = new PendingRequestTable(config.pendingRequests(), ATTACHMENTS);
        pendingInvites = new PendingRequestTable(config.pendingRequests(), ATTACHMENTS);
        dialogs = new SubscriberTable(config.dialogTableEntries(), config.dialogIdleExpiryNs());
        earlyReported = new SubscriberTable(config.pendingRequests(), config.answerTimeoutNs());
        messages = counters.counter(MESSAGES);
        keepalives = counters.counter(KEEPALIVES);
        final String[] reasons = {null, TRUNCATED, BAD_START_LINE, LINE_TOO_LONG, FOLDING, TOO_MANY_HEADERS, BAD_HEADER,
            BAD_CONTENT_LENGTH, CONTENT_OVERFLOW, TOO_LONG, MISSING_HEADER, BAD_CSEQ};
        for (int i = 1; i < reasons.length; i++) {
            parseErrors[i] = counters.counter(ERROR + reasons[i]);
        }
        trailing = counters.counter(ERROR + TRAILING);
        badNumber = counters.counter(ERROR + BAD_NUMBER);
        badImei = counters.counter(ERROR + BAD_IMEI);
        badPani = counters.counter(ERROR + BAD_PANI);
        badSms = counters.counter(ERROR + BAD_SMS);
        paired = counters.counter(CORRELATE + PAIRED);
        timedOut = counters.counter(CORRELATE + TIMED_OUT);
        flushed = counters.counter(CORRELATE + FLUSHED);
        responseWithoutRequest = counters.counter(CORRELATE + RESPONSE_WITHOUT_REQUEST);
        retransmission = counters.counter(CORRELATE + RETRANSMISSION);
        pendingEvicted = counters.counter(CORRELATE + PENDING_EVICTED);
        hopDuplicate = counters.counter(CORRELATE + HOP_DUPLICATE);
        dialogResolved = counters.counter(CORRELATE + DIALOG_RESOLVED);
    }

    public SipConfig config() {
        return config;
    }

    /** Requests waiting for their final response. */
    public int pendingRequests() {
        return pending.size() + pendingInvites.size();
    }

    /** Call-IDs currently known with a subscriber (never the identities). */
    public int dialogTableSize() {
        return dialogs.size();
    }

    /**
     * The message last handed to {@link MessageSink#onMessage}, as parsed: valid during that callback
     * only (tests read the Call-ID, CSeq and URIs through it).
     */
    public SipMessage lastMessage() {
        return sip;
    }

    // ---- framing ------------------------------------------------------------------------------

    @Override
    public int messageLength(final ByteBuf buffer, final int offset, final int available) {
        if (available <= 0) {
            return NEED_MORE;
        }
        // RFC 5626 4.4.1: CRLF keep-alives between messages are a "message" of their own, ignored
        int ws = 0;
        while (ws < available && isCrLf(buffer.getByte(offset + ws))) {
            ws++;
        }
        if (ws > 0) {
            return ws;
        }
        final int window = Math.min(available, config.maxMessageBytes());
        final int firstLf = buffer.indexOf(offset, offset + window, (byte) '\n');
        if (firstLf < 0) {
            if (window > config.maxLineBytes() || !plausiblePrefix(buffer, offset, window)) {
                return NOT_A_MESSAGE;
            }
            return NEED_MORE;
        }
        if (!plausibleStart(buffer, offset, firstLf - offset + 1)) {
            return NOT_A_MESSAGE;
        }
        // find the empty line and Content-Length in the header lines
        int at = firstLf + 1;
        long contentLength = 0;
        while (true) {
            final int lf = at >= offset + window ? -1 : buffer.indexOf(at, offset + window, (byte) '\n');
            if (lf < 0) {
                return available >= config.maxMessageBytes() ? NOT_A_MESSAGE : NEED_MORE;
            }
            final int lineEnd = lf > at && buffer.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            if (lineEnd == at) {
                at = lf + 1;
                break;
            }
            final long cl = contentLengthOf(buffer, at, lineEnd);
            if (cl == -2) {
                return NOT_A_MESSAGE;
            }
            if (cl >= 0) {
                contentLength = cl;
            }
            at = lf + 1;
        }
        final long total = at - offset + contentLength;
        if (total > config.maxMessageBytes()) {
            return NOT_A_MESSAGE;
        }
        return total > available ? NEED_MORE : (int) total;
    }

    /** Content-Length of a header line (long or compact form), -1 for another header, -2 when malformed. */
    private static long contentLengthOf(final ByteBuf b, final int from, final int lineEnd) {
        final byte c0 = b.getByte(from);
        if (c0 != 'l' && c0 != 'L' && c0 != 'c' && c0 != 'C') {
            return -1;
        }
        int colon = from;
        while (colon < lineEnd && b.getByte(colon) != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > from && SipMessage.isSpace(b.getByte(nameEnd - 1))) {
            nameEnd--;
        }
        final int n = nameEnd - from;
        final boolean compact = n == 1 && lower(c0) == 'l';
        if (!compact && !(n == 14 && equalsLower(b, from, "content-length"))) {
            return -1;
        }
        int v = colon + 1;
        while (v < lineEnd && SipMessage.isSpace(b.getByte(v))) {
            v++;
        }
        int e = lineEnd;
        while (e > v && SipMessage.isSpace(b.getByte(e - 1))) {
            e--;
        }
        if (v == e || e - v > 9) {
            return -2;
        }
        long value = 0;
        for (int i = v; i < e; i++) {
            final int d = b.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return -2;
            }
            value = value * 10 + d;
        }
        return value;
    }

    @Override
    public int findMessageStart(final ByteBuf buffer, final int offset, final int available) {
        for (int i = 0; i < available; i++) {
            if (i > 0 && buffer.getByte(offset + i - 1) != '\n') {
                continue; // a message starts at the beginning of a line
            }
            final int left = available - i;
            final int lf = buffer.indexOf(offset + i, offset + i + Math.min(left, config.maxLineBytes()), (byte) '\n');
            if (lf < 0) {
                if (left < config.maxLineBytes() && plausiblePrefix(buffer, offset + i, left)) {
                    return i; // a start line may be completing in the next segment
                }
                continue;
            }
            if (plausibleStart(buffer, offset + i, lf - (offset + i) + 1)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True when the bytes begin with a SIP start line (up to its LF, or all of them when no LF is
     * there yet): "SIP/2.0 ddd" or "METHOD uri SIP/2.0". The content sniffer uses it for UDP payloads
     * on ports not configured as SIP.
     */
    public boolean plausibleStart(final ByteBuf buffer, final int offset, final int length) {
        if (length < SipConfig.MIN_MESSAGE_BYTES - 4) {
            return false;
        }
        int lf = buffer.indexOf(offset, offset + Math.min(length, config.maxLineBytes()), (byte) '\n');
        if (lf < 0) {
            return false;
        }
        final int end = lf > offset && buffer.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        if (startsWithVersion(buffer, offset, end)) {
            if (end - offset < 11 || buffer.getByte(offset + 7) != ' ') {
                return false;
            }
            for (int i = 8; i < 11; i++) {
                final byte d = buffer.getByte(offset + i);
                if (d < '0' || d > '9') {
                    return false;
                }
            }
            return buffer.getByte(offset + 8) >= '1' && buffer.getByte(offset + 8) <= '6';
        }
        int sp = offset;
        while (sp < end && SipMessage.isTokenChar(buffer.getByte(sp))) {
            sp++;
        }
        if (sp == offset || sp - offset > 32 || sp >= end || buffer.getByte(sp) != ' ') {
            return false;
        }
        return end - offset > 8 && startsWithVersion(buffer, end - 7, end) && buffer.getByte(end - 8) == ' ';
    }

    /** Whether bytes without a line end yet could begin a start line (a token or "SIP/"). */
    private static boolean plausiblePrefix(final ByteBuf b, final int offset, final int length) {
        for (int i = 0; i < length; i++) {
            final byte c = b.getByte(offset + i);
            if (c == ' ') {
                return i > 0;
            }
            if (!SipMessage.isTokenChar(c) && c != '/') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithVersion(final ByteBuf b, final int from, final int end) {
        return end - from >= 7 && (b.getByte(from) | 0x20) == 's' && (b.getByte(from + 1) | 0x20) == 'i'
            && (b.getByte(from + 2) | 0x20) == 'p' && b.getByte(from + 3) == '/' && b.getByte(from + 4) == '2'
            && b.getByte(from + 5) == '.' && b.getByte(from + 6) == '0';
    }

    private static boolean isCrLf(final byte b) {
        return b == '\r' || b == '\n';
    }

    // ---- wire ---------------------------------------------------------------------------------

    @Override
    public void decode(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length,
        final MessageSink sink) {
        final int end = offset + length;
        int at = offset;
        while (at < end && (isCrLf(buffer.getByte(at)) || buffer.getByte(at) == 0)) {
            at++;
        }
        if (at == end) {
            keepalives.increment(); // RFC 5626 CRLF keep-alive (also sent over UDP)
            return;
        }
        transportDatagram = packet.transport != PacketInfo.TRANSPORT_TCP;
        final int status = sip.wrap(buffer, at, end - at, transportDatagram);
        if (status != SipMessage.OK) {
            parseErrors[status].increment();
            return;
        }
        decodeMessage(packet, sink);
        // 18.3: octets after the body of a datagram are discarded; on a stream the framer cut exactly
        int rest = sip.end();
        while (rest < end && (isCrLf(buffer.getByte(rest)) || buffer.getByte(rest) == 0)) {
            rest++;
        }
        if (rest < end) {
            trailing.increment();
        }
    }

    private void decodeMessage(final PacketInfo packet, final MessageSink sink) {
        final SignalingMessage m = message.reset();
        m.header(packet.frame, packet.timeNs, packet.sourceId);
        final boolean request = sip.isRequest();
        if (request) {
            m.message(Protocol.SIP, sip.method(), SipMethod.name(sip.method()), true);
        } else {
            final int s = sip.status();
            m.message(Protocol.SIP, s, SipMethod.responseName(s, sip.cseqMethod()), false);
            if (s >= 200) {
                m.outcome(s < 300 ? Outcome.ACCEPTED : Outcome.REJECTED);
            }
        }
        divertingParty = Digits.NONE;
        forwardTarget = Digits.NONE;
        deregistration = false;
        smsDirection = 0;
        readIdentities(m, request);
        readImei(m);
        readAccessNetworkInfo(m);
        if (request && sip.method() == SipMethod.MESSAGE) {
            readSms(m);
        }
        final EventKind kind = eventOf(m, request);
        m.event(kind);
        if (kind == EventKind.CALL_FORWARDING_SET) {
            applyForwarding(m);
        } else if (kind == EventKind.SMS_MT && m.has(SignalingMessage.CALLED)) {
            m.msisdn(m.called()); // the recipient is the subscriber of an MT SMS
        }
        messages.increment();
        sink.onMessage(m);
        correlate(packet, request, kind, sink);
    }

    // ---- identities ---------------------------------------------------------------------------

    /**
     * calling: P-Asserted-Identity, else P-Preferred-Identity, else From (a request's originator; in a
     * response, From). called: the Request-URI, else To (a response: To). msisdn: the subscriber — a
     * REGISTER's To (the public identity registered), otherwise the calling number. imsi: the first
     * IMSI-derived public identity (TS 23.003 13.4B) among To, From and P-Asserted-Identity.
     */
    private void readIdentities(final SignalingMessage m, final boolean request) {
        // one pass per header gives both its first number and its first IMSI-derived identity
        scanIdentities(SipMessage.H_FROM);
        final long fromNumber = scannedNumber;
        final long fromImsi = scannedImsi;
        scanIdentities(SipMessage.H_TO);
        final long to = scannedNumber;
        final long toImsi = scannedImsi;
        long paiImsi = Digits.NONE;
        long calling = Digits.NONE;
        if (request) {
            scanIdentities(SipMessage.H_PAI);
            calling = scannedNumber;
            paiImsi = scannedImsi;
            if (calling == Digits.NONE) {
                calling = firstNumber(SipMessage.H_PPI);
            }
        } else if (sip.kept(SipMessage.H_PAI) > 0) {
            paiImsi = firstImsi(SipMessage.H_PAI);
        }
        if (calling == Digits.NONE) {
            calling = fromNumber;
        }
        long called = Digits.NONE;
        if (request && uri.wrapUri(sip.buffer(), sip.requestUriFrom(), sip.requestUriEnd())) {
            called = number(uri);
        }
        if (called == Digits.NONE) {
            called = to;
        }
        if (calling != Digits.NONE) {
            m.calling(calling);
        }
        if (called != Digits.NONE) {
            m.called(called);
        }
        final long subscriber = request && sip.method() == SipMethod.REGISTER ? to : calling;
        if (subscriber != Digits.NONE) {
            m.msisdn(subscriber);
        }
        final long imsi = toImsi != Digits.NONE ? toImsi : fromImsi != Digits.NONE ? fromImsi : paiImsi;
        if (imsi != Digits.NONE) {
            m.imsi(imsi);
        }
    }

    private long scannedNumber;
    private long scannedImsi;

    /** The first number and the first IMSI-derived identity among a header's entries, in one pass. */
    private void scanIdentities(final int header) {
        scannedNumber = Digits.NONE;
        scannedImsi = Digits.NONE;
        for (int o = 0; o < sip.kept(header); o++) {
            final int to = sip.valueEnd(header, o);
            int at = sip.valueFrom(header, o);
            while (at < to) {
                final int e = SipUri.entryEnd(sip.buffer(), at, to);
                if (uri.wrapEntry(sip.buffer(), at, e)) {
                    final long imsi = imsi(uri);
                    if (imsi != Digits.NONE) {
                        if (scannedImsi == Digits.NONE) {
                            scannedImsi = imsi;
                        }
                    } else if (scannedNumber == Digits.NONE) {
                        scannedNumber = number(uri);
                    }
                    if (scannedNumber != Digits.NONE && scannedImsi != Digits.NONE) {
                        return;
                    }
                }
                at = e + 1;
            }
        }
    }

    /** The first number among the entries of every kept occurrence of a header, or NONE. */
    private long firstNumber(final int header) {
        for (int o = 0; o < sip.kept(header); o++) {
            final int to = sip.valueEnd(header, o);
            int at = sip.valueFrom(header, o);
            while (at < to) {
                final int e = SipUri.entryEnd(sip.buffer(), at, to);
                if (uri.wrapEntry(sip.buffer(), at, e)) {
                    final long n = number(uri);
                    if (n != Digits.NONE) {
                        return n;
                    }
                }
                at = e + 1;
            }
        }
        return Digits.NONE;
    }

    private long firstImsi(final int header) {
        for (int o = 0; o < sip.kept(header); o++) {
            final int to = sip.valueEnd(header, o);
            int at = sip.valueFrom(header, o);
            while (at < to) {
                final int e = SipUri.entryEnd(sip.buffer(), at, to);
                if (uri.wrapEntry(sip.buffer(), at, e)) {
                    final long imsi = imsi(uri);
                    if (imsi != Digits.NONE) {
                        return imsi;
                    }
                }
                at = e + 1;
            }
        }
        return Digits.NONE;
    }

    /**
     * The number a URI names, in international form, or NONE when it names none. tel: (RFC 3966) is
     * always a number; sip:/sips: when the user part starts with '+', the URI has user=phone (19.1.6),
     * or the user part is a dial string of digits and visual separators — unless it is an IMSI-derived
     * identity ({@link #imsi}). '-', '.', '(' and ')' are visual separators; any other character (letters,
     * '*', '#') makes it no number. Forms: "+CC..." is international; a local number with
     * phone-context "+CC..." (RFC 3966 5.1.5) takes those digits first; a local number with a domain
     * context or none: the international prefix ("00") makes it international, the trunk prefix ("0")
     * is dropped and the country code put first, and one shorter than nationalMinDigits (a short code,
     * 10086) is kept as dialled. Over 15 digits: bad_number.
     */
    long number(final SipUri u) {
        final int scheme = u.scheme();
        if (scheme != SipUri.TEL && !u.isSip() || u.userFrom() < 0 || u.userEnd() <= u.userFrom()) {
            return Digits.NONE;
        }
        final ByteBuf b = sip.buffer();
        int at = u.userFrom();
        final int end = u.userEnd();
        final boolean plus = b.getByte(at) == '+';
        if (plus) {
            at++;
        }
        if (u.isSip() && !plus && !u.hasParam("user", "phone") && imsi(u) != Digits.NONE) {
            return Digits.NONE;
        }
        long digits = Digits.NONE;
        int count = 0;
        for (int i = at; i < end; i++) {
            final byte c = b.getByte(i);
            if (c == '-' || c == '.' || c == '(' || c == ')') {
                continue;
            }
            if (c < '0' || c > '9') {
                return Digits.NONE;
            }
            if (++count > MAX_E164_DIGITS) {
                badNumber.increment();
                return Digits.NONE;
            }
            digits = Digits.append(digits, c - '0');
        }
        if (count == 0) {
            return Digits.NONE;
        }
        if (plus) {
            return digits;
        }
        final int context = u.param("phone-context");
        if (context >= 0 && context < u.paramEnd(context) && b.getByte(context) == '+') {
            // a global number prefix as context: its digits go first (RFC 3966 5.1.5)
            long global = Digits.NONE;
            final int ce = u.paramEnd(context);
            for (int i = context + 1; i < ce; i++) {
                final byte c = b.getByte(i);
                if (c >= '0' && c <= '9') {
                    global = Digits.append(global, c - '0');
                } else if (c != '-' && c != '.' && c != '(' && c != ')') {
                    return Digits.NONE;
                }
            }
            return concat(global, digits);
        }
        return national(digits);
    }

    /** A local number in international form by the configured prefixes and country code. */
    long national(final long local) {
        final int n = Digits.length(local);
        if (internationalDigits > 0 && n > internationalDigits && Digits.prefix(local, internationalDigits)
            == Digits.pack(internationalPrefix, internationalDigits)) {
            return Digits.pack(Digits.value(local) % pow10(n - internationalDigits), n - internationalDigits);
        }
        long body = local;
        if (trunkDigits > 0 && n > trunkDigits && Digits.prefix(local, trunkDigits) == Digits.pack(trunkPrefix, trunkDigits)) {
            body = Digits.pack(Digits.value(local) % pow10(n - trunkDigits), n - trunkDigits);
        } else if (n < config.nationalMinDigits()) {
            return local; // a short code: as dialled
        }
        if (Digits.length(body) < config.nationalMinDigits()) {
            return local;
        }
        return concat(Digits.pack(countryCode, countryDigits), body);
    }

    private long concat(final long head, final long tail) {
        final int total = Digits.length(head) + Digits.length(tail);
        if (total > MAX_E164_DIGITS) {
            badNumber.increment();
            return Digits.NONE;
        }
        return Digits.pack(Digits.value(head) * pow10(Digits.length(tail)) + Digits.value(tail), total);
    }

    private static long pow10(final int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /**
     * TS 23.003 13.4B: a temporary public user identity sip:IMSI@ims.mncMNC.mccMCC.3gppnetwork.org (MNC
     * zero-padded to 3 digits); its user part is the IMSI when it is 6..15 digits starting with that MCC
     * and MNC. NONE otherwise.
     */
    long imsi(final SipUri u) {
        if (!u.isSip() || u.userFrom() < 0 || u.hostFrom() < 0) {
            return Digits.NONE;
        }
        final ByteBuf b = sip.buffer();
        final int h = u.hostFrom();
        // "ims.mncNNN.mccNNN.3gppnetwork.org"
        if (u.hostEnd() - h != 33 || !equalsLower(b, h, "ims.mnc") || !equalsLower(b, h + 10, ".mcc")
            || !equalsLower(b, h + 17, ".3gppnetwork.org")) {
            return Digits.NONE;
        }
        final long mnc = Digits.fromAscii(b, h + 7, 3);
        final long mcc = Digits.fromAscii(b, h + 14, 3);
        final int n = u.userEnd() - u.userFrom();
        if (mnc == Digits.INVALID || mcc == Digits.INVALID || n < MIN_IMSI_DIGITS || n > 15) {
            return Digits.NONE;
        }
        final long user = Digits.fromAscii(b, u.userFrom(), n);
        if (user == Digits.INVALID || Digits.prefix(user, 3) != mcc) {
            return Digits.NONE;
        }
        final long mnc3 = Digits.value(Digits.prefix(user, 6)) % 1000;
        final long mnc2 = Digits.value(Digits.prefix(user, 5)) % 100;
        final long want = Digits.value(mnc);
        return mnc3 == want || want < 100 && mnc2 == want ? user : Digits.NONE;
    }

    // ---- IMEI ---------------------------------------------------------------------------------

    private static final String IMEI_URN = "<urn:gsma:imei:";

    /**
     * Contact {@code +sip.instance="<urn:gsma:imei:TAC-SNR-spare[;svn=SV]>"} (RFC 7254, TS 24.229 5.1.1.2):
     * the IMEI body is the 8 TAC and 6 SNR digits; with svn, the IMEISV. Also on a 200 to REGISTER.
     */
    private void readImei(final SignalingMessage m) {
        final ByteBuf b = sip.buffer();
        for (int o = 0; o < sip.kept(SipMessage.H_CONTACT); o++) {
            final int to = sip.valueEnd(SipMessage.H_CONTACT, o);
            int at = sip.valueFrom(SipMessage.H_CONTACT, o);
            while (at < to) {
                final int e = SipUri.entryEnd(b, at, to);
                if (uri.wrapEntry(b, at, e)) {
                    int v = uri.entryParam("+sip.instance");
                    if (v >= 0) {
                        if (v < e && b.getByte(v) == '"') {
                            v++;
                        }
                        if (e - v >= IMEI_URN.length() && equalsLower(b, v, IMEI_URN)) {
                            readImeiUrn(b, v + IMEI_URN.length(), e, m);
                            return;
                        }
                    }
                }
                at = e + 1;
            }
        }
    }

    private void readImeiUrn(final ByteBuf b, final int from, final int end, final SignalingMessage m) {
        // 8 digits '-' 6 digits '-' 1 digit
        if (end - from < 17 || b.getByte(from + 8) != '-' || b.getByte(from + 15) != '-') {
            badImei.increment();
            return;
        }
        final long tac = Digits.fromAscii(b, from, 8);
        final long snr = Digits.fromAscii(b, from + 9, 6);
        final long spare = Digits.fromAscii(b, from + 16, 1);
        if (tac == Digits.INVALID || snr == Digits.INVALID || spare == Digits.INVALID) {
            badImei.increment();
            return;
        }
        final long body = Digits.pack(Digits.value(tac) * 1_000_000L + Digits.value(snr), IMEI_BODY_DIGITS);
        m.imei(body);
        final int svn = from + 17;
        if (end - svn >= 7 && equalsLower(b, svn, ";svn=")) {
            final long sv = Digits.fromAscii(b, svn + 5, 2);
            if (sv != Digits.INVALID) {
                m.imeisv(Digits.pack(Digits.value(body) * 100 + Digits.value(sv), 16));
            }
        }
    }

    // ---- P-Access-Network-Info ----------------------------------------------------------------

    /**
     * TS 24.229 7.2A.4: access-type *(";" access-info). The first 3GPP access of the first header:
     * 3GPP-E-UTRAN-FDD/TDD utran-cell-id-3gpp = MCC MNC TAC(4 hex) ECI(7 hex); 3GPP-NR-FDD/TDD
     * nr-cell-id-3gpp (or utran-cell-id-3gpp) = MCC MNC TAC(6 hex) NCI(9 hex); 3GPP-UTRAN-FDD/TDD
     * utran-cell-id-3gpp = MCC MNC LAC(4 hex) UC-Id(7 hex); 3GPP-GERAN cgi-3gpp = MCC MNC LAC(4 hex) CI(4 hex).
     * The MNC has 2 or 3 digits: what the fixed-length rest leaves.
     */
    private void readAccessNetworkInfo(final SignalingMessage m) {
        if (sip.kept(SipMessage.H_PANI) == 0) {
            return;
        }
        final ByteBuf b = sip.buffer();
        final int from = sip.valueFrom(SipMessage.H_PANI, 0);
        final int end = SipUri.entryEnd(b, from, sip.valueEnd(SipMessage.H_PANI, 0));
        int typeEnd = from;
        while (typeEnd < end && b.getByte(typeEnd) != ';' && !isLws(b.getByte(typeEnd))) {
            typeEnd++;
        }
        final Rat rat;
        final int rest;     // hex digits after MCC+MNC
        final int areaDigits;
        final String param;
        final String altParam;
        if (startsLower(b, from, typeEnd, "3gpp-e-utran")) {
            rat = Rat.EUTRAN;
            rest = 11;
            areaDigits = 4;
            param = "utran-cell-id-3gpp";
            altParam = null;
        } else if (startsLower(b, from, typeEnd, "3gpp-nr")) {
            rat = Rat.NR;
            rest = 15;
            areaDigits = 6;
            param = "nr-cell-id-3gpp";
            altParam = "utran-cell-id-3gpp";
        } else if (startsLower(b, from, typeEnd, "3gpp-utran")) {
            rat = Rat.UTRAN;
            rest = 11;
            areaDigits = 4;
            param = "utran-cell-id-3gpp";
            altParam = null;
        } else if (startsLower(b, from, typeEnd, "3gpp-geran")) {
            rat = Rat.GERAN;
            rest = 8;
            areaDigits = 4;
            param = "cgi-3gpp";
            altParam = null;
        } else {
            return; // IEEE-802.11, DSL...: no cell
        }
        int v = accessInfo(b, typeEnd, end, param);
        if (v < 0 && altParam != null) {
            v = accessInfo(b, typeEnd, end, altParam);
        }
        m.rat(rat);
        if (v < 0) {
            return;
        }
        if (v < end && b.getByte(v) == '"') {
            v++;
        }
        int ve = v;
        while (ve < end && isHex(b.getByte(ve))) {
            ve++;
        }
        final int n = ve - v;
        final int mncDigits = n - 3 - rest;
        if (mncDigits != 2 && mncDigits != 3) {
            badPani.increment();
            return;
        }
        final long mcc = Digits.fromAscii(b, v, 3);
        final long mnc = Digits.fromAscii(b, v + 3, mncDigits);
        if (mcc == Digits.INVALID || mnc == Digits.INVALID) {
            badPani.increment();
            return;
        }
        final int a = v + 3 + mncDigits;
        final long area = hex(b, a, areaDigits);
        final long cell = hex(b, a + areaDigits, rest - areaDigits);
        m.cellPlmn(Plmn.of((int) Digits.value(mcc), (int) Digits.value(mnc), mncDigits));
        if (rat == Rat.EUTRAN) {
            m.tac((int) area);
            m.eci(cell);
        } else if (rat == Rat.NR) {
            m.tac((int) area);
            m.nci(cell);
        } else {
            m.lac((int) area);
            m.ci((int) cell);
        }
    }

    /** Offset of the value of ";name=" among the access-info parameters in [from, end), or -1. */
    private static int accessInfo(final ByteBuf b, final int from, final int end, final String name) {
        for (int i = from; i < end; i++) {
            if (b.getByte(i) != ';') {
                continue;
            }
            int p = i + 1;
            while (p < end && isLws(b.getByte(p))) {
                p++;
            }
            if (end - p > name.length() && equalsLower(b, p, name)) {
                int q = p + name.length();
                while (q < end && isLws(b.getByte(q))) {
                    q++;
                }
                if (q < end && b.getByte(q) == '=') {
                    q++;
                    while (q < end && isLws(b.getByte(q))) {
                        q++;
                    }
                    return q;
                }
            }
        }
        return -1;
    }

    private static boolean isHex(final byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static long hex(final ByteBuf b, final int from, final int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            final byte c = b.getByte(from + i);
            v = v << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    }

    // ---- SMS ----------------------------------------------------------------------------------

    private static final String SMS_TYPE = "application/vnd.3gpp.sms";

    /**
     * TS 24.341 7.3: a MESSAGE whose body is application/vnd.3gpp.sms carries an RP message (TS 24.011
     * 7.3): RP-DATA MS to network (RP-MTI 0) is an MO SMS whose TPDU is an SMS-SUBMIT (TS 23.040 9.2.2.2,
     * TP-DA the called number); RP-DATA network to MS (1) an MT SMS with an SMS-DELIVER (TP-OA the calling
     * number); RP-ACK / RP-ERROR / RP-SMMA are reports, not messages. smsDirection: 1 MO, 2 MT, 3 report.
     */
    private void readSms(final SignalingMessage m) {
        if (sip.kept(SipMessage.H_CONTENT_TYPE) == 0) {
            return;
        }
        final ByteBuf b = sip.buffer();
        final int ct = sip.valueFrom(SipMessage.H_CONTENT_TYPE, 0);
        final int cte = sip.valueEnd(SipMessage.H_CONTENT_TYPE, 0);
        if (cte - ct < SMS_TYPE.length() || !equalsLower(b, ct, SMS_TYPE)
            || cte - ct > SMS_TYPE.length() && SipMessage.isTokenChar(b.getByte(ct + SMS_TYPE.length()))) {
            return;
        }
        final int from = sip.bodyFrom();
        final int end = from + sip.bodyLength();
        if (end - from < 2) {
            badSms.increment();
            return;
        }
        final int mti = b.getByte(from) & 0x07;
        if (mti != 0 && mti != 1) {
            smsDirection = 3;
            return;
        }
        smsDirection = mti == 0 ? 1 : 2;
        // RP-MTI, RP-MR, RP-OA (length + value), RP-DA (length + value), RP-UD length, TPDU
        int at = from + 2;
        for (int i = 0; i < 2; i++) {
            if (at >= end) {
                badSms.increment();
                return;
            }
            at += 1 + (b.getByte(at) & 0xFF);
        }
        if (at >= end) {
            badSms.increment();
            return;
        }
        final int udLength = b.getByte(at) & 0xFF;
        final int tpdu = at + 1;
        if (udLength < 2 || tpdu + udLength > end) {
            badSms.increment();
            return;
        }
        final int tpMti = b.getByte(tpdu) & 0x03;
        final int address;
        if (mti == 0 && tpMti == 1) {
            address = tpdu + 2;     // SMS-SUBMIT: first octet, TP-MR, TP-DA
        } else if (mti == 1 && tpMti == 0) {
            address = tpdu + 1;     // SMS-DELIVER: first octet, TP-OA
        } else {
            return;
        }
        final long n = tpAddress(b, address, tpdu + udLength);
        if (n == Digits.INVALID) {
            badSms.increment();
        } else if (n != Digits.NONE) {
            if (mti == 0) {
                m.called(n);
            } else {
                m.calling(n);
            }
        }
    }

    /** TS 23.040 9.1.2.5 address: digit count, type of address, TBCD digits; national (type 2) takes the country code. */
    private long tpAddress(final ByteBuf b, final int at, final int end) {
        if (end - at < 2) {
            return Digits.INVALID;
        }
        final int digits = b.getByte(at) & 0xFF;
        final int type = (b.getByte(at + 1) >>> 4) & 0x07;
        final int octets = (digits + 1) / 2;
        if (type == 5) {
            return Digits.NONE;     // alphanumeric: no number
        }
        if (digits == 0 || digits > MAX_E164_DIGITS || octets > end - at - 2) {
            return Digits.INVALID;
        }
        final long n = Digits.fromTbcd(b, at + 2, octets);
        if (n == Digits.INVALID || Digits.length(n) != digits) {
            return Digits.INVALID;
        }
        return type == 1 ? n : type == 2 ? concat(Digits.pack(countryCode, countryDigits), trimTrunk(n)) : national(n);
    }

    private long trimTrunk(final long n) {
        final int len = Digits.length(n);
        return trunkDigits > 0 && len > trunkDigits && Digits.prefix(n, trunkDigits) == Digits.pack(trunkPrefix, trunkDigits)
            ? Digits.pack(Digits.value(n) % pow10(len - trunkDigits), len - trunkDigits) : n;
    }

    // ---- events -------------------------------------------------------------------------------

    /**
     * REGISTER: LOCATION_UPDATE (NONE for a de-registration, Expires 0). INVITE: CALL_ATTEMPT, or
     * CALL_FORWARDING_SET when it carries Diversion (it is the forwarded leg the network sends on).
     * MESSAGE: SMS_MO or SMS_MT (see {@link #smsDirectionOf}); a 3GPP report (RP-ACK...) NONE. Responses
     * 181 and 302, and any 3xx carrying Diversion: CALL_FORWARDING_SET. Other messages: NONE.
     */
    private EventKind eventOf(final SignalingMessage m, final boolean request) {
        if (!request) {
            final int s = sip.status();
            if (s == 181 || s == 302 || s >= 300 && s < 400 && sip.count(SipMessage.H_DIVERSION) > 0) {
                return EventKind.CALL_FORWARDING_SET;
            }
            if (s >= 200 && sip.cseqMethod() == SipMethod.REGISTER) {
                return registrationKind();
            }
            return EventKind.NONE;
        }
        switch (sip.method()) {
            case SipMethod.REGISTER:
                return registrationKind();
            case SipMethod.INVITE:
                return sip.count(SipMessage.H_DIVERSION) > 0 ? EventKind.CALL_FORWARDING_SET : EventKind.CALL_ATTEMPT;
            case SipMethod.MESSAGE:
                final int d = smsDirectionOf();
                return d == 1 ? EventKind.SMS_MO : d == 2 ? EventKind.SMS_MT : EventKind.NONE;
            default:
                return EventKind.NONE;
        }
    }

    private EventKind registrationKind() {
        if (sip.kept(SipMessage.H_EXPIRES) > 0) {
            final int v = sip.valueFrom(SipMessage.H_EXPIRES, 0);
            final int e = sip.valueEnd(SipMessage.H_EXPIRES, 0);
            deregistration = e - v == 1 && sip.buffer().getByte(v) == '0';
        }
        if (!deregistration && sip.kept(SipMessage.H_CONTACT) > 0) {
            final ByteBuf b = sip.buffer();
            final int v = sip.valueFrom(SipMessage.H_CONTACT, 0);
            final int e = SipUri.entryEnd(b, v, sip.valueEnd(SipMessage.H_CONTACT, 0));
            if (sip.isRequest() && uri.wrapEntry(b, v, e)) {
                final int x = uri.entryParam("expires");
                deregistration = x >= 0 && x < e && b.getByte(x) == '0' && (x + 1 == e || !isDigit(b.getByte(x + 1)));
            }
        }
        return deregistration ? EventKind.NONE : EventKind.LOCATION_UPDATE;
    }

    /**
     * MO or MT: the 3GPP SMS body's RP-MTI when there is one; else P-Served-User sescase (TS 24.229
     * 7.2A.?, RFC 5502); else MO when the request carries P-Access-Network-Info or P-Preferred-Identity,
     * which only the sending UE inserts (TS 24.229 5.1.1.x, 7.2A.4) and the terminating S-CSCF removes;
     * else MT. 1 MO, 2 MT, 3 neither.
     */
    private int smsDirectionOf() {
        if (smsDirection != 0) {
            return smsDirection;
        }
        if (sip.kept(SipMessage.H_P_SERVED_USER) > 0) {
            final ByteBuf b = sip.buffer();
            final int v = sip.valueFrom(SipMessage.H_P_SERVED_USER, 0);
            final int e = sip.valueEnd(SipMessage.H_P_SERVED_USER, 0);
            if (uri.wrapEntry(b, v, e)) {
                final int s = uri.entryParam("sescase");
                if (s >= 0 && e - s >= 4) {
                    if (equalsLower(b, s, "orig")) {
                        return 1;
                    }
                    if (equalsLower(b, s, "term")) {
                        return 2;
                    }
                }
            }
        }
        return sip.count(SipMessage.H_PANI) > 0 || sip.count(SipMessage.H_PPI) > 0 ? 1 : 2;
    }

    /**
     * A forwarding names the subscriber whose forwarding applied: the first Diversion number (RFC 5806 3),
     * else the first History-Info number (RFC 7044, the target before the retarget), else the To number;
     * a 3xx's Contact is where the call goes (the called number).
     */
    private void applyForwarding(final SignalingMessage m) {
        long diverting = firstNumber(SipMessage.H_DIVERSION);
        if (diverting == Digits.NONE) {
            diverting = firstNumber(SipMessage.H_HISTORY_INFO);
        }
        if (diverting == Digits.NONE) {
            diverting = firstNumber(SipMessage.H_TO);
        }
        divertingParty = diverting;
        if (diverting != Digits.NONE) {
            m.msisdn(diverting);
        } else {
            m.clear(SignalingMessage.MSISDN);
        }
        if (!sip.isRequest()) {
            forwardTarget = firstNumber(SipMessage.H_CONTACT);
            if (forwardTarget != Digits.NONE) {
                m.called(forwardTarget);
            }
        }
    }

    // ---- correlation --------------------------------------------------------------------------

    private void correlate(final PacketInfo packet, final boolean request, final EventKind kind, final MessageSink sink) {
        final long now = packet.timeNs;
        final long dialog = callIdKey();
        final int method = request ? sip.method() : sip.cseqMethod();
        final long key = transactionKey(dialog, method);
        final PendingRequestTable pending = method == SipMethod.INVITE ? pendingInvites : this.pending;
        if (request) {
            learn(dialog, message, now);
            if (method == SipMethod.ACK) {
                return; // 17.1.1.3: no response; the INVITE transaction it closes completed already
            }
            if (pending.find(key) >= 0) {
                retransmission.increment(); // 17.1.1.2 / 17.1.2.2: the same transaction sent again
                return;
            }
            boolean early = false;
            if (kind == EventKind.CALL_ATTEMPT || kind == EventKind.SMS_MO || kind == EventKind.SMS_MT
                || kind == EventKind.CALL_FORWARDING_SET) {
                // the touchpoint is the request itself, reported without waiting for ringing or answer;
                // the same request forwarded hop by hop (same Call-ID and CSeq) is one attempt
                final long once = dialog ^ (sip.cseq() * 0x9E3779B97F4A7C15L) ^ method;
                if (earlyReported.find(once, now) >= 0) {
                    hopDuplicate.increment();
                } else {
                    earlyReported.put(once, now);
                    procedure.copyFrom(message);
                    resolve(procedure, dialog, now);
                    sink.onProcedure(procedure);
                    early = true;
                }
            }
            if (pending.isFull()) {
                pendingEvicted.increment();
                completeUnanswered(pending, pending.oldest(), sink);
            }
            final int slot = pending.insert(key, now
                + (method == SipMethod.INVITE ? config.inviteTimeoutNs() : config.answerTimeoutNs()));
            if (slot < 0) {
                return;
            }
            pending.message(slot).copyFrom(message);
            pending.attachment(slot, ATTACH_EVENT, early ? EventKind.NONE.ordinal() : kind.ordinal());
            pending.attachment(slot, ATTACH_DIALOG, dialog);
            pending.attachment(slot, ATTACH_EARLY, early ? 1 : 0);
            return;
        }
        final int s = sip.status();
        if (s < 200) {
            if (kind == EventKind.CALL_FORWARDING_SET) {
                // 181: the forwarding is known now; the INVITE stays pending for its final response
                final int slot = pending.find(key);
                procedure.copyFrom(message);
                if (slot >= 0) {
                    overlay(procedure, pending.message(slot));
                }
                resolve(procedure, dialog, now);
                sink.onProcedure(procedure);
            }
            return;
        }
        final int slot = pending.find(key);
        if (slot >= 0) {
            completeWithResponse(pending, slot, kind, now, sink);
        } else {
            procedure.copyFrom(message);
            resolve(procedure, dialog, now);
            responseWithoutRequest.increment();
            sink.onProcedure(procedure);
        }
    }

    private void completeWithResponse(final PendingRequestTable pending, final int slot, final EventKind responseKind,
        final long now, final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        procedure.copyFrom(request);
        procedure.header(message.frame(), message.timeNs(), message.sourceId());
        procedure.message(Protocol.SIP, request.messageType(), request.messageName(), true);
        procedure.outcome(message.outcome());
        if (!procedure.has(SignalingMessage.IMEI) && message.has(SignalingMessage.IMEI)) {
            procedure.imei(message.imei());     // a 200 to REGISTER lists the registered contact
            if (message.has(SignalingMessage.IMEISV)) {
                procedure.imeisv(message.imeisv());
            }
        }
        if (!procedure.has(SignalingMessage.IMSI) && message.has(SignalingMessage.IMSI)) {
            procedure.imsi(message.imsi());
        }
        if ((procedure.present() & LOCATION_FIELDS) == 0 && (message.present() & LOCATION_FIELDS) != 0) {
            copyLocation(procedure, message);
        }
        if (responseKind == EventKind.CALL_FORWARDING_SET) {
            procedure.event(EventKind.CALL_FORWARDING_SET);
            if (divertingParty != Digits.NONE) {
                procedure.msisdn(divertingParty);
            } else if (request.has(SignalingMessage.CALLED)) {
                procedure.msisdn(request.called());
            }
            if (forwardTarget != Digits.NONE) {
                procedure.called(forwardTarget);
            }
        } else {
            procedure.event(EventKind.byOrdinal((int) pending.attachment(slot, ATTACH_EVENT)));
        }
        if (procedure.event() != EventKind.NONE) {
            // the same transaction answered on every hop it crossed (UE-P-CSCF, P-I, I-S) is one touchpoint
            final long once = pending.attachment(slot, ATTACH_DIALOG) ^ (request.messageType() + 1L) << 48
                ^ (sip.cseq() * 0x9E3779B97F4A7C15L) ^ 0x5A5A5A5AL;
            if (earlyReported.find(once, now) >= 0) {
                hopDuplicate.increment();
                procedure.event(EventKind.NONE);
            } else {
                earlyReported.put(once, now);
            }
        }
        resolve(procedure, pending.attachment(slot, ATTACH_DIALOG), now);
        paired.increment();
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    /** A request without a final response: completes with outcome unknown, at its own frame and time. */
    private void completeUnanswered(final PendingRequestTable pending, final int slot, final MessageSink sink) {
        final SignalingMessage request = pending.message(slot);
        procedure.copyFrom(request);
        procedure.outcome(Outcome.UNKNOWN);
        procedure.event(EventKind.byOrdinal((int) pending.attachment(slot, ATTACH_EVENT)));
        resolve(procedure, pending.attachment(slot, ATTACH_DIALOG), request.timeNs());
        pending.remove(slot);
        sink.onProcedure(procedure);
    }

    private static void overlay(final SignalingMessage p, final SignalingMessage request) {
        if (!p.has(SignalingMessage.CALLING) && request.has(SignalingMessage.CALLING)) {
            p.calling(request.calling());
        }
        if (!p.has(SignalingMessage.IMSI) && request.has(SignalingMessage.IMSI)) {
            p.imsi(request.imsi());
        }
        if ((p.present() & LOCATION_FIELDS) == 0) {
            copyLocation(p, request);
        }
    }

    private static void copyLocation(final SignalingMessage p, final SignalingMessage from) {
        if (from.has(SignalingMessage.CELL_PLMN)) {
            p.cellPlmn(from.cellPlmn());
        }
        if (from.has(SignalingMessage.TAC)) {
            p.tac(from.tac());
        }
        if (from.has(SignalingMessage.LAC)) {
            p.lac(from.lac());
        }
        if (from.has(SignalingMessage.ECI)) {
            p.eci(from.eci());
        }
        if (from.has(SignalingMessage.CI)) {
            p.ci(from.ci());
        }
        if (from.has(SignalingMessage.NCI)) {
            p.nci(from.nci());
        }
        if (from.has(SignalingMessage.RAT)) {
            p.rat(from.rat());
        }
    }

    /** The Call-ID names the dialog: what one message of it said about the subscriber serves the others. */
    private void learn(final long dialog, final SignalingMessage who, final long now) {
        final long imsi = who.has(SignalingMessage.IMSI) ? who.imsi() : Digits.NONE;
        final long msisdn = who.has(SignalingMessage.MSISDN) ? who.msisdn() : Digits.NONE;
        final long imei = who.has(SignalingMessage.IMEI) ? who.imei() : Digits.NONE;
        final long imeisv = who.has(SignalingMessage.IMEISV) ? who.imeisv() : Digits.NONE;
        if (imsi == Digits.NONE && msisdn == Digits.NONE && imei == Digits.NONE && imeisv == Digits.NONE) {
            return;
        }
        if (dialogs.find(dialog, now) >= 0) {
            return; // the dialog's first identities stay (a BYE from the callee names the callee)
        }
        final int slot = dialogs.put(dialog, now);
        dialogs.merge(slot, imsi, msisdn, imei, imeisv);
    }

    private void resolve(final SignalingMessage p, final long dialog, final long now) {
        final int slot = dialogs.find(dialog, now);
        if (slot < 0) {
            return;
        }
        int added = 0;
        if (!p.has(SignalingMessage.IMSI) && dialogs.imsi(slot) != Digits.NONE) {
            p.imsi(dialogs.imsi(slot));
            added |= SignalingMessage.IMSI;
        }
        if (!p.has(SignalingMessage.MSISDN) && dialogs.msisdn(slot) != Digits.NONE) {
            p.msisdn(dialogs.msisdn(slot));
            added |= SignalingMessage.MSISDN;
        }
        if (!p.has(SignalingMessage.IMEI) && dialogs.imei(slot) != Digits.NONE) {
            p.imei(dialogs.imei(slot));
            added |= SignalingMessage.IMEI;
        }
        if (!p.has(SignalingMessage.IMEISV) && dialogs.imeisv(slot) != Digits.NONE) {
            p.imeisv(dialogs.imeisv(slot));
            added |= SignalingMessage.IMEISV;
        }
        if (added != 0) {
            p.markResolved(added);
            dialogResolved.increment();
        }
    }

    /** A 64-bit hash of the Call-ID text (20.8: compared byte by byte), never 0. */
    private long callIdKey() {
        final ByteBuf b = sip.buffer();
        final int from = sip.callIdFrom();
        final int length = sip.callIdEnd() - from;
        long h = 0xCBF29CE484222325L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ b.getLong(from + i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        for (; i < length; i++) {
            h = (h ^ (b.getByte(from + i) & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return h == 0 ? 1 : h;
    }

    /**
     * 17.1.3: a response matches the client transaction whose top Via branch and CSeq method it
     * carries; with the Call-ID and CSeq number folded in, so RFC 2543 peers without a branch still pair.
     * Each hop of a proxied request has its own top Via, so each hop is its own transaction.
     */
    private long transactionKey(final long dialog, final int method) {
        long h = dialog ^ (sip.cseq() + 1) * 0xC2B2AE3D27D4EB4FL ^ (long) (method == SipMethod.CANCEL ? 64 : method) << 56;
        if (sip.kept(SipMessage.H_VIA) > 0) {
            final ByteBuf b = sip.buffer();
            final int v = sip.valueFrom(SipMessage.H_VIA, 0);
            final int e = SipUri.entryEnd(b, v, sip.valueEnd(SipMessage.H_VIA, 0));
            final int br = branch(b, v, e);
            if (br >= 0) {
                int i = br;
                while (i < e && b.getByte(i) != ';' && b.getByte(i) != ',' && !isLws(b.getByte(i))) {
                    h = (h ^ (b.getByte(i) & 0xFF)) * 0x100000001B3L;
                    i++;
                }
            }
        }
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** Offset of the value of the Via's ";branch=" parameter (17.1.3), or -1; params are found by their ';'. */
    private static int branch(final ByteBuf b, final int from, final int end) {
        for (int i = from; i < end; i++) {
            if (b.getByte(i) == ';' && end - i > 8 && (b.getByte(i + 1) | 0x20) == 'b' && equalsLower(b, i + 1, "branch=")) {
                return i + 8;
            }
        }
        return -1;
    }

    // ---- time ---------------------------------------------------------------------------------

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        int slot;
        while ((slot = pending.oldestExpired(nowNs)) >= 0) {
            timedOut.increment();
            completeUnanswered(pending, slot, sink);
        }
        while ((slot = pendingInvites.oldestExpired(nowNs)) >= 0) {
            timedOut.increment();
            completeUnanswered(pendingInvites, slot, sink);
        }
        dialogs.sweep(nowNs, config.sweepSlotsPerAdvance());
        earlyReported.sweep(nowNs, config.sweepSlotsPerAdvance());
    }

    @Override
    public void flush(final MessageSink sink) {
        int slot;
        while ((slot = pending.oldest()) >= 0) {
            flushed.increment();
            completeUnanswered(pending, slot, sink);
        }
        while ((slot = pendingInvites.oldest()) >= 0) {
            flushed.increment();
            completeUnanswered(pendingInvites, slot, sink);
        }
    }

    // ---- text ---------------------------------------------------------------------------------

    private static boolean isDigit(final byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean equalsLower(final ByteBuf b, final int from, final String lowerText) {
        for (int i = 0; i < lowerText.length(); i++) {
            if (lower(b.getByte(from + i)) != lowerText.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsLower(final ByteBuf b, final int from, final int end, final String lowerText) {
        return end - from >= lowerText.length() && equalsLower(b, from, lowerText);
    }
}
