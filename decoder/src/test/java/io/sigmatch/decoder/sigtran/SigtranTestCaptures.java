package io.sigmatch.decoder.sigtran;

import static io.sigmatch.decoder.sigtran.SigtranBytes.*;

import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures the SIGTRAN differential test writes itself, for what the public corpus lacks (it holds
 * no SRI, MO/MT-ForwardSM, RegisterSS/ActivateSS, CheckIMEI or PurgeMS, MANIFEST.md): each MAP
 * operation sigmatch reads with its answer, in the dialogues real networks run them in (an
 * UpdateLocation with the HLR's InsertSubscriberData in between, an SRI-SM then an MT-ForwardSM),
 * CAP InitialDP calls, M3UA management, XUDT segmentation, LUDT, indefinite BER lengths, MAP v2
 * forwardSM in both directions, a ReturnError and an Abort. Built from code, the same bytes every run.
 */
final class SigtranTestCaptures {
    static final String IMSI = "460001234567890";
    static final String MSISDN = "8613800138000";
    static final String VLR = "8613900000001";
    static final String FOREIGN_VLR = "447700900123";
    static final String HLR = "8613900000100";
    static final String SMSC = "8613800100500";
    static final String SCF = "8613900000300";
    static final String IMEI = "35693803564380"; // TAC + SNR
    static final String IMEI_15 = IMEI + "9";     // with the check digit (TS 23.003 6.2.1)
    static final String ROAMER_IMSI = "234150000000001";
    static final byte[] CGI = bytes(0x64, 0xF0, 0x00, 0x12, 0x34, 0x56, 0x78); // 460-00, LAC 0x1234, CI 0x5678
    static final byte[] LAI = bytes(0x64, 0xF0, 0x00, 0x43, 0x21);             // 460-00, LAC 0x4321
    static final int SSN_HLR = 6;
    static final int SSN_VLR = 7;
    static final int SSN_MSC = 8;
    static final int SSN_EIR = 9;
    static final int SSN_SGSN = 149;
    static final int SSN_SCF = 146;
    private static final long T0 = 1_760_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private SigtranTestCaptures() {
    }

    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("map-mobility.pcap", mobility());
        out.put("map-sms.pcap", sms());
        out.put("map-ss-imei-location.pcap", supplementaryImeiLocation());
        out.put("cap-idp.pcap", cap());
        out.put("m3ua-mgmt.pcap", management());
        return out;
    }

    /** One SCTP association between a node and the STP: M3UA user messages go out in DATA chunks. */
    static final class Flow {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, 1);
        long time = T0;
        int tsnA = 1000;
        int tsnB = 5000;

        /** From side A (10.0.0.1) or B (10.0.0.2), each M3UA message in its own DATA chunk of one packet. */
        Flow send(final boolean fromA, final byte[]... m3ua) {
            final byte[][] chunks = new byte[m3ua.length][];
            for (int i = 0; i < m3ua.length; i++) {
                chunks[i] = dataChunk(fromA ? tsnA++ : tsnB++, 1, m3ua[i]);
            }
            final byte[] sctp = fromA ? sctp(2905, 2905, 0x0A0B0C0DL, chunks) : sctp(2905, 2905, 0x01020304L, chunks);
            final byte[] ip = fromA ? Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP, sctp)
                : Packets.ipv4("10.0.0.2", "10.0.0.1", Packets.PROTO_SCTP, sctp);
            time += 7 * MS;
            w.packet(time, Packets.ethernet(Packets.ETHERTYPE_IPV4, ip));
            return this;
        }

        byte[] bytes() {
            return w.toByteArray();
        }
    }

    /** M3UA DATA carrying a UDT between two GT addresses. */
    static byte[] udtMessage(final int calledSsn, final String calledGt, final int callingSsn, final String callingGt,
        final byte[] tcap) {
        return m3uaData(7, 100, 200, udt(gt(calledSsn, calledGt), gt(callingSsn, callingGt), tcap));
    }

    static byte[] cgiChoice() {
        return ctxC(3, ctx(0, CGI));
    }

    // ---- captures ------------------------------------------------------------------------------

    private static byte[] mobility() {
        final Flow f = new Flow();
        final byte[] acnUl = mapAcn(AC_NETWORK_LOC_UP, 3);
        // UpdateLocation (VLR -> HLR): imsi, msc-Number [1], vlr-Number
        final byte[] ul = invoke(1, 2, sequence(octets(tbcd(IMSI)), ctx(1, isdn(VLR)), octets(isdn(VLR))));
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x11000001, dialogueRequest(acnUl, new byte[0]), ul)));
        // InsertSubscriberData (HLR -> VLR, Continue): msisdn [1], category [2]
        final byte[] isd = invoke(2, 7, sequence(ctx(1, isdn(MSISDN)), ctx(2, bytes(0x0A))));
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR,
            continueMessage(0x22000001, 0x11000001, dialogueResponse(acnUl), isd)));
        // the VLR acknowledges (Continue to the HLR's id), the HLR ends with the UpdateLocation result
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR,
            continueMessage(0x11000001, 0x22000001, new byte[0], resultLastEmpty(2))));
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR,
            end(0x11000001, new byte[0], resultLast(1, 2, sequence(octets(isdn(HLR)))))));

        // roaming: our subscriber registers in a foreign VLR (definite lengths in long form)
        final byte[] ulAbroad = invoke(1, 2, sequence(octets(tbcd(IMSI)), ctx(1, isdn(FOREIGN_VLR)),
            octets(isdn(FOREIGN_VLR))));
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, FOREIGN_VLR,
            begin(0x11000002, dialogueRequest(acnUl, new byte[0]), ulAbroad)));
        // ... and the HLR refuses it: ReturnError unknownSubscriber (1)
        f.send(false, udtMessage(SSN_VLR, FOREIGN_VLR, SSN_HLR, HLR,
            end(0x11000002, dialogueResponse(acnUl), returnError(1, 1))));

        // UpdateGprsLocation (SGSN -> HLR): imsi, sgsn-Number, sgsn-Address
        final byte[] acnGprs = mapAcn(AC_GPRS_LOCATION_UPDATE, 3);
        final byte[] ugl = invoke(1, 23, sequence(octets(tbcd(ROAMER_IMSI)), octets(isdn("8613900000200")),
            octets(bytes(0x04, 10, 0, 0, 9))));
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_SGSN, "8613900000200",
            begin(0x11000003, dialogueRequest(acnGprs, new byte[0]), ugl)));
        f.send(false, udtMessage(SSN_SGSN, "8613900000200", SSN_HLR, HLR,
            end(0x11000003, dialogueResponse(acnGprs), resultLast(1, 23, sequence(octets(isdn(HLR)))))));

        // PurgeMS (VLR -> HLR): [3] SEQUENCE { imsi, vlr-Number [0] }
        final byte[] acnPurge = mapAcn(AC_MS_PURGING, 3);
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x11000004, dialogueRequest(acnPurge, new byte[0]),
            invoke(1, 67, ctxC(3, octets(tbcd(IMSI)), ctx(0, isdn(VLR)))))));
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR,
            end(0x11000004, dialogueResponse(acnPurge), resultLastEmpty(1))));

        // CancelLocation (HLR -> VLR): [3] SEQUENCE { identity imsi, cancellationType ENUMERATED updateProcedure }
        final byte[] acnCancel = mapAcn(AC_LOCATION_CANCELLATION, 3);
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, begin(0x22000005, dialogueRequest(acnCancel, new byte[0]),
            invoke(1, 3, ctxC(3, octets(tbcd(IMSI)), tlv(0, false, 10, bytes(0)))))));
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR,
            end(0x22000005, dialogueResponse(acnCancel), resultLastEmpty(1))));

        // SendAuthenticationInfo v3 (VLR -> HLR): imsi [0], numberOfRequestedVectors
        final byte[] acnAuth = mapAcn(14, 3);
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x11000006, dialogueRequest(acnAuth, new byte[0]),
            invoke(1, 56, sequence(ctx(0, tbcd(IMSI)), integer(2))))));
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR,
            end(0x11000006, dialogueResponse(acnAuth), resultLast(1, 56, ctxC(3)))));
        return f.bytes();
    }

    private static byte[] sms() {
        final Flow f = new Flow();
        // SendRoutingInfoForSM (SMSC's gateway -> HLR): msisdn [0], sm-RP-PRI [1], serviceCentreAddress [2]
        final byte[] acnGw = mapAcn(AC_SHORT_MSG_GATEWAY, 3);
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_MSC, SMSC, begin(0x33000001, dialogueRequest(acnGw, new byte[0]),
            invoke(1, 45, sequence(ctx(0, isdn(MSISDN)), ctx(1, bytes(0xFF)), ctx(2, isdn(SMSC)))))));
        // result: imsi, locationInfoWithLMSI [0] { networkNode-Number [1] }
        f.send(false, udtMessage(SSN_MSC, SMSC, SSN_HLR, HLR, end(0x33000001, dialogueResponse(acnGw),
            resultLast(1, 45, sequence(octets(tbcd(IMSI)), ctxC(0, ctx(1, isdn(VLR))))))));

        // MT-ForwardSM v3, too long for one UDT: XUDT in three segments, BER indefinite lengths
        final byte[] acnMt = mapAcn(AC_SHORT_MSG_MT_RELAY, 3);
        final byte[] longUserData = smsDeliver(140);
        final byte[] mtArg = tlvIndefinite(0, true, 16, ctx(0, tbcd(IMSI)), ctx(4, isdn(SMSC)), octets(longUserData));
        final byte[] mt = tlvIndefinite(1, true, 2, otid(0x33000002), dialogueRequest(acnMt, new byte[0]),
            tlvIndefinite(1, true, 12, tlvIndefinite(2, true, 1, integer(1), integer(44), mtArg)));
        final List<byte[]> segments = xudtSegments(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), mt, 90, 0x0A0B0C);
        final List<byte[]> m3ua = new ArrayList<>();
        for (final byte[] s : segments) {
            m3ua.add(m3uaData(7, 400, 100, s));
        }
        f.send(true, m3ua.get(0));
        f.send(true, m3ua.get(1), m3ua.get(2)); // the last two segments bundled in one SCTP packet
        f.send(false, udtMessage(SSN_MSC, SMSC, SSN_MSC, VLR, end(0x33000002, dialogueResponse(acnMt), resultLastEmpty(1))));

        // MO-ForwardSM v3 (MSC -> SMSC): sm-RP-DA serviceCentreAddressDA [4], sm-RP-OA msisdn [2], sm-RP-UI, imsi
        final byte[] acnMo = mapAcn(AC_SHORT_MSG_MO_RELAY, 3);
        f.send(true, udtMessage(SSN_MSC, SMSC, SSN_MSC, VLR, begin(0x33000003, dialogueRequest(acnMo, new byte[0]),
            invoke(1, 46, sequence(ctx(4, isdn(SMSC)), ctx(2, isdn(MSISDN)), octets(smsSubmit()),
                octets(tbcd(IMSI)))))));
        // ... the SMSC aborts the dialogue (P-Abort resourceLimitation 4)
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_MSC, SMSC, abort(0x33000003, 4)));

        // MAP v2 forwardSM (opcode 46) in the MT direction: shortMsgMT-RelayContext-v2 (25.2), DA = IMSI
        final byte[] acnMt2 = mapAcn(AC_SHORT_MSG_MT_RELAY, 2);
        f.send(true, udtMessage(SSN_MSC, VLR, SSN_MSC, SMSC, begin(0x33000004, dialogueRequest(acnMt2, new byte[0]),
            invoke(1, 46, sequence(ctx(0, tbcd(ROAMER_IMSI)), ctx(4, isdn(SMSC)), octets(smsDeliver(4)))))));
        f.send(false, udtMessage(SSN_MSC, SMSC, SSN_MSC, VLR, end(0x33000004, dialogueResponse(acnMt2), resultLastEmpty(1))));
        // ... and in the MO direction (shortMsgRelayContext-v2 21.2): DA = service centre, OA = msisdn
        final byte[] acnMo2 = mapAcn(AC_SHORT_MSG_MO_RELAY, 2);
        f.send(true, udtMessage(SSN_MSC, SMSC, SSN_MSC, VLR, begin(0x33000005, dialogueRequest(acnMo2, new byte[0]),
            invoke(1, 46, sequence(ctx(4, isdn(SMSC)), ctx(2, isdnNational("13800138001")), octets(smsSubmit()))))));
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_MSC, SMSC, end(0x33000005, dialogueResponse(acnMo2), resultLastEmpty(1))));
        return f.bytes();
    }

    private static byte[] supplementaryImeiLocation() {
        final Flow f = new Flow();
        final byte[] acnSs = mapAcn(AC_NETWORK_FUNCTIONAL_SS, 2);
        // RegisterSS CFU (VLR -> HLR): the IMSI travels in MAP-OpenInfo's destinationReference
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x44000001,
            dialogueRequest(acnSs, mapOpenDestinationImsi(IMSI)),
            invoke(1, 10, sequence(octets(bytes(0x21)), ctx(4, isdn("8613700000009")))))));
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, end(0x44000001, dialogueResponse(acnSs),
            resultLast(1, 10, ctxC(0, octets(bytes(0x21)))))));
        // ActivateSS CFB, EraseSS CFNRY, DeactivateSS CFNRC: SS-ForBS-Code { ss-Code }
        int tid = 0x44000002;
        for (final int[] op : new int[][] {{12, 0x29}, {11, 0x2A}, {13, 0x2B}}) {
            f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(tid,
                dialogueRequest(acnSs, mapOpenDestinationImsi(IMSI)), invoke(1, op[0], sequence(octets(bytes(op[1])))))));
            f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, end(tid, dialogueResponse(acnSs), resultLastEmpty(1))));
            tid++;
        }
        // CheckIMEI v3 (MSC -> EIR): imei, requestedEquipmentInfo BIT STRING; result equipmentStatus
        final byte[] acnEir = mapAcn(AC_EQUIPMENT_MNGT, 3);
        f.send(true, udtMessage(SSN_EIR, "8613900000900", SSN_MSC, VLR, begin(0x44000010,
            dialogueRequest(acnEir, new byte[0]), invoke(1, 43, sequence(octets(tbcd(IMEI_15)),
                tlv(0, false, 3, bytes(0x06, 0x80)))))));
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_EIR, "8613900000900", end(0x44000010, dialogueResponse(acnEir),
            resultLast(1, 43, sequence(tlv(0, false, 10, bytes(0)))))));
        // AnyTimeInterrogation (gsmSCF -> HLR) by MSISDN; the result's location: vlr-number, CGI
        final byte[] acnAti = mapAcn(AC_ANY_TIME_INFO_ENQUIRY, 3);
        f.send(true, udtMessage(SSN_HLR, HLR, 147, SCF, begin(0x44000011, dialogueRequest(acnAti, new byte[0]),
            invoke(1, 71, sequence(ctxC(0, ctx(1, isdn(MSISDN))), ctxC(1, ctx(0, new byte[0])), ctx(3, isdn(SCF)))))));
        f.send(false, udtMessage(147, SCF, SSN_HLR, HLR, end(0x44000011, dialogueResponse(acnAti),
            resultLast(1, 71, sequence(sequence(ctxC(0, integer(3), ctx(1, isdn(VLR)), cgiChoice())))))));
        // ProvideSubscriberInfo (HLR -> VLR) by IMSI; the result's location is a LAI only
        final byte[] acnPsi = mapAcn(AC_SUBSCRIBER_INFO_ENQUIRY, 3);
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, begin(0x55000012, dialogueRequest(acnPsi, new byte[0]),
            invoke(1, 70, sequence(ctx(0, tbcd(IMSI)), ctxC(2, ctx(0, new byte[0])))))));
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, end(0x55000012, dialogueResponse(acnPsi),
            resultLast(1, 70, sequence(sequence(ctxC(0, integer(0), ctxC(3, ctx(1, LAI)))))))));
        // NoteMM-Event (VLR -> gsmSCF): serviceKey, eventMet imsi-Attach, imsi [1], msisdn [2], locationInformation [3]
        final byte[] acnMm = mapAcn(AC_MM_EVENT_REPORTING, 3);
        f.send(true, udtMessage(147, SCF, SSN_VLR, VLR, begin(0x44000013, dialogueRequest(acnMm, new byte[0]),
            invoke(1, 89, sequence(integer(7), ctx(0, bytes(0x02)), ctx(1, tbcd(IMSI)), ctx(2, isdn(MSISDN)),
                ctxC(3, integer(0), cgiChoice()))))));
        f.send(false, udtMessage(SSN_VLR, VLR, 147, SCF, end(0x44000013, dialogueResponse(acnMm), resultLastEmpty(1))));
        // SendRoutingInfo (GMSC -> HLR) by MSISDN, in an LUDT; the result names the IMSI [9]
        final byte[] acnSri = mapAcn(AC_LOCATION_INFO_RETRIEVAL, 3);
        f.send(true, m3uaData(7, 100, 200, ludt(gt(SSN_HLR, HLR), gt(SSN_MSC, VLR), begin(0x44000014,
            dialogueRequest(acnSri, new byte[0]), invoke(1, 22, sequence(ctx(0, isdn(MSISDN)), ctx(3, bytes(0)),
                ctx(6, isdn(VLR))))))));
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_HLR, HLR, end(0x44000014, dialogueResponse(acnSri),
            resultLast(1, 22, ctxC(3, ctx(9, tbcd(IMSI)))))));
        // InsertSubscriberData on its own (HLR -> VLR) carrying imsi [0] and msisdn [1]
        final byte[] acnIsd = mapAcn(16, 3);
        f.send(false, udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, begin(0x55000015, dialogueRequest(acnIsd, new byte[0]),
            invoke(1, 7, sequence(ctx(0, tbcd(ROAMER_IMSI)), ctx(1, isdn("447700900555")))))));
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, end(0x55000015, dialogueResponse(acnIsd), resultLastEmpty(1))));
        return f.bytes();
    }

    /**
     * TS 23.040 §9.2.2.1 SMS-DELIVER: MTI 00 + no more messages, TP-OA 10086 (5 digits, unknown
     * TON, ISDN plan), TP-PID 0, TP-DCS 8-bit data, TP-SCTS, TP-UDL, user data.
     */
    static byte[] smsDeliver(final int userDataLength) {
        final byte[] ud = new byte[userDataLength];
        for (int i = 0; i < ud.length; i++) {
            ud[i] = (byte) (0x41 + i % 26);
        }
        return concat(bytes(0x04, 0x05, 0x81, 0x01, 0x80, 0xF6, 0x00, 0x04, 0x52, 0x30, 0x11, 0x21, 0x43, 0x65, 0x00,
            userDataLength), ud);
    }

    /** TS 23.040 §9.2.2.2 SMS-SUBMIT: MTI 01, TP-MR 5, TP-DA 10086, TP-PID 0, TP-DCS 8-bit, TP-UDL 2, "hi". */
    static byte[] smsSubmit() {
        return bytes(0x01, 0x05, 0x05, 0x81, 0x01, 0x80, 0xF6, 0x00, 0x04, 0x02, 'h', 'i');
    }

    /** Q.763 §3.10 calling party number: O/E + NAI 4 (international), NPI 1 + screening 3, BCD digits. */
    static byte[] isupCalling(final String digits) {
        return concat(bytes(((digits.length() & 1) != 0 ? 0x80 : 0) | 0x04, 0x13), bcdOddZero(digits));
    }

    /** Q.763 §3.9 called party number: O/E + NAI 3 (national), INN 0 + NPI 1, BCD digits. */
    static byte[] isupCalled(final String digits) {
        return concat(bytes(((digits.length() & 1) != 0 ? 0x80 : 0) | 0x03, 0x10), bcdOddZero(digits));
    }

    private static byte[] bcdOddZero(final String digits) {
        final byte[] b = new byte[(digits.length() + 1) / 2];
        for (int i = 0; i < digits.length(); i++) {
            final int d = digits.charAt(i) - '0';
            b[i / 2] |= (byte) ((i & 1) == 0 ? d : d << 4);
        }
        return b;
    }

    private static byte[] cap() {
        final Flow f = new Flow();
        // CAP v2 InitialDP (gsmSSF -> gsmSCF), a mobile-originated call to the 10086 hotline
        final byte[] acn2 = mapAcn(50, 1);
        final byte[] idp = invoke(1, 0, sequence(
            ctx(0, bytes(0x64)),                                      // serviceKey 100
            ctx(3, isupCalling(MSISDN)),                              // callingPartyNumber
            ctx(5, bytes(0x0A)),                                      // callingPartysCategory: ordinary subscriber
            ctx(28, bytes(2)),                                        // eventTypeBCSM: collectedInfo
            tlv(2, false, 50, tbcd(IMSI)),                            // iMSI
            tlv(2, true, 52, integer(0), ctx(1, isdn(VLR)), cgiChoice()), // locationInformation
            tlv(2, false, 55, isdn(VLR)),                             // mscAddress
            tlv(2, false, 56, concat(bytes(0x81), tbcd("10086"))),    // calledPartyBCDNumber: unknown TON, ISDN plan
            tlv(2, false, 58, new byte[0])));                         // callForwardingSS-Pending
        f.send(true, udtMessage(SSN_SCF, SCF, SSN_MSC, VLR, begin(0x66000001, dialogueRequest(acn2, new byte[0]), idp)));
        // the gsmSCF answers with RequestReportBCSMEvent and Continue, then ends
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_SCF, SCF, continueMessage(0x77000001, 0x66000001,
            dialogueResponse(acn2), invoke(1, 23, sequence(ctxC(0, sequence(ctx(0, bytes(7)), ctx(1, bytes(0)))))),
            invoke(2, 31, new byte[0]))));
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_SCF, SCF, end(0x66000001, new byte[0], invoke(3, 22,
            octets(bytes(0x80, 0x90)))))); // releaseCall: Cause (Q.850 normal clearing)

        // CAP v3 InitialDP (ACN 0.4.0.0.1.21.3.4) to 114, ISUP called party number only, indefinite lengths
        final byte[] acn3 = capAcn(21, 3, 4);
        final byte[] idp3 = tlvIndefinite(2, true, 1, integer(1), integer(0), tlvIndefinite(0, true, 16,
            ctx(0, bytes(0x65)), ctx(2, isupCalled("114")), ctx(3, isupCalling("8613800138002")),
            tlv(2, false, 50, tbcd(ROAMER_IMSI))));
        f.send(true, udtMessage(SSN_SCF, SCF, SSN_MSC, VLR, tlvIndefinite(1, true, 2, otid(0x66000002),
            dialogueRequest(acn3, new byte[0]), tlvIndefinite(1, true, 12, idp3))));
        f.send(false, udtMessage(SSN_MSC, VLR, SSN_SCF, SCF, end(0x66000002, dialogueResponse(acn3), invoke(2, 31,
            new byte[0]))));
        return f.bytes();
    }

    /** M3UA ASP and SSNM management (RFC 4666 §3.5–3.8), one DATA between them, two messages bundled. */
    private static byte[] management() {
        final Flow f = new Flow();
        f.send(true, m3ua(3, 1, new byte[0]));                                  // ASPUP
        f.send(false, m3ua(3, 4, new byte[0]));                                 // ASPUP_ACK
        f.send(true, m3ua(4, 1, new io.sigmatch.decoder.testing.ByteWriter()
            .u16(0x000B).u16(8).u32(2)                                          // Traffic Mode Type: loadshare
            .u16(0x0006).u16(8).u32(7).toByteArray()));                         // Routing Context 7: ASPAC
        f.send(false, m3ua(4, 3, new io.sigmatch.decoder.testing.ByteWriter()
            .u16(0x0006).u16(8).u32(7).toByteArray()),                          // ASPAC_ACK
            m3ua(0, 1, new io.sigmatch.decoder.testing.ByteWriter()
            .u16(0x000D).u16(8).u16(1).u16(3).toByteArray()));                  // NTFY: AS state change, AS-ACTIVE
        f.send(true, m3ua(3, 3, new io.sigmatch.decoder.testing.ByteWriter()
            .u16(0x0009).u16(8).u32(0xDEADBEEFL).toByteArray()));               // BEAT with heartbeat data
        f.send(false, m3ua(2, 3, new io.sigmatch.decoder.testing.ByteWriter()
            .u16(0x0012).u16(8).u32(200).toByteArray()));                       // DAUD: affected point code 200
        f.send(true, udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x12345678, new byte[0],
            invoke(1, 56, octets(tbcd(ROAMER_IMSI))))));                        // MAP v2 SAI: the IMSI as the argument
        return f.bytes();
    }
}
