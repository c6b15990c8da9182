/**
 * SS7 over SIGTRAN: M3UA (RFC 4666) or M2UA (RFC 3331) → SCCP connectionless (ITU-T Q.713/Q.714) →
 * TCAP (Q.773) → MAP (TS 29.002) and CAP (TS 29.078). Layouts ({@link io.sigmatch.decoder.sigtran.SigtranLayout},
 * {@link io.sigmatch.decoder.sigtran.SccpAddress}, {@link io.sigmatch.decoder.sigtran.Ber}), operation codes
 * ({@link io.sigmatch.decoder.sigtran.MapOperation}), limits ({@link io.sigmatch.decoder.sigtran.SigtranConfig})
 * and the decoder ({@link io.sigmatch.decoder.sigtran.SigtranDecoder}).
 *
 * <h2>Transport and layers</h2>
 * SCTP user messages with PPID 3 (M3UA) or 2 (M2UA), or PPID 0 on ports 2905/2904. M3UA: common
 * header, Routing Context, Protocol Data (OPC, DPC, SI, NI); management (ASPUP, ASPAC, BEAT, DAUD,
 * NTFY, DUNA... by class and type) is counted under {@code decode.m3ua.mgmt.<NAME>}; DATA with SI
 * other than SCCP (ISUP, TUP) under {@code decode.m3ua.not_sccp}. M2UA DATA: the MTP3 MSU's SIO and
 * ITU routing label. SCCP: UDT, XUDT, LUDT (and their service variants, read for their addresses
 * only); called/calling party address with point code, SSN and global title (GTI 1..4: translation
 * type, numbering plan, nature of address, BCD digits); XUDT/LUDT segments (the segmentation
 * parameter) are reassembled in a fixed pool (64 × 8 KB by default) with a 10 s timeout; SSN 1
 * (SCCP management) and connection-oriented messages (RANAP, BSSAP) are counted, not decoded.
 * TCAP: Begin, Continue, End, Abort, Unidirectional; otid/dtid (1..4 octets); the dialogue portion's
 * AARQ/AARE application-context name (0.4.0.0.1.0.<context>.<version> for MAP; 0.4.0.0.1.0.50-52.x
 * and 0.4.0.0.1.21-23.x.y for CAP) and result; MAP-OpenInfo's destinationReference (an IMSI, for
 * supplementary service operations); components Invoke, ReturnResult(Last), ReturnError, Reject.
 * BER: definite short and long form (up to 3 length octets), indefinite form resolved to its EOC;
 * nesting is limited ({@code maxBerDepth} 12) and so is the number of elements per message
 * ({@code maxBerElements} 2048). A TCAP message whose outermost length claims more octets than SCCP
 * carried is decoded as far as it goes and counted under {@code decode.tcap.length_overrun} (Wireshark
 * does the same); any inner length past its container drops the rest of the message.
 *
 * <h2>MAP or CAP</h2>
 * The application context decides; without one, the transaction's earlier context; else the SSN
 * (146 and the configured {@code capSsns} are CAP, every other SSN is MAP).
 *
 * <h2>What is read, and from where</h2>
 * <table>
 *   <caption>operations</caption>
 *   <tr><th>operation (opcode)</th><th>fields</th><th>event of the procedure</th></tr>
 *   <tr><td>updateLocation (2), updateGprsLocation (23)</td><td>imsi; the VLR / SGSN number (second OCTET
 *       STRING)</td><td>ROAMING_REGISTRATION when that number is outside the home country code (or, with
 *       home PLMNs configured, the IMSI is foreign), else LOCATION_UPDATE</td></tr>
 *   <tr><td>cancelLocation (3)</td><td>imsi (v1 bare, v2/v3 [3] SEQUENCE, imsi-WithLMSI)</td><td>—</td></tr>
 *   <tr><td>purgeMS (67)</td><td>imsi</td><td>POWER_OFF</td></tr>
 *   <tr><td>sendAuthenticationInfo (56)</td><td>imsi ([0] in v3, the bare argument in v2)</td><td>—</td></tr>
 *   <tr><td>mo-forwardSM / forwardSM (46), mt-forwardSM (44)</td><td>sm-RP-DA imsi [0], sm-RP-OA msisdn [2],
 *       v3 MO trailing imsi</td><td>SMS_MT for 44; for 46: MT when the context is shortMsgMT-Relay (25),
 *       MO when shortMsgMO-Relay (21) or v3, else by the DA (an IMSI is MT, a service centre MO) —
 *       in MAP v1/v2 opcode 46 is forwardSM for both directions</td></tr>
 *   <tr><td>sendRoutingInfo (22)</td><td>msisdn [0]; result imsi ([9] in v3, first OCTET STRING in v2)</td><td>—</td></tr>
 *   <tr><td>sendRoutingInfoForSM (45)</td><td>msisdn [0]; result imsi</td><td>—</td></tr>
 *   <tr><td>registerSS (10), activateSS (12), eraseSS (11), deactivateSS (13)</td><td>ss-Code; the IMSI of
 *       the dialogue's destinationReference</td><td>CALL_FORWARDING_SET for register/activate of 0x20 allForwarding,
 *       0x21 CFU, 0x28 allCondForwarding, 0x29 CFB, 0x2A CFNRy, 0x2B CFNRc</td></tr>
 *   <tr><td>checkIMEI (43)</td><td>imei (v3 in a SEQUENCE, v2 bare); its first 14 digits</td><td>HANDSET_REPORTED</td></tr>
 *   <tr><td>insertSubscriberData (7)</td><td>imsi [0], msisdn [1]</td><td>— (its MSISDN joins the
 *       updateLocation procedure it arrives in)</td></tr>
 *   <tr><td>provideSubscriberInfo (70), anyTimeInterrogation (71)</td><td>imsi / msisdn of the argument; the
 *       result's locationInformation: cellGlobalIdOrServiceAreaIdFixedLength (PLMN, LAC, CI or SAC) or LAI</td><td>—</td></tr>
 *   <tr><td>noteMM-Event (89)</td><td>imsi [1], msisdn [2], locationInformation [3]</td><td>POWER_ON for imsi-Attach /
 *       gprsAttach, POWER_OFF for the detaches, LOCATION_UPDATE for the others</td></tr>
 *   <tr><td>processUnstructuredSS-Request (59), unstructuredSS-Request (60)</td><td>msisdn [0]</td><td>—</td></tr>
 *   <tr><td>CAP initialDP (0)</td><td>calling party number (ISUP) → calling, and msisdn when in the E.164 plan;
 *       called = calledPartyBCDNumber [56] else the ISUP calledPartyNumber [2] up to its ST signal; iMSI [50];
 *       locationInformation [52]; callForwardingSS-Pending [58] ({@link
 *       io.sigmatch.decoder.sigtran.SigtranDecoder#lastCallForwardingPending()})</td><td>CALL_ATTEMPT (the hotline
 *       trigger for CS calls); outcome unknown (a class 2 operation has no result)</td></tr>
 * </table>
 * Numbers: ISDN-AddressStrings and ISUP numbers of national nature get the country code
 * ({@link io.sigmatch.decoder.DecoderConfig#countryCode()}); called numbers are kept as dialled. An
 * IMSI has 6..15 digits; anything else is {@code bad_imsi} and the message is still delivered.
 *
 * <h2>Transactions</h2>
 * A Begin opens a transaction keyed by its otid and the node that allocated it (the calling GT, or
 * point code + SSN); the responder's first Continue names its own id, which later messages carry as
 * dtid (an alias to the same transaction). Every component is a message ({@code onMessage}); the first
 * Invoke of a transaction is its procedure, which takes the identities and location the other
 * components carry (either direction) and completes at the End (outcome accepted on the
 * ReturnResult of that invoke, rejected on its ReturnError or Reject, on a refused dialogue or an
 * Abort) or after {@code transactionTimeoutNs} with outcome unknown. A component of a transaction
 * whose Begin was not seen completes alone. Counters under {@code correlate.tcap.*}.
 *
 * <h2>Checked against Wireshark</h2>
 * {@code SigtranWiresharkTest} (decoder tests) compares M3UA, SCCP and TCAP fields, MAP/CAP
 * components and paired procedures with tshark 4.0 over the corpus's SIGTRAN captures and over
 * captures it builds itself; the deliberate differences and their reasons are in
 * {@code fixtures/sigtran/KNOWN-DIFFERENCES.tsv}. Captures of link type MTP3 (one MSU a frame, no
 * IP) are decoded too ({@link io.sigmatch.decoder.sigtran.SigtranDecoder#mtp3()}). Not decoded: ANSI
 * SCCP/TCAP, SCCP connection-oriented traffic, the pre-RFC M3UA draft format (counted as
 * {@code m3ua_no_protocol_data}).
 */
package io.sigmatch.decoder.sigtran;
