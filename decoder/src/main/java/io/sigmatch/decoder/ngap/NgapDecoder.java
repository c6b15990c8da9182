package io.sigmatch.decoder.ngap;

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
import io.sigmatch.decoder.nas.Nas5gsMessage;
import io.sigmatch.decoder.s1ap.AperBits;
import io.sigmatch.decoder.s1ap.AperPdu;
import io.sigmatch.decoder.s1ap.RanUeCorrelator;
import io.sigmatch.decoder.s1ap.S1apConfig;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * NGAP (TS 38.413) decoder for one decoding thread, fed the SCTP user messages of PPID 60. The same
 * design as {@link io.sigmatch.decoder.s1ap.S1apDecoder}: the shared aligned-PER skeleton
 * ({@link AperPdu}), the UE ids (AMF-UE-NGAP-ID with the AMF's endpoint, RAN-UE-NGAP-ID with the
 * association), the UserLocationInformation (NR-CGI or E-UTRA CGI, and the TAI), and the 5G NAS of the
 * NAS-PDU ({@link Nas5gsMessage}). Touchpoints (DESIGN §4) go to {@link MessageSink#onProcedure} with
 * the subscriber filled in by {@link RanUeCorrelator}:
 *
 * <ul>
 *   <li>Registration Request: POWER_ON for an initial or emergency registration, LOCATION_UPDATE for a
 *       mobility or periodic one; Deregistration Request: POWER_OFF; Service Request, any other
 *       InitialUEMessage, LocationReport, PathSwitchRequest, HandoverNotify: LOCATION_UPDATE; an uplink
 *       message from a new cell: LOCATION_UPDATE; an Identity Response or Security Mode Complete with an
 *       IMEI(SV): HANDSET_REPORTED.</li>
 * </ul>
 *
 * A SUCI whose protection scheme is not null is counted as {@code decode.ngap.nas.suci_concealed} and
 * yields no identity; the subscriber may still be resolved through the 5G-S-TMSI or the connection.
 */
public final class NgapDecoder implements PayloadDecoder {
    public static final String MESSAGES = "decode.ngap.messages";
    public static final String ERROR = "decode.ngap.error.";
    public static final String NAS = "decode.ngap.nas.";
    public static final String NAS_ERROR = "decode.ngap.nas.error.";
    public static final String CORRELATE = "correlate.ngap.";

    public static final String TRUNCATED = "truncated";
    public static final String BAD_CHOICE = "bad_choice";
    public static final String FRAGMENTED = "fragmented";
    public static final String BAD_LENGTH = "bad_length";
    public static final String TOO_MANY_IES = "too_many_ies";
    public static final String BAD_CRITICALITY = "bad_criticality";
    public static final String BAD_IE = "bad_ie";
    public static final String BAD_PLMN = "bad_plmn";
    public static final String CIPHERED = "ciphered";
    public static final String SM = "5gsm";
    public static final String SUCI_CONCEALED = "suci_concealed";
    public static final String BAD_SECURITY_HEADER = "bad_security_header";
    public static final String UNKNOWN_EPD = "unknown_epd";
    public static final String BAD_IDENTITY = "bad_identity";
    public static final String NESTED = "nested";

    /** TS 24.501 §9.11.3.7: 5GS registration type values. */
    private static final int REGISTRATION_INITIAL = 1;
    private static final int REGISTRATION_EMERGENCY = 4;

    private static final int[] NAS_CARRIERS = {
        NgapProcedure.DOWNLINK_NAS_TRANSPORT, NgapProcedure.INITIAL_CONTEXT_SETUP, NgapProcedure.INITIAL_UE_MESSAGE,
        NgapProcedure.UPLINK_NAS_TRANSPORT, 19, 36};
    private static final String[][] WITH_NAS = new String[256][];

    static {
        for (final int code : NAS_CARRIERS) {
            WITH_NAS[code] = new String[256];
            for (int t = 0; t < 256; t++) {
                final String nas = Nas5gsMessage.name(t);
                if (nas != null) {
                    WITH_NAS[code][t] = NgapProcedure.name(AperPdu.INITIATING, code) + " (" + nas + ")";
                }
            }
        }
    }

    private final S1apConfig config;
    private final AperPdu pdu = new AperPdu();
    private final AperBits bits = new AperBits();
    private final Nas5gsMessage nas = new Nas5gsMessage();
    private final RanUeCorrelator ues;
    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();

    private long amfUeId;
    private long ranUeId;
    private int nasOffset;
    private int nasLength;
    private int nasStatus;
    private long cellPlmn;
    private long taiPlmn;
    private int tac;
    private long cellId;
    private boolean nrCell;
    private long sTmsiKey;
    private int registrationType;

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
    private final AtomicCounter nasSm;
    private final AtomicCounter suciConcealed;
    private final AtomicCounter nasTruncated;
    private final AtomicCounter nasBadSecurityHeader;
    private final AtomicCounter nasUnknownEpd;
    private final AtomicCounter nasBadIdentity;
    private final AtomicCounter nasBadIe;
    private final AtomicCounter nasNested;

    public NgapDecoder(final Counters counters, final S1apConfig config) {
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
        nasSm = counters.counter(NAS + SM);
        suciConcealed = counters.counter(NAS + SUCI_CONCEALED);
        nasTruncated = counters.counter(NAS_ERROR + TRUNCATED);
        nasBadSecurityHeader = counters.counter(NAS_ERROR + BAD_SECURITY_HEADER);
        nasUnknownEpd = counters.counter(NAS_ERROR + UNKNOWN_EPD);
        nasBadIdentity = counters.counter(NAS_ERROR + BAD_IDENTITY);
        nasBadIe = counters.counter(NAS_ERROR + BAD_IE);
        nasNested = counters.counter(NAS_ERROR + NESTED);
    }

    // ---- views of the message being delivered (valid during the sink callback) -------------------

    public int pduType() {
        return pdu.pduType();
    }

    /** AMF-UE-NGAP-ID (or SourceAMF-UE-NGAP-ID), -1 when absent. */
    public long amfUeId() {
        return amfUeId;
    }

    public long ranUeId() {
        return ranUeId;
    }

    public Nas5gsMessage nas() {
        return nas;
    }

    /** {@link Nas5gsMessage} status, {@link Integer#MIN_VALUE} when the message has no NAS-PDU. */
    public int nasStatus() {
        return nasStatus;
    }

    /** The FiveG-S-TMSI IE's 5G-TMSI, -1 when absent. */
    public long sTmsi() {
        return sTmsiKey == 0 ? -1 : sTmsiKey & 0xFFFFFFFFL;
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
        amfUeId = -1;
        ranUeId = -1;
        nasOffset = -1;
        nasLength = 0;
        nasStatus = Integer.MIN_VALUE;
        cellPlmn = Digits.NONE;
        taiPlmn = Digits.NONE;
        tac = -1;
        cellId = -1;
        nrCell = false;
        sTmsiKey = 0;
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

    private boolean readIe(final ByteBuf buf, final int id, final int at, final int len) {
        switch (id) {
            case NgapIe.AMF_UE_NGAP_ID:
            case NgapIe.SOURCE_AMF_UE_NGAP_ID:
                // AMF-UE-NGAP-ID ::= INTEGER (0..1099511627775): 3-bit octet count, 1..5 octets
                amfUeId = AperPdu.constrainedNumber(buf, at, len, 3, 5);
                return amfUeId >= 0 || badIe();
            case NgapIe.RAN_UE_NGAP_ID:
                // RAN-UE-NGAP-ID ::= INTEGER (0..4294967295)
                ranUeId = AperPdu.constrainedNumber(buf, at, len, 2, 4);
                return ranUeId >= 0 || badIe();
            case NgapIe.UE_NGAP_IDS:
                return ueNgapIds(buf, at, len);
            case NgapIe.NAS_PDU: {
                final int det = AperPdu.length(buf, at, at + len);
                if (det < 0 || (det & 3) + (det >>> 2) > len) {
                    return badIe();
                }
                nasOffset = at + (det & 3);
                nasLength = det >>> 2;
                return true;
            }
            case NgapIe.USER_LOCATION_INFORMATION:
                return userLocation(buf, at, len);
            case NgapIe.FIVE_G_S_TMSI: {
                // FiveG-S-TMSI ::= SEQUENCE { aMFSetID BIT STRING (SIZE (10)), aMFPointer BIT STRING
                // (SIZE (6)), fiveG-TMSI OCTET STRING (SIZE (4)), iE-Extensions OPTIONAL, ... }: two
                // preamble bits, the 16 unaligned bits, then the 5G-TMSI aligned at octet 3
                final AperBits b = bits.wrap(buf, at, len);
                b.bits(2);
                final int setAndPointer = (int) b.bits(16);
                b.align();
                if (b.remainingOctets() < 4) {
                    return badIe();
                }
                sTmsiKey = Nas5gsMessage.tmsiKey(setAndPointer, buf.getInt(b.octet()));
                return true;
            }
            default:
                return true;
        }
    }

    /**
     * UE-NGAP-IDs ::= CHOICE { uE-NGAP-ID-pair SEQUENCE { aMF-UE-NGAP-ID, rAN-UE-NGAP-ID,
     * iE-Extensions OPTIONAL, ... }, aMF-UE-NGAP-ID, choice-Extensions }: a 2-bit index (no
     * extension marker), then the pair's preamble bits and the ids' count bit-fields and octets.
     */
    private boolean ueNgapIds(final ByteBuf buf, final int at, final int len) {
        final AperBits b = bits.wrap(buf, at, len);
        final int choice = (int) b.bits(2);
        if (choice == 0) {
            b.bits(2);                                     // extension bit, iE-Extensions present
        } else if (choice != 1) {
            return true;                                   // choice-Extensions: no ids sigmatch reads
        }
        final int n = (int) b.bits(3) + 1;
        b.align();
        if (b.overrun() || n > 5 || b.remainingOctets() < n) {
            return badIe();
        }
        long amf = 0;
        for (int i = 0; i < n; i++) {
            amf = amf << 8 | b.bits(8);
        }
        amfUeId = amf;
        if (choice == 1) {
            return true;
        }
        final int m = (int) b.bits(2) + 1;
        b.align();
        if (b.overrun() || b.remainingOctets() < m) {
            return badIe();
        }
        long ran = 0;
        for (int i = 0; i < m; i++) {
            ran = ran << 8 | b.bits(8);
        }
        ranUeId = ran;
        return true;
    }

    /**
     * UserLocationInformation ::= CHOICE { userLocationInformationEUTRA, userLocationInformationNR,
     * userLocationInformationN3IWF, choice-Extensions }; EUTRA and NR are SEQUENCE { cgi, tAI,
     * timeStamp OPTIONAL, iE-Extensions OPTIONAL, ... } (NR also lastKnown... in extensions). NR-CGI
     * carries nRCellIdentity BIT STRING (SIZE (36)), EUTRA-CGI eUTRACellIdentity (SIZE (28)); the TAI
     * a 3-octet TAC.
     */
    private boolean userLocation(final ByteBuf buf, final int at, final int len) {
        final AperBits b = bits.wrap(buf, at, len);
        final int choice = (int) b.bits(2);
        if (choice > 1) {
            return true;                                   // N3IWF or an extension: no cell
        }
        b.bits(3);                                         // extension bit, timeStamp and iE-Extensions present
        b.bit();                                           // CGI extension bit
        final boolean cgiExtensions = b.bit();
        b.align();
        if (b.remainingOctets() < 3) {
            return badIe();
        }
        final long plmn = Plmn.fromTbcd(buf, b.octet());
        b.skipOctets(3);
        // the cell identity is exactly 36 (NR) or 28 (E-UTRA) bits, aligned at its start but not padded
        // after: the TAI's preamble bits follow in the same octet
        final long cell = choice == 1 ? b.bits(4) << 32 | b.bits(32) : b.bits(28);
        if (cgiExtensions) {
            b.skipExtensionContainer();
        }
        b.bits(2);                                         // TAI extension bit, iE-Extensions present
        b.align();
        if (b.overrun() || b.remainingOctets() < 6) {
            return badIe();
        }
        final long tPlmn = Plmn.fromTbcd(buf, b.octet());
        if (plmn == Digits.INVALID || tPlmn == Digits.INVALID) {
            badPlmn.increment();
            return false;
        }
        cellPlmn = plmn;
        taiPlmn = tPlmn;
        cellId = cell;
        nrCell = choice == 1;
        tac = buf.getUnsignedMedium(b.octet() + 3);
        return true;
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
        final boolean fromRan = NgapProcedure.fromRan(type, code);
        final long now = packet.timeNs;
        final boolean directed = NgapProcedure.directed(code);
        final long amfEndpoint = fromRan ? packet.dstKey() : packet.srcKey();
        final long coreKey = directed && amfUeId >= 0 ? RanUeCorrelator.coreKey(amfUeId, amfEndpoint) : 0;
        final long ranKey = directed && ranUeId >= 0 ? RanUeCorrelator.ranKey(ranUeId, packet.peerKey()) : 0;
        ues.now(now);
        final boolean initial = type == AperPdu.INITIATING && code == NgapProcedure.INITIAL_UE_MESSAGE;
        ues.select(coreKey, ranKey, initial, now, sink);
        if (sTmsiKey != 0) {
            ues.temporaryIdentity(sTmsiKey, false, now);
        }

        final SignalingMessage m = message.reset();
        m.header(packet.frame, now, packet.sourceId);
        int nasType = -1;
        registrationType = -1;
        if (nasOffset >= 0) {
            nasStatus = nas.decode(buf, nasOffset, nasLength, (ues.flags() & RanUeCorrelator.NULL_CIPHER) != 0);
            countNas(nasStatus);
            if (nasStatus == Nas5gsMessage.MM) {
                nasType = nas.messageType();
                fillFromNas(m, buf, now);
            }
        }
        m.message(Protocol.NGAP, code, name(type, code, nasType), type == AperPdu.INITIATING);

        boolean cellChanged = false;
        if (cellId >= 0) {
            m.cellPlmn(taiPlmn).tac(tac);
            if (nrCell) {
                m.nci(cellId).rat(Rat.NR);
            } else {
                m.eci(cellId).rat(Rat.EUTRAN);
            }
            cellChanged = ues.cell(taiPlmn, tac, cellId, nrCell);
        }
        m.event(eventOf(type, code, nasType, registrationType, fromRan, cellChanged,
            nasStatus == Nas5gsMessage.MM && nas.imei() != Digits.NONE));
        ues.resolve(m);
        messages.increment();
        sink.onMessage(m);

        final SignalingMessage p = procedure.copyFrom(m);
        ues.emit(p, type << 17 | code << 9 | (nasType & 0x1FF), sink);
        if (type == AperPdu.SUCCESSFUL && code == NgapProcedure.UE_CONTEXT_RELEASE) {
            ues.release(sink);
        }
    }

    private void fillFromNas(final SignalingMessage m, final ByteBuf buf, final long now) {
        if (nas.suciConcealed()) {
            suciConcealed.increment();
        }
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
        if (nas.tmsiKey() != 0) {
            ues.temporaryIdentity(nas.tmsiKey(), nas.tmsiAssigned(), now);
        }
        if (nas.messageType() == Nas5gsMessage.REGISTRATION_REQUEST) {
            // §9.11.3.7: 5GS registration type in the low 3 bits of the octet after the message type
            registrationType = buf.getUnsignedByte(nasInnerTypeOffset() + 1) & 0x07;
        }
        if (nas.messageType() == Nas5gsMessage.SECURITY_MODE_COMMAND) {
            // TS 24.501 §5.4.2: NEA0 selected: later "ciphered" 5G NAS of this UE is plain text
            if (nas.cipheringAlgorithm() == 0) {
                ues.addFlags(RanUeCorrelator.NULL_CIPHER);
            } else {
                ues.clearFlags(RanUeCorrelator.NULL_CIPHER);
            }
        }
    }

    /** Offset of the plain message's type octet within the NAS-PDU (7 more when security protected). */
    private int nasInnerTypeOffset() {
        return nasOffset + (nas.securityHeader() == 0 ? 2 : 9);
    }

    private void countNas(final int status) {
        switch (status) {
            case Nas5gsMessage.MM:
                break;
            case Nas5gsMessage.SM:
                nasSm.increment();
                break;
            case Nas5gsMessage.CIPHERED:
                nasCiphered.increment();
                break;
            case Nas5gsMessage.TRUNCATED:
                nasTruncated.increment();
                break;
            case Nas5gsMessage.BAD_SECURITY_HEADER:
                nasBadSecurityHeader.increment();
                break;
            case Nas5gsMessage.UNKNOWN_EPD:
                nasUnknownEpd.increment();
                break;
            case Nas5gsMessage.BAD_IDENTITY:
                nasBadIdentity.increment();
                break;
            case Nas5gsMessage.NESTED:
                nasNested.increment();
                break;
            default:
                nasBadIe.increment();
                break;
        }
    }

    static EventKind eventOf(final int type, final int code, final int nasType, final int registrationType,
        final boolean fromRan, final boolean cellChanged, final boolean imeiRead) {
        switch (nasType) {
            case Nas5gsMessage.REGISTRATION_REQUEST:
                return registrationType == REGISTRATION_INITIAL || registrationType == REGISTRATION_EMERGENCY
                    ? EventKind.POWER_ON : EventKind.LOCATION_UPDATE;
            case Nas5gsMessage.DEREGISTRATION_REQUEST_UE_ORIGINATING:
            case Nas5gsMessage.DEREGISTRATION_REQUEST_UE_TERMINATED:
                return EventKind.POWER_OFF;
            case Nas5gsMessage.SERVICE_REQUEST:
                return EventKind.LOCATION_UPDATE;
            default:
                break;
        }
        if (type == AperPdu.INITIATING) {
            switch (code) {
                case NgapProcedure.INITIAL_UE_MESSAGE:
                case NgapProcedure.LOCATION_REPORT:
                case NgapProcedure.PATH_SWITCH_REQUEST:
                case NgapProcedure.HANDOVER_NOTIFICATION:
                    return EventKind.LOCATION_UPDATE;
                default:
                    break;
            }
        }
        if (imeiRead) {
            return EventKind.HANDSET_REPORTED;
        }
        return fromRan && cellChanged ? EventKind.LOCATION_UPDATE : EventKind.NONE;
    }

    private void nameDeferred(final SignalingMessage p, final int pending) {
        final int type = pending >>> 17;
        final int code = (pending >>> 9) & 0xFF;
        final int nasType = pending & 0x1FF;
        p.message(Protocol.NGAP, code, name(type, code, nasType == 0x1FF ? -1 : nasType), type == AperPdu.INITIATING);
    }

    static String name(final int type, final int code, final int nasType) {
        if (nasType >= 0 && nasType < 256 && type == AperPdu.INITIATING && WITH_NAS[code] != null
            && WITH_NAS[code][nasType] != null) {
            return WITH_NAS[code][nasType];
        }
        return NgapProcedure.name(type, code);
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
