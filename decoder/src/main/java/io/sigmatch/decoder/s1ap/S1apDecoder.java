package io.sigmatch.decoder.s1ap;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.nas.NasEpsMessage;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * S1AP (TS 36.413) decoder for one decoding thread, fed the SCTP user messages of PPID 18. Each PDU
 * is one message to {@link MessageSink#onMessage}: the procedure, the UE ids, the TAI and E-UTRAN CGI,
 * and what the EPS NAS inside says (TS 24.301, {@link NasEpsMessage}: identities in clear, the GUTI,
 * the EMM message). A message that is a touchpoint (DESIGN §4) also goes to
 * {@link MessageSink#onProcedure}, with the subscriber filled in through {@link RanUeCorrelator}:
 *
 * <ul>
 *   <li>Attach Request: POWER_ON; Detach Request: POWER_OFF; TAU Request, Service Request, any other
 *       InitialUEMessage, LocationReport, PathSwitchRequest, HandoverNotify: LOCATION_UPDATE (they carry
 *       the cell); an uplink message whose cell differs from the connection's last one: LOCATION_UPDATE;
 *       an Identity Response or Security Mode Complete with an IMEI(SV): HANDSET_REPORTED.</li>
 * </ul>
 *
 * <p>The top-level ProtocolIE-Container is walked (the NAS-PDU IE of InitialUEMessage,
 * Uplink/DownlinkNASTransport and the others that carry one at top level), and the first NAS-PDU of
 * InitialContextSetupRequest's E-RAB list (the Attach or TAU Accept with the GUTI it assigns); NAS in
 * other E-RAB lists (E-RAB Setup and Modify, which carry ESM messages only) is not opened.
 * Hot path: reads at offsets of the caller's buffer, reused flyweights and messages, tables of
 * primitives; nothing is allocated per message, and malformed input bumps
 * {@code decode.s1ap.error.<reason>} (or {@code decode.s1ap.nas.error.<reason>}) instead of throwing.
 */
public final class S1apDecoder implements PayloadDecoder {
    public static final String MESSAGES = "decode.s1ap.messages";
    public static final String ERROR = "decode.s1ap.error.";
    public static final String NAS = "decode.s1ap.nas.";
    public static final String NAS_ERROR = "decode.s1ap.nas.error.";
    public static final String CORRELATE = "correlate.s1ap.";

    public static final String TRUNCATED = "truncated";
    public static final String BAD_CHOICE = "bad_choice";
    public static final String FRAGMENTED = "fragmented";
    public static final String BAD_LENGTH = "bad_length";
    public static final String TOO_MANY_IES = "too_many_ies";
    public static final String BAD_CRITICALITY = "bad_criticality";
    public static final String BAD_IE = "bad_ie";
    public static final String BAD_PLMN = "bad_plmn";
    public static final String CIPHERED = "ciphered";
    public static final String ESM = "esm";
    public static final String BAD_SECURITY_HEADER = "bad_security_header";
    public static final String UNKNOWN_PD = "unknown_pd";
    public static final String BAD_IDENTITY = "bad_identity";
    public static final String NESTED = "nested";

    /** The procedure codes whose NAS-PDU is at top level, for the combined "S1AP (NAS)" message names. */
    private static final int[] NAS_CARRIERS = {
        S1apProcedure.INITIAL_CONTEXT_SETUP, S1apProcedure.DOWNLINK_NAS_TRANSPORT, S1apProcedure.INITIAL_UE_MESSAGE, S1apProcedure.UPLINK_NAS_TRANSPORT,
        7, 16, 52};
    private static final String[][] WITH_NAS = new String[256][];

    static {
        for (final int code : NAS_CARRIERS) {
            WITH_NAS[code] = new String[NasEpsMessage.SERVICE_REQUEST + 1];
            for (int t = 0; t <= NasEpsMessage.SERVICE_REQUEST; t++) {
                final String nas = NasEpsMessage.name(t);
                if (nas != null) {
                    WITH_NAS[code][t] = S1apProcedure.name(AperPdu.INITIATING, code) + " (" + nas + ")";
                }
            }
        }
    }

    private final S1apConfig config;
    private final AperPdu pdu = new AperPdu();
    private final NasEpsMessage nas = new NasEpsMessage();
    private final AperBits bits = new AperBits();
    private final RanUeCorrelator ues;
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();

    // per-message scratch
    private long mmeUeId;
    private long enbUeId;
    private int nasOffset;
    private int nasLength;
    private int nasStatus;
    private long taiPlmn;
    private int tac;
    private long cgiPlmn;
    private long eci;
    private int mmeCode;
    private long mTmsi;

    private final AtomicCounter messages;
    private final AtomicCounter truncated;
    private final AtomicCounter badChoice;
    private final AtomicCounter fragmented;
    private final AtomicCounter badLength;
    private final AtomicCounter tooManyIes;
    private final AtomicCounter badCriticality;
    private final AtomicCounter badIe;
    private final AtomicCounter badPlmn;
    private final AtomicCounter nasCiphered;
    private final AtomicCounter nasEsm;
    private final AtomicCounter nasTruncated;
    private final AtomicCounter nasBadSecurityHeader;
    private final AtomicCounter nasUnknownPd;
    private final AtomicCounter nasBadIdentity;
    private final AtomicCounter nasBadIe;
    private final AtomicCounter nasNested;

    public S1apDecoder(final Counters counters, final S1apConfig config) {
        this.config = config.conclude();
        ues = new RanUeCorrelator(counters, config, CORRELATE);
        ues.names(this::nameDeferred);
        messages = counters.counter(MESSAGES);
        truncated = counters.counter(ERROR + TRUNCATED);
        badChoice = counters.counter(ERROR + BAD_CHOICE);
        fragmented = counters.counter(ERROR + FRAGMENTED);
        badLength = counters.counter(ERROR + BAD_LENGTH);
        tooManyIes = counters.counter(ERROR + TOO_MANY_IES);
        badCriticality = counters.counter(ERROR + BAD_CRITICALITY);
        badIe = counters.counter(ERROR + BAD_IE);
        badPlmn = counters.counter(ERROR + BAD_PLMN);
        nasCiphered = counters.counter(NAS + CIPHERED);
        nasEsm = counters.counter(NAS + ESM);
        nasTruncated = counters.counter(NAS_ERROR + TRUNCATED);
        nasBadSecurityHeader = counters.counter(NAS_ERROR + BAD_SECURITY_HEADER);
        nasUnknownPd = counters.counter(NAS_ERROR + UNKNOWN_PD);
        nasBadIdentity = counters.counter(NAS_ERROR + BAD_IDENTITY);
        nasBadIe = counters.counter(NAS_ERROR + BAD_IE);
        nasNested = counters.counter(NAS_ERROR + NESTED);
    }

    // ---- views of the message being delivered (valid during the sink callback) -------------------

    /** {@link AperPdu#INITIATING}, {@link AperPdu#SUCCESSFUL} or {@link AperPdu#UNSUCCESSFUL}. */
    public int pduType() {
        return pdu.pduType();
    }

    /** MME-UE-S1AP-ID of the message (or SourceMME-UE-S1AP-ID), -1 when absent. */
    public long mmeUeId() {
        return mmeUeId;
    }

    /** eNB-UE-S1AP-ID of the message, -1 when absent. */
    public long enbUeId() {
        return enbUeId;
    }

    /** The NAS flyweight of the message's NAS-PDU; read {@link #nasStatus()} first. */
    public NasEpsMessage nas() {
        return nas;
    }

    /** {@link NasEpsMessage} status of the NAS-PDU, or {@link Integer#MIN_VALUE} when the message has none. */
    public int nasStatus() {
        return nasStatus;
    }

    /** The S-TMSI's M-TMSI, -1 when the message carried no S-TMSI. */
    public long sTmsi() {
        return mTmsi;
    }

    public RanUeCorrelator correlator() {
        return ues;
    }

    // ---- decoding -------------------------------------------------------------------------------

    @Override
    public void decode(final PacketInfo packet, final ByteBuf buffer, final int offset, final int length,
        final MessageSink sink) {
        int status = pdu.wrap(buffer, offset, length);
        if (status == AperPdu.OK) {
            status = pdu.openContainer(config.maxIesPerMessage());
        }
        mmeUeId = -1;
        enbUeId = -1;
        nasOffset = -1;
        nasLength = 0;
        nasStatus = Integer.MIN_VALUE;
        taiPlmn = Digits.NONE;
        cgiPlmn = Digits.NONE;
        tac = -1;
        eci = -1;
        mTmsi = -1;
        while (status == AperPdu.OK) {
            status = pdu.nextIe();
            if (status == AperPdu.OK && !readIe(buffer, pdu.ieId(), pdu.ieValueOffset(), pdu.ieValueLength())) {
                return;
            }
        }
        if (status != AperPdu.END) {
            countPduError(status);
            return;
        }
        deliver(packet, buffer, sink);
    }

    /** Reads one IE sigmatch needs; false (counted) when its content is malformed. */
    private boolean readIe(final ByteBuf buf, final int id, final int at, final int len) {
        switch (id) {
            case S1apIe.MME_UE_S1AP_ID:
            case S1apIe.SOURCE_MME_UE_S1AP_ID:
                // MME-UE-S1AP-ID ::= INTEGER (0..4294967295)
                mmeUeId = AperPdu.constrainedNumber(buf, at, len, 2, 4);
                return mmeUeId >= 0 || badIe();
            case S1apIe.ENB_UE_S1AP_ID:
                // ENB-UE-S1AP-ID ::= INTEGER (0..16777215)
                enbUeId = AperPdu.constrainedNumber(buf, at, len, 2, 3);
                return enbUeId >= 0 || badIe();
            case S1apIe.UE_S1AP_IDS:
                return ueS1apIds(buf, at, len);
            case S1apIe.E_RAB_TO_BE_SETUP_LIST_CTXT_SU_REQ:
                return eRabNasPdu(buf, at, len);
            case S1apIe.NAS_PDU: {
                // NAS-PDU ::= OCTET STRING: a length determinant, then the octets
                final int det = AperPdu.length(buf, at, at + len);
                if (det < 0 || (det & 3) + (det >>> 2) > len) {
                    return badIe();
                }
                nasOffset = at + (det & 3);
                nasLength = det >>> 2;
                return true;
            }
            case S1apIe.TAI:
                // TAI ::= SEQUENCE { pLMNidentity (3 octets), tAC (2 octets), iE-Extensions OPTIONAL, ... }:
                // one preamble octet (extension and optional bits), then the octets
                if (len < 6) {
                    return badIe();
                }
                taiPlmn = Plmn.fromTbcd(buf, at + 1);
                if (taiPlmn == Digits.INVALID) {
                    badPlmn.increment();
                    return false;
                }
                tac = buf.getUnsignedShort(at + 4);
                return true;
            case S1apIe.EUTRAN_CGI:
                // EUTRAN-CGI ::= SEQUENCE { pLMNidentity, cell-ID BIT STRING (SIZE (28)), ... }: preamble,
                // PLMN, then the 28 bits in the top of four octets
                if (len < 8) {
                    return badIe();
                }
                cgiPlmn = Plmn.fromTbcd(buf, at + 1);
                if (cgiPlmn == Digits.INVALID) {
                    badPlmn.increment();
                    return false;
                }
                eci = (buf.getInt(at + 4) & 0xFFFFFFFFL) >>> 4;
                return true;
            case S1apIe.S_TMSI:
                // S-TMSI ::= SEQUENCE { mMEC OCTET STRING (SIZE (1)), m-TMSI OCTET STRING (SIZE (4)), ... }:
                // two preamble bits, the MMEC unaligned (X.691 §17.6: a fixed 1-octet string is not
                // aligned) across octets 0-1, then the M-TMSI aligned at octet 2
                if (len < 6) {
                    return badIe();
                }
                mmeCode = ((buf.getUnsignedByte(at) & 0x3F) << 2) | (buf.getUnsignedByte(at + 1) >>> 6);
                mTmsi = buf.getInt(at + 2) & 0xFFFFFFFFL;
                return true;
            default:
                return true;
        }
    }

    /**
     * UE-S1AP-IDs ::= CHOICE { uE-S1AP-ID-pair SEQUENCE { mME-UE-S1AP-ID, eNB-UE-S1AP-ID,
     * iE-Extensions OPTIONAL, ... }, mME-UE-S1AP-ID, ... } (UEContextReleaseCommand). Bits of octet 0:
     * choice extension, choice index; for the pair, sequence extension and optional bits, then the
     * 2-bit octet count of the MME id, padding, its octets; then the eNB id's 2-bit count and octets.
     */
    private boolean ueS1apIds(final ByteBuf buf, final int at, final int len) {
        if (len < 2) {
            return badIe();
        }
        final int b0 = buf.getUnsignedByte(at);
        if ((b0 & 0x80) != 0) {
            return true;                                   // an extension alternative: no ids to read
        }
        if ((b0 & 0x40) != 0) {
            // mME-UE-S1AP-ID alone: its count in bits 5-4
            final int n = ((b0 >>> 4) & 3) + 1;
            if (1 + n > len) {
                return badIe();
            }
            mmeUeId = octets(buf, at + 1, n);
            return true;
        }
        final int n = ((b0 >>> 2) & 3) + 1;
        if (1 + n + 2 > len) {
            return badIe();
        }
        mmeUeId = octets(buf, at + 1, n);
        final long enb = AperPdu.constrainedNumber(buf, at + 1 + n, len - 1 - n, 2, 3);
        if (enb < 0) {
            return badIe();
        }
        enbUeId = enb;
        return true;
    }

    /**
     * The NAS-PDU of InitialContextSetupRequest's E-RABToBeSetupListCtxtSUReq (the Attach Accept or the
     * TAU Accept rides there, with the GUTI it assigns): SEQUENCE (SIZE (1..256)) OF
     * ProtocolIE-SingleContainer; per item E-RABToBeSetupItemCtxtSUReq ::= SEQUENCE { e-RAB-ID
     * INTEGER (0..15, ...), e-RABlevelQoSParameters, transportLayerAddress BIT STRING (SIZE (1..160,
     * ...)), gTP-TEID OCTET STRING (SIZE (4)), nAS-PDU OPTIONAL, iE-Extensions OPTIONAL, ... }. The
     * first item with a NAS-PDU wins; a malformed item is counted.
     */
    private boolean eRabNasPdu(final ByteBuf buf, final int at, final int len) {
        if (len < 1) {
            return badIe();
        }
        final int count = buf.getUnsignedByte(at) + 1;
        int item = at + 1;
        final int end = at + len;
        for (int i = 0; i < count; i++) {
            // ProtocolIE-SingleContainer: id (2), criticality (1), open type
            if (item + 4 > end) {
                return badIe();
            }
            final int det = AperPdu.length(buf, item + 3, end);
            if (det < 0) {
                return badIe();
            }
            final int v = item + 3 + (det & 3);
            final int vlen = det >>> 2;
            if (v + vlen > end) {
                return badIe();
            }
            final int found = itemNasPdu(buf, v, vlen);
            if (found < 0) {
                return badIe();
            }
            if (found > 0) {
                return true;
            }
            item = v + vlen;
        }
        return true;
    }

    /** 1 when the item's NAS-PDU was found (nasOffset set), 0 when it has none, -1 when malformed. */
    private int itemNasPdu(final ByteBuf buf, final int at, final int len) {
        final AperBits b = bits.wrap(buf, at, len);
        b.bit();                                   // extension bit
        final boolean hasNas = b.bit();
        b.bit();                                   // iE-Extensions present
        if (b.bit()) {                             // e-RAB-ID extension: a value beyond 0..15
            return -1;
        }
        b.bits(4);                                 // e-RAB-ID
        b.bit();                                   // E-RABLevelQoSParameters extension bit
        final boolean gbr = b.bit();
        final boolean qosExtensions = b.bit();
        b.align();
        b.skipOctets(1);                           // qCI INTEGER (0..255): one aligned octet
        b.bit();                                   // AllocationAndRetentionPriority extension bit
        final boolean arpExtensions = b.bit();
        b.bits(4 + 1 + 1);                         // priorityLevel, pre-emption capability, vulnerability
        if (arpExtensions) {
            b.skipExtensionContainer();
        }
        if (gbr) {
            b.bit();                               // GBR-QosInformation extension bit
            final boolean gbrExtensions = b.bit();
            for (int i = 0; i < 4; i++) {
                // BitRate INTEGER (0..10000000000): 3-bit octet count - 1, then aligned octets
                final int n = (int) b.bits(3) + 1;
                b.align();
                b.skipOctets(n);
            }
            if (gbrExtensions) {
                b.skipExtensionContainer();
            }
        }
        if (qosExtensions) {
            b.skipExtensionContainer();
        }
        if (b.bit()) {                             // transportLayerAddress: extension (longer) form
            return -1;
        }
        final int tlaBits = (int) b.bits(8) + 1;   // SIZE (1..160): length - 1 in 8 bits
        if (tlaBits > 16) {
            b.align();
        }
        b.skipOctets((tlaBits + 7) >>> 3);
        b.align();
        b.skipOctets(4);                           // gTP-TEID
        if (b.overrun()) {
            return -1;
        }
        if (!hasNas) {
            return 0;
        }
        final int nasAt = b.octet();
        final int det = AperPdu.length(buf, nasAt, at + len);
        if (det < 0 || nasAt + (det & 3) + (det >>> 2) > at + len) {
            return -1;
        }
        nasOffset = nasAt + (det & 3);
        nasLength = det >>> 2;
        return 1;
    }

    private static long octets(final ByteBuf buf, final int at, final int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | buf.getUnsignedByte(at + i);
        }
        return v;
    }

    private boolean badIe() {
        badIe.increment();
        return false;
    }

    private void countPduError(final int status) {
        switch (status) {
            case AperPdu.TRUNCATED:
                truncated.increment();
                break;
            case AperPdu.BAD_CHOICE:
                badChoice.increment();
                break;
            case AperPdu.FRAGMENTED:
                fragmented.increment();
                break;
            case AperPdu.TOO_MANY_IES:
                tooManyIes.increment();
                break;
            case AperPdu.BAD_CRITICALITY:
                badCriticality.increment();
                break;
            default:
                badLength.increment();
                break;
        }
    }

    private void deliver(final PacketInfo packet, final ByteBuf buf, final MessageSink sink) {
        final int type = pdu.pduType();
        final int code = pdu.procedureCode();
        final boolean fromEnb = S1apProcedure.fromEnb(type, code);
        final long now = packet.timeNs;

        // the connection: the MME's id with the MME's endpoint, the eNB's id with the association
        final boolean directed = S1apProcedure.directed(code);
        final long mmeEndpoint = fromEnb ? packet.dstKey() : packet.srcKey();
        final long coreKey = directed && mmeUeId >= 0 ? RanUeCorrelator.coreKey(mmeUeId, mmeEndpoint) : 0;
        final long ranKey = directed && enbUeId >= 0 ? RanUeCorrelator.ranKey(enbUeId, packet.peerKey()) : 0;
        ues.now(now);
        final boolean initial = type == AperPdu.INITIATING && code == S1apProcedure.INITIAL_UE_MESSAGE;
        ues.select(coreKey, ranKey, initial, now, sink);
        if (mTmsi >= 0) {
            ues.temporaryIdentity(NasEpsMessage.gutiKey(mmeCode, (int) mTmsi), false, now);
        }

        final SignalingMessage m = message.reset();
        m.header(packet.frame, now, packet.sourceId);
        int nasType = -1;
        if (nasOffset >= 0) {
            nasStatus = nas.decode(buf, nasOffset, nasLength, fromEnb,
                (ues.flags() & RanUeCorrelator.NULL_CIPHER) != 0);
            countNas(nasStatus);
            if (nasStatus == NasEpsMessage.EMM) {
                nasType = nas.messageType();
                fillFromNas(m, now);
            }
        }
        m.message(Protocol.S1AP, code, name(type, code, nasType), type == AperPdu.INITIATING);

        boolean cellChanged = false;
        if (taiPlmn != Digits.NONE || cgiPlmn != Digits.NONE) {
            m.cellPlmn(taiPlmn != Digits.NONE ? taiPlmn : cgiPlmn);
            if (tac >= 0) {
                m.tac(tac);
            }
            if (eci >= 0) {
                m.eci(eci);
            }
            m.rat(Rat.EUTRAN);
            cellChanged = ues.cell(m.cellPlmn(), tac, eci, false);
        }

        final EventKind event = eventOf(type, code, nasType, fromEnb, cellChanged,
            nasStatus == NasEpsMessage.EMM && nas.imei() != Digits.NONE);
        m.event(event);
        ues.resolve(m);
        messages.increment();
        sink.onMessage(m);

        final SignalingMessage p = procedure.copyFrom(m);
        ues.emit(p, pendingCode(type, code, nasType), sink);
        if (type == AperPdu.SUCCESSFUL && code == S1apProcedure.UE_CONTEXT_RELEASE) {
            ues.release(sink);
        }
    }

    private void fillFromNas(final SignalingMessage m, final long now) {
        if (nas.imsi() != Digits.NONE) {
            m.imsi(nas.imsi());
        }
        if (nas.imei() != Digits.NONE) {
            m.imei(nas.imei());
        }
        if (nas.imeisv() != Digits.NONE) {
            m.imeisv(nas.imeisv());
        }
        ues.learnIdentities(nas.imsi(), nas.imei(), nas.imeisv());
        if (nas.gutiKey() != 0) {
            ues.temporaryIdentity(nas.gutiKey(), nas.gutiAssigned(), now);
        }
        if (nas.messageType() == NasEpsMessage.SECURITY_MODE_COMMAND) {
            // TS 24.301 §5.4.3: with EEA0 selected, later "ciphered" NAS of this UE is plain text
            if (nas.cipheringAlgorithm() == 0) {
                ues.addFlags(RanUeCorrelator.NULL_CIPHER);
            } else {
                ues.clearFlags(RanUeCorrelator.NULL_CIPHER);
            }
        }
    }

    private void countNas(final int status) {
        switch (status) {
            case NasEpsMessage.EMM:
                break;
            case NasEpsMessage.ESM:
                nasEsm.increment();
                break;
            case NasEpsMessage.CIPHERED:
                nasCiphered.increment();
                break;
            case NasEpsMessage.TRUNCATED:
                nasTruncated.increment();
                break;
            case NasEpsMessage.BAD_SECURITY_HEADER:
                nasBadSecurityHeader.increment();
                break;
            case NasEpsMessage.UNKNOWN_PD:
                nasUnknownPd.increment();
                break;
            case NasEpsMessage.BAD_IDENTITY:
                nasBadIdentity.increment();
                break;
            case NasEpsMessage.NESTED:
                nasNested.increment();
                break;
            default:
                nasBadIe.increment();
                break;
        }
    }

    /** DESIGN §4 touchpoints of S1AP + NAS-EPS (see the class comment). */
    static EventKind eventOf(final int type, final int code, final int nasType, final boolean fromEnb,
        final boolean cellChanged, final boolean imeiRead) {
        switch (nasType) {
            case NasEpsMessage.ATTACH_REQUEST:
                return EventKind.POWER_ON;
            case NasEpsMessage.DETACH_REQUEST:
                return EventKind.POWER_OFF;
            case NasEpsMessage.TAU_REQUEST:
            case NasEpsMessage.SERVICE_REQUEST:
            case NasEpsMessage.EXTENDED_SERVICE_REQUEST:
                return EventKind.LOCATION_UPDATE;
            default:
                break;
        }
        if (type == AperPdu.INITIATING) {
            switch (code) {
                case S1apProcedure.INITIAL_UE_MESSAGE:
                case S1apProcedure.LOCATION_REPORT:
                case S1apProcedure.PATH_SWITCH_REQUEST:
                case S1apProcedure.HANDOVER_NOTIFICATION:
                    return EventKind.LOCATION_UPDATE;
                default:
                    break;
            }
        }
        if (imeiRead) {
            return EventKind.HANDSET_REPORTED;             // Identity Response, Security Mode Complete
        }
        return fromEnb && cellChanged ? EventKind.LOCATION_UPDATE : EventKind.NONE;
    }

    private static int pendingCode(final int type, final int code, final int nasType) {
        return type << 17 | code << 9 | (nasType & 0x1FF);
    }

    private void nameDeferred(final SignalingMessage p, final int pending) {
        final int type = pending >>> 17;
        final int code = (pending >>> 9) & 0xFF;
        final int nasType = pending & 0x1FF;
        p.message(Protocol.S1AP, code, name(type, code, nasType == 0x1FF ? -1 : nasType), type == AperPdu.INITIATING);
    }

    static String name(final int type, final int code, final int nasType) {
        if (nasType >= 0 && type == AperPdu.INITIATING && WITH_NAS[code] != null && WITH_NAS[code][nasType] != null) {
            return WITH_NAS[code][nasType];
        }
        return S1apProcedure.name(type, code);
    }

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        ues.sweep(nowNs);
    }

    @Override
    public void flush(final MessageSink sink) {
        ues.flush(sink);
    }
}
