package io.sigmatch.decoder.sigtran;

import static io.sigmatch.decoder.sigtran.Ber.APPLICATION;
import static io.sigmatch.decoder.sigtran.Ber.CONTEXT;
import static io.sigmatch.decoder.sigtran.Ber.UNIVERSAL;
import static io.sigmatch.decoder.sigtran.Ber.tag;

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
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.correlate.PendingRequestTable;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * SS7 over SIGTRAN for one decoding thread: M3UA (SCTP PPID 3) or M2UA (PPID 2) → SCCP
 * connectionless (UDT, XUDT, LUDT and their service variants; segments reassembled) → TCAP (ITU
 * Q.773) → MAP (TS 29.002) or CAP (TS 29.078) components. Every component goes to
 * {@link MessageSink#onMessage} with the identities and location its own argument carries; a TCAP
 * transaction table pairs a Begin with its Continues and End (or Abort), merging what each
 * direction carried (the MSISDN of an InsertSubscriberData into its UpdateLocation, the IMSI of a
 * SendRoutingInfoForSM result into its request), and the completed procedure goes to
 * {@link MessageSink#onProcedure} with its outcome. See the package documentation for the
 * operations, the fields read and the event rules.
 *
 * <p>Hot path: reads at offsets of the caller's buffer through reused {@link Ber} flyweights, two
 * reused {@link SignalingMessage}s, preallocated tables. Nothing is allocated per message; nothing
 * is thrown; every malformed input bumps {@code decode.sigtran.error.<reason>} and is dropped.
 */
public final class SigtranDecoder implements PayloadDecoder {
    public static final String ERROR = "decode.sigtran.error.";
    public static final String M3UA_MESSAGES = "decode.m3ua.messages";
    public static final String M3UA_MGMT = "decode.m3ua.mgmt.";
    public static final String M3UA_NOT_SCCP = "decode.m3ua.not_sccp";
    public static final String SCCP_MESSAGES = "decode.sccp.messages";
    public static final String SCCP_OTHER = "decode.sccp.other";
    public static final String SCCP_MANAGEMENT = "decode.sccp.management";
    public static final String TCAP_MESSAGES = "decode.tcap.messages";
    public static final String MAP_MESSAGES = "decode.map.messages";
    public static final String CAP_MESSAGES = "decode.cap.messages";
    public static final String CORRELATE = "correlate.tcap.";

    public static final String M3UA_TRUNCATED = "m3ua_truncated";
    public static final String M3UA_BAD_VERSION = "m3ua_bad_version";
    public static final String M3UA_BAD_LENGTH = "m3ua_bad_length";
    public static final String M3UA_BAD_PARAMETER = "m3ua_bad_parameter";
    public static final String M3UA_NO_DATA = "m3ua_no_protocol_data";
    public static final String SCCP_TRUNCATED = "sccp_truncated";
    public static final String SCCP_BAD_POINTER = "sccp_bad_pointer";
    public static final String SCCP_BAD_ADDRESS = "sccp_bad_address";
    public static final String SCCP_BAD_OPTIONAL = "sccp_bad_optional";
    public static final String XUDT_ORPHAN = "xudt_orphan_segment";
    public static final String XUDT_OUT_OF_SEQUENCE = "xudt_out_of_sequence";
    public static final String XUDT_TOO_LONG = "xudt_too_long";
    public static final String XUDT_EVICTED = "xudt_evicted";
    public static final String XUDT_EXPIRED = "xudt_expired";
    public static final String TCAP_NOT_TCAP = "tcap_unknown_type";
    /** Not an error: a TCAP message whose length claims more octets than SCCP carried, decoded as far as it goes. */
    public static final String TCAP_OVERRUN = "decode.tcap.length_overrun";
    public static final String TCAP_BAD_TID = "tcap_bad_tid";
    public static final String TCAP_NO_TID = "tcap_missing_tid";
    public static final String BAD_COMPONENT = "tcap_bad_component";
    public static final String BAD_IMSI = "bad_imsi";
    public static final String BAD_NUMBER = "bad_number";
    public static final String BAD_IMEI = "bad_imei";
    public static final String BAD_LOCATION = "bad_location";

    public static final String PAIRED = "paired";
    public static final String ABORTED = "aborted";
    public static final String TIMED_OUT = "timed_out";
    public static final String FLUSHED = "flushed";
    public static final String UNKNOWN_TRANSACTION = "unknown_transaction";
    public static final String DUPLICATE_BEGIN = "duplicate_begin";
    public static final String EVICTED = "evicted";

    // TCAP (Q.773 §4.2) message and part tags
    static final int T_UNIDIRECTIONAL = tag(APPLICATION, true, 1);
    static final int T_BEGIN = tag(APPLICATION, true, 2);
    static final int T_END = tag(APPLICATION, true, 4);
    static final int T_CONTINUE = tag(APPLICATION, true, 5);
    static final int T_ABORT = tag(APPLICATION, true, 7);
    static final int T_OTID = tag(APPLICATION, false, 8);
    static final int T_DTID = tag(APPLICATION, false, 9);
    static final int T_P_ABORT = tag(APPLICATION, false, 10);
    static final int T_DIALOGUE = tag(APPLICATION, true, 11);
    static final int T_COMPONENTS = tag(APPLICATION, true, 12);
    static final int T_EXTERNAL = tag(UNIVERSAL, true, 8);
    static final int T_OID = tag(UNIVERSAL, false, 6);
    static final int T_INTEGER = tag(UNIVERSAL, false, 2);
    static final int T_OCTETS = tag(UNIVERSAL, false, 4);
    static final int T_SEQUENCE = tag(UNIVERSAL, true, 16);
    static final int T_AARQ = tag(APPLICATION, true, 0);
    static final int T_AARE = tag(APPLICATION, true, 1);
    static final int T_ABRT = tag(APPLICATION, true, 4);
    static final int C_INVOKE = 1;
    static final int C_RESULT_LAST = 2;
    static final int C_ERROR = 3;
    static final int C_REJECT = 4;
    static final int C_RESULT = 7;

    private static final int PROTO_MAP = 1;
    private static final int PROTO_CAP = 2;

    private static final int A_PROTO = 0;
    private static final int A_ACN = 1;
    private static final int A_OPCODE = 2;
    private static final int A_INVOKE_ID = 3;
    private static final int A_OUTCOME = 4;
    private static final int ATTACHMENTS = 5;

    private static final int LOCATION_FIELDS = SignalingMessage.CELL_PLMN | SignalingMessage.LAC
        | SignalingMessage.CI | SignalingMessage.SAC;

    private final SigtranConfig config;
    private final int countryCode;
    private final long countryCodeDigits;
    private final long[] homePlmns;
    private final boolean[] capSsns;
    private final Ber[] ber;
    private final Ber.Budget budget;
    private final SccpAddress called = new SccpAddress();
    private final SccpAddress calling = new SccpAddress();
    private final SccpReassembly reassembly;
    private final PendingRequestTable transactions;
    private final long[] aliasFrom;
    private final long[] aliasTo;
    private final int aliasMask;
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();
    private SigtranTap tap = SigtranTap.NONE;

    // per TCAP message scratch
    private int tcapType;
    private long otid;
    private int otidLength;
    private long dtid;
    private int dtidLength;
    private int acn;
    private int protocol;
    private int dialogueResult;
    private long openDestinationImsi;
    private int slot;
    // per component scratch
    private int componentType;
    private long invokeId;
    private int opcode;
    private int ssCode;
    private boolean forwardingPending;
    private long nodeNumber;

    private final AtomicCounter m3uaMessages;
    private final AtomicCounter m3uaNotSccp;
    private final AtomicCounter[][] mgmt = new AtomicCounter[10][];
    private final AtomicCounter mgmtOther;
    private final AtomicCounter sccpMessages;
    private final AtomicCounter sccpOther;
    private final AtomicCounter sccpManagement;
    private final AtomicCounter tcapMessages;
    private final AtomicCounter mapMessages;
    private final AtomicCounter capMessages;
    private final AtomicCounter m3uaTruncated;
    private final AtomicCounter m3uaBadVersion;
    private final AtomicCounter m3uaBadLength;
    private final AtomicCounter m3uaBadParameter;
    private final AtomicCounter m3uaNoData;
    private final AtomicCounter sccpTruncated;
    private final AtomicCounter sccpBadPointer;
    private final AtomicCounter sccpBadAddress;
    private final AtomicCounter sccpBadOptional;
    private final AtomicCounter xudtOrphan;
    private final AtomicCounter xudtOutOfSequence;
    private final AtomicCounter xudtTooLong;
    private final AtomicCounter xudtEvicted;
    private final AtomicCounter xudtExpired;
    private final AtomicCounter tcapNotTcap;
    private final AtomicCounter tcapOverrun;
    private final AtomicCounter tcapBadTid;
    private final AtomicCounter tcapNoTid;
    private final AtomicCounter badComponent;
    private final AtomicCounter badImsi;
    private final AtomicCounter badNumber;
    private final AtomicCounter badImei;
    private final AtomicCounter badLocation;
    private final AtomicCounter[] berErrors = new AtomicCounter[7];
    private final AtomicCounter paired;
    private final AtomicCounter aborted;
    private final AtomicCounter timedOut;
    private final AtomicCounter flushed;
    private final AtomicCounter unknownTransaction;
    private final AtomicCounter duplicateBegin;
    private final AtomicCounter evicted;
    private long reassemblyEvictionsSeen;

    /**
     * @param countryCode E.164 country code of the home network: national numbers are put into
     *                    international form with it, and a VLR/SGSN outside it means roaming
     */
    public SigtranDecoder(final Counters counters, final SigtranConfig config, final int countryCode) {
        this.config = config.conclude();
        if (countryCode < 1 || countryCode > 999) {
            throw new IllegalArgumentException("countryCode must be 1..999: " + countryCode);
        }
        this.countryCode = countryCode;
        this.countryCodeDigits = Digits.parse(Integer.toString(countryCode));
        this.homePlmns = config.homePlmnArray();
        this.capSsns = config.capSsnTable();
        ber = new Ber[config.maxBerDepth() + 1];
        for (int i = 0; i < ber.length; i++) {
            ber[i] = new Ber();
        }
        budget = new Ber.Budget(config.maxBerDepth(), config.maxBerElements());
        reassembly = new SccpReassembly(config.reassemblySlots(), config.reassemblyMaxBytes(),
            config.reassemblyTimeoutNs());
        transactions = new PendingRequestTable(config.transactions(), ATTACHMENTS);
        final int aliases = transactions.capacity() * 2;
        aliasMask = aliases - 1;
        aliasFrom = new long[aliases];
        aliasTo = new long[aliases];

        m3uaMessages = counters.counter(M3UA_MESSAGES);
        m3uaNotSccp = counters.counter(M3UA_NOT_SCCP);
        for (int c = 0; c < SigtranLayout.NAMES.length; c++) {
            mgmt[c] = new AtomicCounter[SigtranLayout.NAMES[c].length];
            for (int t = 0; t < mgmt[c].length; t++) {
                if (SigtranLayout.NAMES[c][t] != null) {
                    mgmt[c][t] = counters.counter(M3UA_MGMT + SigtranLayout.NAMES[c][t]);
                }
            }
        }
        mgmtOther = counters.counter(M3UA_MGMT + "other");
        sccpMessages = counters.counter(SCCP_MESSAGES);
        sccpOther = counters.counter(SCCP_OTHER);
        sccpManagement = counters.counter(SCCP_MANAGEMENT);
        tcapMessages = counters.counter(TCAP_MESSAGES);
        mapMessages = counters.counter(MAP_MESSAGES);
        capMessages = counters.counter(CAP_MESSAGES);
        m3uaTruncated = counters.counter(ERROR + M3UA_TRUNCATED);
        m3uaBadVersion = counters.counter(ERROR + M3UA_BAD_VERSION);
        m3uaBadLength = counters.counter(ERROR + M3UA_BAD_LENGTH);
        m3uaBadParameter = counters.counter(ERROR + M3UA_BAD_PARAMETER);
        m3uaNoData = counters.counter(ERROR + M3UA_NO_DATA);
        sccpTruncated = counters.counter(ERROR + SCCP_TRUNCATED);
        sccpBadPointer = counters.counter(ERROR + SCCP_BAD_POINTER);
        sccpBadAddress = counters.counter(ERROR + SCCP_BAD_ADDRESS);
        sccpBadOptional = counters.counter(ERROR + SCCP_BAD_OPTIONAL);
        xudtOrphan = counters.counter(ERROR + XUDT_ORPHAN);
        xudtOutOfSequence = counters.counter(ERROR + XUDT_OUT_OF_SEQUENCE);
        xudtTooLong = counters.counter(ERROR + XUDT_TOO_LONG);
        xudtEvicted = counters.counter(ERROR + XUDT_EVICTED);
        xudtExpired = counters.counter(ERROR + XUDT_EXPIRED);
        tcapNotTcap = counters.counter(ERROR + TCAP_NOT_TCAP);
        tcapOverrun = counters.counter(TCAP_OVERRUN);
        tcapBadTid = counters.counter(ERROR + TCAP_BAD_TID);
        tcapNoTid = counters.counter(ERROR + TCAP_NO_TID);
        badComponent = counters.counter(ERROR + BAD_COMPONENT);
        badImsi = counters.counter(ERROR + BAD_IMSI);
        badNumber = counters.counter(ERROR + BAD_NUMBER);
        badImei = counters.counter(ERROR + BAD_IMEI);
        badLocation = counters.counter(ERROR + BAD_LOCATION);
        for (int s = 1; s < berErrors.length; s++) {
            berErrors[s] = counters.counter(ERROR + Ber.statusName(-s));
        }
        paired = counters.counter(CORRELATE + PAIRED);
        aborted = counters.counter(CORRELATE + ABORTED);
        timedOut = counters.counter(CORRELATE + TIMED_OUT);
        flushed = counters.counter(CORRELATE + FLUSHED);
        unknownTransaction = counters.counter(CORRELATE + UNKNOWN_TRANSACTION);
        duplicateBegin = counters.counter(CORRELATE + DUPLICATE_BEGIN);
        evicted = counters.counter(CORRELATE + EVICTED);
    }

    /** Observes each layer (tests, diagnostics); set before decoding starts. */
    public SigtranDecoder tap(final SigtranTap tap) {
        this.tap = tap == null ? SigtranTap.NONE : tap;
        return this;
    }

    public SigtranConfig config() {
        return config;
    }

    /** TCAP transactions waiting for their End. */
    public int openTransactions() {
        return transactions.size();
    }

    /** Segmented SCCP messages being reassembled. */
    public int reassembliesInProgress() {
        return reassembly.inProgress();
    }

    /**
     * The decoder of bare MTP3 MSUs (capture link type 141): SIO, ITU routing label, then SCCP. It
     * shares this decoder's state (transactions, reassembly, counters); register it with
     * {@link io.sigmatch.decoder.dissect.ProtocolDispatch#mtp3}.
     */
    public PayloadDecoder mtp3() {
        return mtp3;
    }

    private final PayloadDecoder mtp3 = (packet, buf, offset, length, sink) -> msu(packet, buf, offset, length, sink);

    /** Q.704 §14.2: SIO (NI 8..7, SI 4..1), routing label 32 bits little-endian (DPC 14, OPC 14, SLS 4). */
    private void msu(final PacketInfo packet, final ByteBuf buf, final int offset, final int length,
        final MessageSink sink) {
        if (length < 5) {
            m3uaTruncated.increment();
            return;
        }
        m3uaMessages.increment();
        final int sio = buf.getUnsignedByte(offset);
        final int label = buf.getIntLE(offset + 1);
        final int si = sio & 0x0F;
        final int opc = label >>> 14 & 0x3FFF;
        tap.m3ua(packet.frame, MTP3_CLASS, 0, -1, opc, label & 0x3FFF, si, sio >>> 6);
        if (si != SigtranLayout.SI_SCCP) {
            m3uaNotSccp.increment();
            return;
        }
        sccp(packet, buf, offset + 5, length - 5, opc, sink);
    }

    /** The message class the tap reports for a bare MSU (M3UA and M2UA use 0..10). */
    public static final int MTP3_CLASS = 256;

    // ---- M3UA / M2UA ----------------------------------------------------------------------------

    @Override
    public void decode(final PacketInfo packet, final ByteBuf buf, final int offset, final int length,
        final MessageSink sink) {
        if (length < SigtranLayout.HEADER_LENGTH) {
            m3uaTruncated.increment();
            return;
        }
        if (buf.getUnsignedByte(offset) != SigtranLayout.VERSION) {
            m3uaBadVersion.increment();
            return;
        }
        final long declared = buf.getUnsignedInt(offset + SigtranLayout.LENGTH_OFFSET);
        if (declared < SigtranLayout.HEADER_LENGTH) {
            m3uaBadLength.increment();
            return;
        }
        if (declared > length) {
            m3uaTruncated.increment();
            return;
        }
        final int end = offset + (int) declared;
        final int cls = buf.getUnsignedByte(offset + SigtranLayout.CLASS_OFFSET);
        final int type = buf.getUnsignedByte(offset + SigtranLayout.TYPE_OFFSET);
        m3uaMessages.increment();
        final boolean m2ua = packet.sctpPpid == SigtranLayout.PPID_M2UA || cls == SigtranLayout.CLASS_MAUP;
        final boolean data = m2ua ? cls == SigtranLayout.CLASS_MAUP && type == SigtranLayout.TYPE_DATA
            : cls == SigtranLayout.CLASS_TRANSFER && type == SigtranLayout.TYPE_DATA;
        long routingContext = -1;
        int payload = -1;
        int payloadEnd = -1;
        int opc = -1;
        int dpc = -1;
        int si = -1;
        int ni = -1;
        int p = offset + SigtranLayout.HEADER_LENGTH;
        while (p < end) {
            if (end - p < 4) {
                m3uaBadParameter.increment();
                return;
            }
            final int tag = buf.getUnsignedShort(p);
            final int plen = buf.getUnsignedShort(p + 2);
            if (plen < 4 || plen > end - p) {
                m3uaBadParameter.increment();
                return;
            }
            final int value = p + 4;
            final int vlen = plen - 4;
            if (!m2ua && tag == SigtranLayout.TAG_ROUTING_CONTEXT && vlen >= 4) {
                routingContext = buf.getUnsignedInt(value);
            } else if (!data) {
                // management: only the routing context is of interest
            } else if (!m2ua && tag == SigtranLayout.TAG_PROTOCOL_DATA) {
                if (vlen < SigtranLayout.PROTOCOL_DATA_FIXED) {
                    m3uaBadParameter.increment();
                    return;
                }
                opc = buf.getInt(value);
                dpc = buf.getInt(value + 4);
                si = buf.getUnsignedByte(value + 8);
                ni = buf.getUnsignedByte(value + 9);
                payload = value + SigtranLayout.PROTOCOL_DATA_FIXED;
                payloadEnd = value + vlen;
            } else if (m2ua && (tag == SigtranLayout.M2UA_TAG_PROTOCOL_DATA_1
                || tag == SigtranLayout.M2UA_TAG_PROTOCOL_DATA_2)) {
                // Protocol Data 2 (TTC) starts with a priority octet
                final int msu = tag == SigtranLayout.M2UA_TAG_PROTOCOL_DATA_2 ? value + 1 : value;
                if (value + vlen - msu < 5) {
                    m3uaBadParameter.increment();
                    return;
                }
                final int sio = buf.getUnsignedByte(msu);
                final int label = buf.getIntLE(msu + 1);
                si = sio & 0x0F;
                ni = sio >>> 6;
                dpc = label & 0x3FFF;
                opc = label >>> 14 & 0x3FFF;
                payload = msu + 5;
                payloadEnd = value + vlen;
            }
            final int next = p + (plen + 3 & ~3);
            p = next > end ? end : next;
        }
        tap.m3ua(packet.frame, cls, type, routingContext, opc, dpc, si, ni);
        if (!data) {
            countManagement(cls, type);
            return;
        }
        if (payload < 0) {
            m3uaNoData.increment();
            return;
        }
        if (si != SigtranLayout.SI_SCCP) {
            m3uaNotSccp.increment(); // ISUP, TUP...: not ours
            return;
        }
        sccp(packet, buf, payload, payloadEnd - payload, opc, sink);
    }

    private void countManagement(final int cls, final int type) {
        if (cls < mgmt.length && type < mgmt[cls].length && mgmt[cls][type] != null) {
            mgmt[cls][type].increment();
        } else {
            mgmtOther.increment();
        }
    }

    // ---- SCCP -----------------------------------------------------------------------------------

    private void sccp(final PacketInfo packet, final ByteBuf buf, final int at, final int length, final int opc,
        final MessageSink sink) {
        if (length < 1) {
            sccpTruncated.increment();
            return;
        }
        final int end = at + length;
        final int type = buf.getUnsignedByte(at);
        final boolean longForm;
        final int pointers;
        switch (type) {
            case SigtranLayout.SCCP_UDT:
            case SigtranLayout.SCCP_UDTS:
                longForm = false;
                pointers = at + 2;
                break;
            case SigtranLayout.SCCP_XUDT:
            case SigtranLayout.SCCP_XUDTS:
                longForm = false;
                pointers = at + 3;
                break;
            case SigtranLayout.SCCP_LUDT:
            case SigtranLayout.SCCP_LUDTS:
                longForm = true;
                pointers = at + 3;
                break;
            default:
                sccpOther.increment(); // connection-oriented (RANAP, BSSAP) and management: not ours
                return;
        }
        final boolean hasOptional = type != SigtranLayout.SCCP_UDT && type != SigtranLayout.SCCP_UDTS;
        final int step = longForm ? 2 : 1;
        final int pointerCount = hasOptional ? 4 : 3;
        if (end - pointers < pointerCount * step) {
            sccpTruncated.increment();
            return;
        }
        final int calledAt = pointerTarget(buf, pointers, step, end);
        final int callingAt = pointerTarget(buf, pointers + step, step, end);
        final int dataAt = pointerTarget(buf, pointers + 2 * step, step, end);
        if (calledAt < 0 || callingAt < 0 || dataAt < 0) {
            sccpBadPointer.increment();
            return;
        }
        final int calledLen = buf.getUnsignedByte(calledAt);
        final int callingLen = buf.getUnsignedByte(callingAt);
        if (calledAt + 1 + calledLen > end || callingAt + 1 + callingLen > end) {
            sccpBadPointer.increment();
            return;
        }
        final int dataLen;
        final int dataStart;
        if (longForm) {
            if (end - dataAt < 2) {
                sccpBadPointer.increment();
                return;
            }
            dataLen = buf.getUnsignedShortLE(dataAt); // Q.713 §3.16a: least significant octet first
            dataStart = dataAt + 2;
        } else {
            dataLen = buf.getUnsignedByte(dataAt);
            dataStart = dataAt + 1;
        }
        if (dataStart + dataLen > end) {
            sccpBadPointer.increment();
            return;
        }
        if (called.read(buf, calledAt + 1, calledLen) != SccpAddress.OK
            || calling.read(buf, callingAt + 1, callingLen) != SccpAddress.OK) {
            sccpBadAddress.increment();
            return;
        }
        // Q.713 4.18: the optional part, where the segmentation parameter lives
        int segmentation = -1;
        if (hasOptional) {
            final int optionalAt = pointerTarget(buf, pointers + 3 * step, step, end);
            if (optionalAt == -2) {
                sccpBadPointer.increment();
                return;
            }
            if (optionalAt >= 0) {
                int p = optionalAt;
                int guard = 0;
                while (true) {
                    if (p >= end || ++guard > 32) {
                        sccpBadOptional.increment();
                        return;
                    }
                    final int name = buf.getUnsignedByte(p);
                    if (name == SigtranLayout.SCCP_END_OF_OPTIONAL) {
                        break;
                    }
                    if (end - p < 2 || p + 2 + buf.getUnsignedByte(p + 1) > end) {
                        sccpBadOptional.increment();
                        return;
                    }
                    final int olen = buf.getUnsignedByte(p + 1);
                    if (name == SigtranLayout.SCCP_SEGMENTATION) {
                        if (olen != 4) {
                            sccpBadOptional.increment();
                            return;
                        }
                        segmentation = p + 2;
                    }
                    p += 2 + olen;
                }
            }
        }
        sccpMessages.increment();
        tap.sccp(packet.frame, type, called, calling);
        if (segmentation >= 0) {
            final int s = buf.getUnsignedByte(segmentation);
            final boolean first = (s & 0x80) != 0;
            final int remaining = s & 0x0F;
            if (!(first && remaining == 0)) { // a single "first and last" segment is a whole message
                final long key = segmentKey(buf.getUnsignedMedium(segmentation + 1), opc, calling.nodeKey());
                final int status = reassembly.add(key, first, remaining, buf, dataStart, dataLen, packet.timeNs);
                countEvictions();
                switch (status) {
                    case SccpReassembly.COMPLETE:
                        tcap(packet, reassembly.buffer(), reassembly.offset(), reassembly.length(), sink);
                        return;
                    case SccpReassembly.ORPHAN:
                        xudtOrphan.increment();
                        return;
                    case SccpReassembly.OUT_OF_SEQUENCE:
                        xudtOutOfSequence.increment();
                        return;
                    case SccpReassembly.TOO_LONG:
                        xudtTooLong.increment();
                        return;
                    default:
                        return; // waiting for more segments
                }
            }
        }
        if (called.ssn == SigtranLayout.SSN_SCCP_MANAGEMENT) {
            sccpManagement.increment(); // Q.713 §5: SCMG messages (SSA, SSP, SST...), not TCAP
            return;
        }
        if (type == SigtranLayout.SCCP_UDTS || type == SigtranLayout.SCCP_XUDTS || type == SigtranLayout.SCCP_LUDTS) {
            return; // a returned message: the network could not route it; its TCAP is the original's
        }
        tcap(packet, buf, dataStart, dataLen, sink);
    }

    /** Where a pointer points (its own octet + value), -1 for a zero pointer, -2 out of range. */
    private static int pointerTarget(final ByteBuf buf, final int pointerAt, final int step, final int end) {
        final int value = step == 2 ? buf.getUnsignedShortLE(pointerAt) : buf.getUnsignedByte(pointerAt);
        if (value == 0) {
            return -1;
        }
        // a 2-octet LUDT pointer counts from its second (most significant) octet, as Wireshark reads it
        final int target = pointerAt + value + (step - 1);
        return target < end ? target : -2;
    }

    private static long segmentKey(final int localReference, final int opc, final long callingNode) {
        long h = (localReference * 0x9E3779B97F4A7C15L) ^ (opc * 0xC2B2AE3D27D4EB4FL) ^ callingNode;
        h ^= h >>> 31;
        return h;
    }

    private void countEvictions() {
        final long e = reassembly.evictions();
        if (e != reassemblyEvictionsSeen) {
            xudtEvicted.getAndAdd(e - reassemblyEvictionsSeen);
            reassemblyEvictionsSeen = e;
        }
    }

    // ---- TCAP -----------------------------------------------------------------------------------

    private void tcap(final PacketInfo packet, final ByteBuf buf, final int at, final int length,
        final MessageSink sink) {
        budget.reset();
        final Ber top = ber[0];
        int status = top.readOutermost(buf, at, at + length, budget);
        if (status == Ber.OVERRUN) {
            tcapOverrun.increment();
        } else if (status != Ber.OK) {
            countBer(status);
            return;
        }
        tcapType = top.tag();
        if (tcapType != T_BEGIN && tcapType != T_END && tcapType != T_CONTINUE && tcapType != T_ABORT
            && tcapType != T_UNIDIRECTIONAL) {
            tcapNotTcap.increment();
            return;
        }
        otidLength = 0;
        dtidLength = 0;
        otid = 0;
        dtid = 0;
        acn = -1;
        dialogueResult = -1;
        openDestinationImsi = Digits.NONE;
        int components = -1;
        final int limit = top.valueOffset() + top.valueLength();
        int p = top.valueOffset();
        final Ber part = ber[1];
        while (p < limit) {
            status = part.read(buf, p, limit, 1, budget);
            if (status != Ber.OK) {
                countBer(status);
                return;
            }
            final int t = part.tag();
            if (t == T_OTID || t == T_DTID) {
                // Q.773 §4.2.1: transaction ids are 1..4 octets
                if (part.valueLength() < 1 || part.valueLength() > 4) {
                    tcapBadTid.increment();
                    return;
                }
                if (t == T_OTID) {
                    otid = part.unsigned(buf);
                    otidLength = part.valueLength();
                } else {
                    dtid = part.unsigned(buf);
                    dtidLength = part.valueLength();
                }
            } else if (t == T_DIALOGUE) {
                status = dialogue(buf, 1);
                if (status != Ber.OK) {
                    countBer(status);
                    return;
                }
            } else if (t == T_COMPONENTS) {
                components = p;
            }
            p = part.end();
        }
        final boolean needsOtid = tcapType == T_BEGIN || tcapType == T_CONTINUE;
        final boolean needsDtid = tcapType == T_END || tcapType == T_CONTINUE || tcapType == T_ABORT;
        if (needsOtid && otidLength == 0 || needsDtid && dtidLength == 0) {
            tcapNoTid.increment();
            return;
        }
        tcapMessages.increment();
        tap.tcap(packet.frame, tcapType & 0x1F, otid, otidLength, dtid, dtidLength, acn);
        protocol = protocolOf(acn);
        slot = findTransaction(packet, sink);
        if (protocol == 0) {
            protocol = slot >= 0 && transactions.attachment(slot, A_PROTO) != 0
                ? (int) transactions.attachment(slot, A_PROTO)
                : isCapSsn(called.ssn) || isCapSsn(calling.ssn) ? PROTO_CAP : PROTO_MAP;
        }
        if (slot >= 0) {
            transactions.attachment(slot, A_PROTO, protocol);
            if (acn >= 0) {
                transactions.attachment(slot, A_ACN, acn);
            } else {
                acn = (int) transactions.attachment(slot, A_ACN);
            }
            if (dialogueResult > 0) {
                transactions.attachment(slot, A_OUTCOME, Outcome.REJECTED.ordinal());
            }
        }
        if (components >= 0) {
            status = ber[1].read(buf, components, limit, 1, budget);
            if (status == Ber.OK) {
                status = components(packet, buf, sink);
            }
            if (status != Ber.OK) {
                countBer(status);
                // what was decoded before the bad component stands; the transaction goes on
            }
        }
        if (slot >= 0 && (tcapType == T_END || tcapType == T_ABORT)) {
            if (tcapType == T_ABORT) {
                aborted.increment();
                transactions.attachment(slot, A_OUTCOME, Outcome.REJECTED.ordinal());
            }
            paired.increment();
            complete(slot, packet, sink);
        }
    }

    private boolean isCapSsn(final int ssn) {
        return ssn >= 0 && ssn < capSsns.length && capSsns[ssn];
    }

    /** TCAP transaction key: the id with the node that allocated it (Q.771: ids are local to a node). */
    private static long transactionKey(final long tid, final int tidLength, final long nodeKey) {
        long h = (tid << 3 | tidLength) * 0x9E3779B97F4A7C15L ^ nodeKey;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ h >>> 32;
    }

    /** The slot of this message's transaction: opened by a Begin, found for Continue/End/Abort; -1 if none. */
    private int findTransaction(final PacketInfo packet, final MessageSink sink) {
        final long now = packet.timeNs;
        if (tcapType == T_BEGIN) {
            final long key = transactionKey(otid, otidLength, calling.nodeKey());
            final int existing = transactions.find(key);
            if (existing >= 0) {
                duplicateBegin.increment();
                complete(existing, null, sink);
            }
            if (transactions.isFull()) {
                evicted.increment();
                complete(transactions.oldest(), null, sink);
            }
            final int s = transactions.insert(key, now + config.transactionTimeoutNs());
            if (s >= 0) {
                transactions.attachment(s, A_OPCODE, -1);
                transactions.attachment(s, A_INVOKE_ID, Long.MIN_VALUE);
            }
            return s;
        }
        if (tcapType == T_UNIDIRECTIONAL) {
            return -1;
        }
        // the destination id belongs to the node this message is sent to
        final long key = transactionKey(dtid, dtidLength, called.nodeKey());
        int s = transactions.find(key);
        if (s < 0) {
            final int a = (int) (key & aliasMask);
            if (aliasFrom[a] == key) {
                s = transactions.find(aliasTo[a]);
            }
        }
        if (s < 0) {
            unknownTransaction.increment();
            return -1;
        }
        if (tcapType == T_CONTINUE) {
            // the responder's first Continue names its own id: later messages to it use that one
            final long alias = transactionKey(otid, otidLength, calling.nodeKey());
            final int a = (int) (alias & aliasMask);
            aliasFrom[a] = alias;
            aliasTo[a] = transactions.key(s);
        }
        return s;
    }

    /** 0 when the application context does not tell; else MAP or CAP. */
    private static int protocolOf(final int acn) {
        if (acn < 0) {
            return 0;
        }
        final int domain = acn >>> 16;
        final int context = acn >>> 8 & 0xFF;
        if (domain == 0) {
            // 0.4.0.0.1.0.50/51/52.v: CAP v1/v2 gsmSSF-gsmSCF, assist, gsmSRF (TS 29.078 §5)
            return context >= 50 && context <= 52 ? PROTO_CAP : PROTO_MAP;
        }
        // 0.4.0.0.1.21/22/23.x.y: CAP phase 3 and 4 application contexts
        return domain >= 21 && domain <= 23 ? PROTO_CAP : 0;
    }

    /**
     * The dialogue portion (Q.773 §4.2.2 / X.680 EXTERNAL): AARQ/AARE with the application-context
     * name, AARE's result, and MAP-OpenInfo's destination reference (TS 29.002 §7.3, the IMSI of a
     * supplementary service request).
     */
    private int dialogue(final ByteBuf buf, final int depth) {
        final Ber dp = ber[depth];
        int p = dp.valueOffset();
        final int end = p + dp.valueLength();
        if (depth + 4 >= ber.length) {
            return Ber.TOO_DEEP;
        }
        final Ber ext = ber[depth + 1];
        int status = ext.read(buf, p, end, depth + 1, budget);
        if (status != Ber.OK || ext.tag() != T_EXTERNAL) {
            return status;
        }
        // EXTERNAL: direct-reference OID, then [0] single-ASN1-type holding the dialogue PDU
        p = ext.valueOffset();
        final int extEnd = p + ext.valueLength();
        final Ber e = ber[depth + 2];
        while (p < extEnd) {
            status = e.read(buf, p, extEnd, depth + 2, budget);
            if (status != Ber.OK) {
                return status;
            }
            if (e.tag() == tag(CONTEXT, true, 0)) {
                final Ber pdu = ber[depth + 3];
                status = pdu.read(buf, e.valueOffset(), e.valueOffset() + e.valueLength(), depth + 3, budget);
                if (status != Ber.OK) {
                    return status;
                }
                if (pdu.tag() == T_AARQ || pdu.tag() == T_AARE) {
                    return dialoguePdu(buf, depth + 3, pdu.tag() == T_AARE);
                }
                return Ber.OK;
            }
            p = e.end();
        }
        return Ber.OK;
    }

    private int dialoguePdu(final ByteBuf buf, final int depth, final boolean response) {
        final Ber pdu = ber[depth];
        int p = pdu.valueOffset();
        final int end = p + pdu.valueLength();
        final Ber f = ber[depth + 1];
        while (p < end) {
            int status = f.read(buf, p, end, depth + 1, budget);
            if (status != Ber.OK) {
                return status;
            }
            final int t = f.tag();
            if (t == tag(CONTEXT, true, 1) && depth + 2 < ber.length) {
                final Ber oid = ber[depth + 2];
                status = oid.read(buf, f.valueOffset(), f.valueOffset() + f.valueLength(), depth + 2, budget);
                if (status != Ber.OK) {
                    return status;
                }
                if (oid.tag() == T_OID) {
                    acn = applicationContext(buf, oid.valueOffset(), oid.valueLength());
                }
            } else if (response && t == tag(CONTEXT, true, 2) && depth + 2 < ber.length) {
                final Ber r = ber[depth + 2];
                status = r.read(buf, f.valueOffset(), f.valueOffset() + f.valueLength(), depth + 2, budget);
                if (status == Ber.OK && r.tag() == T_INTEGER) {
                    dialogueResult = (int) r.unsigned(buf); // Q.773: 0 accepted, 1 reject-permanent
                }
            } else if (!response && t == tag(CONTEXT, true, 30)) {
                mapOpenInfo(buf, depth + 1);
            }
            p = f.end();
        }
        return Ber.OK;
    }

    /** The last three arcs of an application-context name under 0.4.0.0.1 (itu-t identified-organization etsi mobileDomain gsm-Network), or -1. */
    private static int applicationContext(final ByteBuf buf, final int at, final int length) {
        // 0.4.0.0.1 is encoded 04 00 00 01; then three single-octet arcs (domain, context, version)
        if (length != 7 || buf.getUnsignedByte(at) != 0x04 || buf.getUnsignedByte(at + 1) != 0
            || buf.getUnsignedByte(at + 2) != 0 || buf.getUnsignedByte(at + 3) != 1) {
            return -1;
        }
        final int d = buf.getUnsignedByte(at + 4);
        final int c = buf.getUnsignedByte(at + 5);
        final int v = buf.getUnsignedByte(at + 6);
        if ((d | c | v) >= 0x80) {
            return -1;
        }
        return d << 16 | c << 8 | v;
    }

    /** user-information: EXTERNAL { map-DialogueAS, [0] MAP-DialoguePDU map-open [0] { destinationReference [0] ... } }. */
    private void mapOpenInfo(final ByteBuf buf, final int depth) {
        if (depth + 5 >= ber.length) {
            return;
        }
        final Ber ui = ber[depth];
        final Ber ext = ber[depth + 1];
        if (ext.read(buf, ui.valueOffset(), ui.valueOffset() + ui.valueLength(), depth + 1, budget) != Ber.OK
            || ext.tag() != T_EXTERNAL) {
            return;
        }
        final int single = childWithTag(buf, depth + 1, tag(CONTEXT, true, 0));
        if (single < 0) {
            return;
        }
        final Ber open = ber[depth + 3];
        final Ber s = ber[depth + 2];
        if (open.read(buf, s.valueOffset(), s.valueOffset() + s.valueLength(), depth + 3, budget) != Ber.OK
            || open.tag() != tag(CONTEXT, true, 0)) {
            return;
        }
        if (childWithTag(buf, depth + 3, tag(CONTEXT, false, 0)) >= 0) {
            final Ber ref = ber[depth + 4];
            // an AddressString; numbering plan 6 (E.212, TS 29.002 §17.7.8) holds an IMSI
            if (ref.valueLength() >= 4 && (buf.getUnsignedByte(ref.valueOffset()) & 0x0F) == 6) {
                final long imsi = Digits.fromTbcd(buf, ref.valueOffset() + 1, ref.valueLength() - 1);
                if (validImsi(imsi)) {
                    openDestinationImsi = imsi;
                }
            }
        }
    }

    /** Finds the first child of ber[depth] with the tag; it is left in ber[depth + 1]. Returns 0 or -1. */
    private int childWithTag(final ByteBuf buf, final int depth, final int wanted) {
        if (depth + 1 >= ber.length) {
            return -1;
        }
        final Ber parent = ber[depth];
        final Ber c = ber[depth + 1];
        int p = parent.valueOffset();
        final int end = p + parent.valueLength();
        while (p < end) {
            if (c.read(buf, p, end, depth + 1, budget) != Ber.OK) {
                return -1;
            }
            if (c.tag() == wanted) {
                return 0;
            }
            p = c.end();
        }
        return -1;
    }

    private int components(final PacketInfo packet, final ByteBuf buf, final MessageSink sink) {
        final Ber list = ber[1];
        int p = list.valueOffset();
        final int end = p + list.valueLength();
        final Ber c = ber[2];
        while (p < end) {
            final int status = c.read(buf, p, end, 2, budget);
            if (status != Ber.OK) {
                return status;
            }
            if (c.tagClass() != CONTEXT || !c.constructed()) {
                badComponent.increment();
                return Ber.OK;
            }
            final int s = component(packet, buf, c.number(), sink);
            if (s != Ber.OK) {
                return s;
            }
            p = c.end();
        }
        return Ber.OK;
    }

    /** One component in ber[2] (Q.773 §4.2.2: Invoke, ReturnResult(Last), ReturnError, Reject). */
    private int component(final PacketInfo packet, final ByteBuf buf, final int type, final MessageSink sink) {
        componentType = type;
        invokeId = Long.MIN_VALUE;
        opcode = -1;
        int parameter = -1;
        final Ber comp = ber[2];
        final Ber f = ber[3];
        int p = comp.valueOffset();
        final int end = p + comp.valueLength();
        int index = 0;
        while (p < end) {
            int status = f.read(buf, p, end, 3, budget);
            if (status != Ber.OK) {
                return status;
            }
            final int t = f.tag();
            if (index == 0 && t == T_INTEGER) {
                invokeId = f.signed(buf);
            } else if (type == C_INVOKE || type == C_ERROR) {
                if (t == T_INTEGER && opcode < 0) {
                    opcode = (int) Math.max(-1, Math.min(f.unsigned(buf), Integer.MAX_VALUE));
                } else if (t != tag(CONTEXT, false, 0) && t != T_OID && opcode >= 0 && parameter < 0) {
                    parameter = p; // linked id [0] comes before the opcode; the argument after it
                }
            } else if ((type == C_RESULT_LAST || type == C_RESULT) && t == T_SEQUENCE && depth4()) {
                // resultretres: SEQUENCE { opcode, result }
                int q = f.valueOffset();
                final int rend = q + f.valueLength();
                final Ber r = ber[4];
                while (q < rend) {
                    status = r.read(buf, q, rend, 4, budget);
                    if (status != Ber.OK) {
                        return status;
                    }
                    if (r.tag() == T_INTEGER && opcode < 0) {
                        opcode = (int) Math.max(-1, Math.min(r.unsigned(buf), Integer.MAX_VALUE));
                    } else if (opcode >= 0 && parameter < 0) {
                        parameter = q;
                    }
                    q = r.end();
                }
            }
            index++;
            p = f.end();
        }
        final boolean cap = protocol == PROTO_CAP;
        tap.component(packet.frame, cap, type, type == C_ERROR || type == C_REJECT ? -1 : opcode);
        if (type == C_ERROR || type == C_REJECT || (type == C_RESULT_LAST || type == C_RESULT) && opcode < 0) {
            // the answer names no operation: it answers the invoke with its id
            opcode = -1;
            if (slot >= 0 && transactions.attachment(slot, A_INVOKE_ID) == invokeId) {
                opcode = (int) transactions.attachment(slot, A_OPCODE);
            }
        }
        final SignalingMessage m = message.reset();
        m.header(packet.frame, packet.timeNs, packet.sourceId);
        final int kind = type == C_INVOKE ? 0 : type == C_RESULT_LAST || type == C_RESULT ? 1 : 2;
        String name = MapOperation.name(cap, kind, opcode);
        if (name == null) {
            name = type == C_INVOKE ? "invoke" : type == C_REJECT ? "reject" : kind == 1 ? "returnResult" : "returnError";
        }
        m.message(cap ? Protocol.CAP : Protocol.MAP, opcode, name, type == C_INVOKE);
        if (kind == 1) {
            m.outcome(Outcome.ACCEPTED);
        } else if (kind == 2) {
            m.outcome(Outcome.REJECTED);
        }
        ssCode = -1;
        forwardingPending = false;
        nodeNumber = Digits.NONE;
        EventKind event = EventKind.NONE;
        if (parameter >= 0 && opcode >= 0 && kind < 2) {
            final Ber arg = ber[3];
            int status = arg.read(buf, parameter, end, 3, budget);
            if (status != Ber.OK) {
                return status;
            }
            status = cap ? capArgument(buf, kind, m) : mapArgument(buf, kind, m);
            if (status != Ber.OK) {
                return status;
            }
        }
        if (tcapType == T_BEGIN && openDestinationImsi != Digits.NONE && !m.has(SignalingMessage.IMSI)) {
            m.imsi(openDestinationImsi);
        }
        if (kind == 0) {
            event = cap ? capEvent(m) : mapEvent(m);
        }
        m.event(event);
        (cap ? capMessages : mapMessages).increment();
        sink.onMessage(m);
        merge(m, kind, sink);
        return Ber.OK;
    }

    private boolean depth4() {
        return ber.length > 5;
    }

    /** Adds a component to its transaction's procedure, or completes it alone when there is none. */
    private void merge(final SignalingMessage m, final int kind, final MessageSink sink) {
        if (slot < 0) {
            procedure.copyFrom(m);
            if (!procedure.has(SignalingMessage.OUTCOME)) {
                procedure.outcome(Outcome.UNKNOWN);
            }
            sink.onProcedure(procedure);
            return;
        }
        final SignalingMessage p = transactions.message(slot);
        if (transactions.attachment(slot, A_OPCODE) < 0 && kind == 0) {
            // the first invoke is the transaction's procedure
            p.copyFrom(m);
            p.clear(SignalingMessage.OUTCOME);
            transactions.attachment(slot, A_OPCODE, m.messageType());
            transactions.attachment(slot, A_INVOKE_ID, invokeId);
            return;
        }
        overlay(p, m);
        if (invokeId == transactions.attachment(slot, A_INVOKE_ID) && kind > 0) {
            transactions.attachment(slot, A_OUTCOME,
                (kind == 1 ? Outcome.ACCEPTED : Outcome.REJECTED).ordinal());
        }
    }

    /** Completes a transaction: at the End/Abort's frame when packet is given, else at its Begin's. */
    private void complete(final int s, final PacketInfo packet, final MessageSink sink) {
        final SignalingMessage p = transactions.message(s);
        final boolean hasProcedure = transactions.attachment(s, A_OPCODE) >= 0;
        if (hasProcedure) {
            procedure.copyFrom(p);
            if (packet != null) {
                procedure.header(packet.frame, packet.timeNs, packet.sourceId);
            }
            procedure.outcome(Outcome.byOrdinal((int) transactions.attachment(s, A_OUTCOME)));
        }
        transactions.remove(s);
        if (s == slot) {
            slot = -1;
        }
        if (hasProcedure) {
            sink.onProcedure(procedure);
        }
    }

    private static void overlay(final SignalingMessage p, final SignalingMessage m) {
        if (!p.has(SignalingMessage.IMSI) && m.has(SignalingMessage.IMSI)) {
            p.imsi(m.imsi());
        }
        if (!p.has(SignalingMessage.MSISDN) && m.has(SignalingMessage.MSISDN)) {
            p.msisdn(m.msisdn());
        }
        if (!p.has(SignalingMessage.IMEI) && m.has(SignalingMessage.IMEI)) {
            p.imei(m.imei());
        }
        if (!p.has(SignalingMessage.CALLED) && m.has(SignalingMessage.CALLED)) {
            p.called(m.called());
        }
        if (!p.has(SignalingMessage.CALLING) && m.has(SignalingMessage.CALLING)) {
            p.calling(m.calling());
        }
        if ((p.present() & LOCATION_FIELDS) == 0 && (m.present() & LOCATION_FIELDS) != 0) {
            if (m.has(SignalingMessage.CELL_PLMN)) {
                p.cellPlmn(m.cellPlmn());
            }
            if (m.has(SignalingMessage.LAC)) {
                p.lac(m.lac());
            }
            if (m.has(SignalingMessage.CI)) {
                p.ci(m.ci());
            }
            if (m.has(SignalingMessage.SAC)) {
                p.sac(m.sac());
            }
        }
    }

    // ---- MAP ------------------------------------------------------------------------------------

    private static final int CTX0 = tag(CONTEXT, false, 0);
    private static final int CTX1 = tag(CONTEXT, false, 1);
    private static final int CTX2 = tag(CONTEXT, false, 2);
    private static final int CTX4 = tag(CONTEXT, false, 4);
    private static final int CTX9 = tag(CONTEXT, false, 9);
    private static final int CTXC0 = tag(CONTEXT, true, 0);
    private static final int CTXC3 = tag(CONTEXT, true, 3);

    /** The operation's argument (kind 0) or result (kind 1), in ber[3]. */
    private int mapArgument(final ByteBuf buf, final int kind, final SignalingMessage m) {
        final Ber a = ber[3];
        final int t = a.tag();
        if (a.constructed() == false) {
            // MAP v1/v2 arguments that are a bare type: SAI v2 (IMSI), checkIMEI v2 (IMEI)
            if (kind == 0 && t == T_OCTETS) {
                if (opcode == MapOperation.SEND_AUTHENTICATION_INFO || opcode == MapOperation.CANCEL_LOCATION) {
                    readImsi(buf, a.valueOffset(), a.valueLength(), m);
                } else if (opcode == MapOperation.CHECK_IMEI) {
                    readImei(buf, a.valueOffset(), a.valueLength(), m);
                }
            }
            return Ber.OK;
        }
        int p = a.valueOffset();
        final int end = p + a.valueLength();
        final Ber f = ber[4];
        int octets = 0; // how many universal OCTET STRINGs seen at this level
        while (p < end) {
            final int status = f.read(buf, p, end, 4, budget);
            if (status != Ber.OK) {
                return status;
            }
            final int ft = f.tag();
            final int v = f.valueOffset();
            final int l = f.valueLength();
            if (ft == T_OCTETS) {
                octets++;
            }
            switch (opcode) {
                case MapOperation.UPDATE_LOCATION:
                case MapOperation.UPDATE_GPRS_LOCATION:
                    // SEQUENCE { imsi, [msc-Number [1]], vlr-Number | sgsn-Number, ... }
                    if (kind == 0 && ft == T_OCTETS && octets == 1) {
                        readImsi(buf, v, l, m);
                    } else if (kind == 0 && ft == T_OCTETS && octets == 2) {
                        nodeNumber = isdn(buf, v, l);
                    }
                    break;
                case MapOperation.CANCEL_LOCATION:
                    if (kind == 0 && ft == T_OCTETS && octets == 1) {
                        readImsi(buf, v, l, m);
                    } else if (kind == 0 && ft == T_SEQUENCE) {
                        firstImsiInside(buf, m); // imsi-WithLMSI
                    }
                    break;
                case MapOperation.PURGE_MS:
                    if (kind == 0 && ft == T_OCTETS && octets == 1) {
                        readImsi(buf, v, l, m);
                    }
                    break;
                case MapOperation.SEND_AUTHENTICATION_INFO:
                    if (kind == 0 && ft == CTX0) {
                        readImsi(buf, v, l, m);
                    }
                    break;
                case MapOperation.MO_FORWARD_SM:
                case MapOperation.MT_FORWARD_SM:
                    if (kind == 0) {
                        forwardSmField(buf, ft, v, l, octets, m);
                    }
                    break;
                case MapOperation.SEND_ROUTING_INFO:
                    if (kind == 0 && ft == CTX0) {
                        readMsisdn(buf, v, l, m);
                    } else if (kind == 1 && (ft == CTX9 || ft == T_OCTETS && octets == 1)) {
                        readImsi(buf, v, l, m);
                    }
                    break;
                case MapOperation.SEND_ROUTING_INFO_FOR_SM:
                    if (kind == 0 && ft == CTX0) {
                        readMsisdn(buf, v, l, m);
                    } else if (kind == 1 && ft == T_OCTETS && octets == 1) {
                        readImsi(buf, v, l, m);
                    }
                    break;
                case MapOperation.REGISTER_SS:
                case MapOperation.ACTIVATE_SS:
                case MapOperation.ERASE_SS:
                case MapOperation.DEACTIVATE_SS:
                    if (kind == 0 && ft == T_OCTETS && octets == 1 && l == 1) {
                        ssCode = buf.getUnsignedByte(v);
                    }
                    break;
                case MapOperation.CHECK_IMEI:
                    if (kind == 0 && ft == T_OCTETS && octets == 1) {
                        readImei(buf, v, l, m);
                    }
                    break;
                case MapOperation.INSERT_SUBSCRIBER_DATA:
                    if (kind == 0 && ft == CTX0) {
                        readImsi(buf, v, l, m);
                    } else if (kind == 0 && ft == CTX1) {
                        readMsisdn(buf, v, l, m);
                    }
                    break;
                case MapOperation.PROVIDE_SUBSCRIBER_INFO:
                case MapOperation.ANY_TIME_INTERROGATION:
                    if (kind == 0 && ft == CTX0 && opcode == MapOperation.PROVIDE_SUBSCRIBER_INFO) {
                        readImsi(buf, v, l, m);
                    } else if (kind == 0 && ft == CTXC0) {
                        subscriberIdentity(buf, m); // ATI: [0] CHOICE { imsi [0], msisdn [1] }
                    } else if (kind == 1 && ft == T_SEQUENCE) {
                        // subscriberInfo SEQUENCE { locationInformation [0] ... }
                        if (childWithTag(buf, 4, CTXC0) >= 0) {
                            locationInformation(buf, 5, m);
                        }
                    }
                    break;
                case MapOperation.PROCESS_USSD:
                case MapOperation.USSD_REQUEST:
                    // USSD-Arg (TS 29.002 §17.7.4): ..., msisdn [0] ISDN-AddressString OPTIONAL
                    if (kind == 0 && ft == CTX0) {
                        readMsisdn(buf, v, l, m);
                    }
                    break;
                case MapOperation.NOTE_MM_EVENT:
                    if (ft == CTX0 && l == 1) {
                        ssCode = buf.getUnsignedByte(v); // the MM-Code (eventMet), kept in the same scratch
                    } else if (ft == CTX1) {
                        readImsi(buf, v, l, m);
                    } else if (ft == CTX2) {
                        readMsisdn(buf, v, l, m);
                    } else if (ft == CTXC3) {
                        locationInformation(buf, 4, m);
                    }
                    break;
                default:
                    break;
            }
            p = f.end();
        }
        return Ber.OK;
    }

    /**
     * MO/MT-ForwardSM-Arg (TS 29.002 §12.2/12.9): sm-RP-DA CHOICE (imsi [0], lmsi [1],
     * serviceCentreAddressDA [4]), sm-RP-OA CHOICE (msisdn [2], serviceCentreAddressOA [4]),
     * sm-RP-UI, ..., and for MO in v3 a trailing imsi. The DA tells the direction in v1/v2, where
     * opcode 46 is forwardSM both ways: a service centre as destination is mobile-originated.
     */
    private void forwardSmField(final ByteBuf buf, final int ft, final int v, final int l, final int octets,
        final SignalingMessage m) {
        if (ft == CTX0 && !m.has(SignalingMessage.IMSI)) {
            readImsi(buf, v, l, m);
            ssCode = 'T'; // destination is a subscriber: mobile-terminated
        } else if (ft == CTX4 && ssCode < 0) {
            ssCode = 'O'; // first [4] is the DA: a service centre, mobile-originated
        } else if (ft == CTX2) {
            readMsisdn(buf, v, l, m);
        } else if (ft == T_OCTETS && octets == 2 && !m.has(SignalingMessage.IMSI)) {
            readImsi(buf, v, l, m);
        }
    }

    private void firstImsiInside(final ByteBuf buf, final SignalingMessage m) {
        if (childWithTag(buf, 4, T_OCTETS) >= 0) {
            final Ber i = ber[5];
            readImsi(buf, i.valueOffset(), i.valueLength(), m);
        }
    }

    private void subscriberIdentity(final ByteBuf buf, final SignalingMessage m) {
        if (ber.length <= 5) {
            return;
        }
        final Ber s = ber[4];
        final Ber c = ber[5];
        if (c.read(buf, s.valueOffset(), s.valueOffset() + s.valueLength(), 5, budget) != Ber.OK) {
            return;
        }
        if (c.tag() == CTX0) {
            readImsi(buf, c.valueOffset(), c.valueLength(), m);
        } else if (c.tag() == CTX1) {
            readMsisdn(buf, c.valueOffset(), c.valueLength(), m);
        }
    }

    /**
     * LocationInformation (TS 29.002 §17.7.1) in ber[depth]: vlr-number [1], and
     * cellGlobalIdOrServiceAreaIdOrLAI [3] CHOICE { cellGlobalIdOrServiceAreaIdFixedLength [0]
     * (7 octets: PLMN, LAC, CI or SAC), laiFixedLength [1] (5 octets) }.
     */
    private void locationInformation(final ByteBuf buf, final int depth, final SignalingMessage m) {
        if (depth + 2 >= ber.length) {
            return;
        }
        final Ber li = ber[depth];
        final Ber f = ber[depth + 1];
        int p = li.valueOffset();
        final int end = p + li.valueLength();
        while (p < end) {
            if (f.read(buf, p, end, depth + 1, budget) != Ber.OK) {
                return;
            }
            if (f.tag() == CTX1 && nodeNumber == Digits.NONE) {
                nodeNumber = isdn(buf, f.valueOffset(), f.valueLength());
            } else if (f.tag() == CTXC3) {
                final Ber c = ber[depth + 2];
                if (c.read(buf, f.valueOffset(), f.valueOffset() + f.valueLength(), depth + 2, budget) == Ber.OK) {
                    readCell(buf, c.tag() == CTX0, c.valueOffset(), c.valueLength(), m);
                }
            }
            p = f.end();
        }
    }

    /** TS 29.002 §17.7.8 CellGlobalIdOrServiceAreaIdFixedLength (7 octets) / LAIFixedLength (5). */
    private void readCell(final ByteBuf buf, final boolean cgi, final int v, final int l, final SignalingMessage m) {
        if (cgi ? l != 7 : l != 5) {
            badLocation.increment();
            return;
        }
        final long plmn = Plmn.fromTbcd(buf, v);
        if (plmn == Digits.INVALID) {
            badLocation.increment();
            return;
        }
        m.cellPlmn(plmn).lac(buf.getUnsignedShort(v + 3));
        if (cgi) {
            m.ci(buf.getUnsignedShort(v + 5));
        }
    }

    private EventKind mapEvent(final SignalingMessage m) {
        switch (opcode) {
            case MapOperation.UPDATE_LOCATION:
            case MapOperation.UPDATE_GPRS_LOCATION:
                return roaming(m) ? EventKind.ROAMING_REGISTRATION : EventKind.LOCATION_UPDATE;
            case MapOperation.PURGE_MS:
                return EventKind.POWER_OFF;
            case MapOperation.MT_FORWARD_SM:
                return EventKind.SMS_MT;
            case MapOperation.MO_FORWARD_SM:
                return smsDirection();
            case MapOperation.REGISTER_SS:
            case MapOperation.ACTIVATE_SS:
                return MapOperation.isForwarding(ssCode) ? EventKind.CALL_FORWARDING_SET : EventKind.NONE;
            case MapOperation.CHECK_IMEI:
                return m.has(SignalingMessage.IMEI) ? EventKind.HANDSET_REPORTED : EventKind.NONE;
            case MapOperation.NOTE_MM_EVENT:
                // TS 29.002 §17.7.14 MM-Code: 2 imsi-Attach, 0x82 gprsAttach; 3/4, 0x83/0x84 detaches
                if (ssCode == 0x02 || ssCode == 0x82) {
                    return EventKind.POWER_ON;
                }
                if (ssCode == 0x03 || ssCode == 0x04 || ssCode == 0x83 || ssCode == 0x84) {
                    return EventKind.POWER_OFF;
                }
                return ssCode >= 0 ? EventKind.LOCATION_UPDATE : EventKind.NONE;
            default:
                return EventKind.NONE;
        }
    }

    /**
     * Opcode 46: mo-forwardSM in MAP v3; forwardSM in v1/v2, whose direction the application
     * context (shortMsgMO-Relay 21, shortMsgMT-Relay 25) or else the SM-RP-DA tells.
     */
    private EventKind smsDirection() {
        final int context = acn >= 0 && acn >>> 16 == 0 ? acn >>> 8 & 0xFF : -1;
        final int version = acn >= 0 ? acn & 0xFF : -1;
        if (context == 25) {
            return EventKind.SMS_MT;
        }
        if (context == 21 || version == 3) {
            return EventKind.SMS_MO;
        }
        return ssCode == 'T' ? EventKind.SMS_MT : EventKind.SMS_MO;
    }

    /**
     * A registration is roaming when the VLR/SGSN number is outside the home country (the subscriber
     * abroad), or, with home PLMNs configured, when the IMSI is not of one of them (a visitor here).
     */
    private boolean roaming(final SignalingMessage m) {
        if (nodeNumber != Digits.NONE && nodeNumber != Digits.INVALID
            && !Digits.startsWith(nodeNumber, countryCodeDigits)) {
            return true;
        }
        if (homePlmns.length == 0 || !m.has(SignalingMessage.IMSI)) {
            return false;
        }
        for (final long home : homePlmns) {
            if (Digits.startsWith(m.imsi(), home)) {
                return false;
            }
        }
        return true;
    }

    // ---- CAP ------------------------------------------------------------------------------------

    private static final int CAP_CALLED = tag(CONTEXT, false, 2);
    private static final int CAP_CALLING = tag(CONTEXT, false, 3);
    private static final int CAP_IMSI = tag(CONTEXT, false, 50);
    private static final int CAP_LOCATION = tag(CONTEXT, true, 52);
    private static final int CAP_CALLED_BCD = tag(CONTEXT, false, 56);
    private static final int CAP_FORWARDING_PENDING = tag(CONTEXT, false, 58);

    /**
     * InitialDPArg (TS 29.078 §6.1.1, IMPLICIT tags): calledPartyNumber [2] and callingPartyNumber
     * [3] (ISUP Q.763 §3.9/3.10 format), iMSI [50], locationInformation [52], calledPartyBCDNumber
     * [56] (TS 24.008 §10.5.4.7), callForwardingSS-Pending [58].
     */
    private int capArgument(final ByteBuf buf, final int kind, final SignalingMessage m) {
        final Ber a = ber[3];
        if (kind != 0 || opcode != MapOperation.CAP_INITIAL_DP || !a.constructed()) {
            return Ber.OK;
        }
        int p = a.valueOffset();
        final int end = p + a.valueLength();
        final Ber f = ber[4];
        long calledIsup = Digits.NONE;
        long calledBcd = Digits.NONE;
        while (p < end) {
            final int status = f.read(buf, p, end, 4, budget);
            if (status != Ber.OK) {
                return status;
            }
            final int t = f.tag();
            final int v = f.valueOffset();
            final int l = f.valueLength();
            if (t == CAP_CALLED) {
                calledIsup = isupNumber(buf, v, l, false);
            } else if (t == CAP_CALLING) {
                final long calling = isupNumber(buf, v, l, true);
                if (calling != Digits.INVALID && calling != Digits.NONE) {
                    m.calling(calling);
                    // an MSISDN only in the E.164 numbering plan (Q.763 §3.10: octet 2 bits 7..5 = 1)
                    if ((buf.getUnsignedByte(v + 1) >>> 4 & 0x07) == 1) {
                        m.msisdn(calling);
                    }
                }
            } else if (t == CAP_IMSI) {
                readImsi(buf, v, l, m);
            } else if (t == CAP_LOCATION) {
                locationInformation(buf, 4, m);
            } else if (t == CAP_CALLED_BCD) {
                // TS 24.008 §10.5.4.7: octet 3 with extension bit 0 is followed by octet 3a
                final int header = l >= 1 && (buf.getUnsignedByte(v) & 0x80) == 0 ? 2 : 1;
                if (l > header) {
                    calledBcd = Digits.fromTbcd(buf, v + header, l - header);
                }
            } else if (t == CAP_FORWARDING_PENDING) {
                forwardingPending = true;
            }
            p = f.end();
        }
        // the number as the subscriber dialled it (DP Collected_Info) before the ISUP form
        final long calledNumber = calledBcd != Digits.NONE && calledBcd != Digits.INVALID ? calledBcd : calledIsup;
        if (calledNumber != Digits.NONE && calledNumber != Digits.INVALID) {
            m.called(calledNumber);
        } else if (calledBcd == Digits.INVALID || calledIsup == Digits.INVALID) {
            badNumber.increment();
        }
        return Ber.OK;
    }

    private static EventKind capEvent(final SignalingMessage m) {
        return m.messageType() == MapOperation.CAP_INITIAL_DP ? EventKind.CALL_ATTEMPT : EventKind.NONE;
    }

    /** True when the last InitialDP decoded carried callForwardingSS-Pending (TS 29.078 §6.1.1). */
    public boolean lastCallForwardingPending() {
        return forwardingPending;
    }

    /**
     * ISUP number (Q.763 §3.9 called / §3.10 calling party number): O/E + nature of address, then
     * numbering plan octet, then BCD digits (filler 0 when odd; 0xF is the end-of-pulsing signal).
     * A calling number of national nature (3) is put into international form.
     */
    private long isupNumber(final ByteBuf buf, final int v, final int l, final boolean international) {
        if (l < 2) {
            return Digits.INVALID;
        }
        final boolean odd = (buf.getUnsignedByte(v) & 0x80) != 0;
        final int nai = buf.getUnsignedByte(v) & 0x7F;
        long d = SccpAddress.bcd(buf, v + 2, l - 2, odd);
        if (d == Digits.INVALID) {
            d = stopAtSt(buf, v + 2, l - 2, odd);
        }
        if (international && nai == 3 && d != Digits.INVALID && d != Digits.NONE) {
            d = withCountryCode(d);
        }
        return d;
    }

    /** BCD digits up to an ST (0xF) signal. */
    private static long stopAtSt(final ByteBuf buf, final int at, final int length, final boolean odd) {
        long packed = Digits.NONE;
        final int count = length * 2 - (odd ? 1 : 0);
        for (int i = 0; i < count; i++) {
            final int b = buf.getUnsignedByte(at + (i >>> 1));
            final int d = (i & 1) == 0 ? b & 0x0F : b >>> 4;
            if (d == 0x0F) {
                return packed;
            }
            if (d > 9) {
                return Digits.INVALID;
            }
            packed = Digits.append(packed, d);
            if (packed == Digits.INVALID) {
                return packed;
            }
        }
        return packed;
    }

    // ---- identities -----------------------------------------------------------------------------

    private static boolean validImsi(final long imsi) {
        return imsi != Digits.INVALID && Digits.length(imsi) >= 6 && Digits.length(imsi) <= 15;
    }

    /** TS 29.002 §17.7.8 IMSI: TBCD, 3..8 octets, 6..15 digits (TS 23.003 §2.2). */
    private void readImsi(final ByteBuf buf, final int v, final int l, final SignalingMessage m) {
        if (m.has(SignalingMessage.IMSI)) {
            return;
        }
        final long imsi = l >= 3 && l <= 8 ? Digits.fromTbcd(buf, v, l) : Digits.INVALID;
        if (validImsi(imsi)) {
            m.imsi(imsi);
        } else {
            badImsi.increment();
        }
    }

    /** TS 29.002 §17.7.8 IMEI: TBCD, 8 octets (15 digits with check digit, or an IMEISV's 16); we keep TAC + SNR. */
    private void readImei(final ByteBuf buf, final int v, final int l, final SignalingMessage m) {
        final long d = l == 8 ? Digits.fromTbcd(buf, v, l) : Digits.INVALID;
        if (d == Digits.INVALID || Digits.length(d) < 15) {
            badImei.increment();
            return;
        }
        m.imei(Digits.prefix(d, 14));
    }

    private void readMsisdn(final ByteBuf buf, final int v, final int l, final SignalingMessage m) {
        if (m.has(SignalingMessage.MSISDN)) {
            return;
        }
        final long msisdn = isdn(buf, v, l);
        if (msisdn != Digits.INVALID && msisdn != Digits.NONE) {
            m.msisdn(msisdn);
        }
    }

    /**
     * ISDN-AddressString (TS 29.002 §17.7.8): extension + nature of address (7..5) + numbering plan
     * (4..1), then TBCD digits; a national number is put into international form. At most 15 digits.
     */
    private long isdn(final ByteBuf buf, final int v, final int l) {
        if (l < 2 || l > 9) {
            badNumber.increment();
            return Digits.INVALID;
        }
        final int nature = buf.getUnsignedByte(v) >>> 4 & 0x07;
        long d = Digits.fromTbcd(buf, v + 1, l - 1);
        if (d == Digits.INVALID || Digits.length(d) > 15) {
            badNumber.increment();
            return Digits.INVALID;
        }
        if (nature == 2 && d != Digits.NONE) {
            d = withCountryCode(d);
        }
        return d;
    }

    private long withCountryCode(final long national) {
        final int ccLength = Digits.length(countryCodeDigits);
        final int length = Digits.length(national);
        if (ccLength + length > 15) {
            return national;
        }
        long v = Digits.value(countryCodeDigits);
        for (int i = 0; i < length; i++) {
            v *= 10;
        }
        return Digits.pack(v + Digits.value(national), ccLength + length);
    }

    private void countBer(final int status) {
        final int i = -status;
        if (i > 0 && i < berErrors.length) {
            berErrors[i].increment();
        }
    }

    // ---- time -----------------------------------------------------------------------------------

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        int s;
        while ((s = transactions.oldestExpired(nowNs)) >= 0) {
            timedOut.increment();
            complete(s, null, sink);
        }
        final int expired = reassembly.expire(nowNs);
        if (expired > 0) {
            xudtExpired.getAndAdd(expired);
        }
    }

    @Override
    public void flush(final MessageSink sink) {
        int s;
        while ((s = transactions.oldest()) >= 0) {
            flushed.increment();
            complete(s, null, sink);
        }
    }
}
