/**
 * Diameter (RFC 6733) on S6a/S6d (TS 29.272), Gx (TS 29.212), Gy (RFC 4006 / TS 32.299), SGd
 * (TS 29.338), Sh (TS 29.329) and Cx (TS 29.229): layouts ({@link io.sigmatch.decoder.diameter.DiameterHeader},
 * {@link io.sigmatch.decoder.diameter.DiameterAvp}, {@link io.sigmatch.decoder.diameter.GeographicLocation}),
 * codes ({@link io.sigmatch.decoder.diameter.DiameterCommand}, {@link io.sigmatch.decoder.diameter.DiameterAvpCode},
 * each checked against Wireshark 4.0's diameter/dictionary.xml and TGPP.xml), the limits
 * ({@link io.sigmatch.decoder.diameter.DiameterConfig}) and the decoder.
 *
 * <h2>Transport</h2>
 * The decoder is a {@link io.sigmatch.decoder.StreamDecoder}: on TCP the reassembler asks
 * {@code messageLength} (the header's 24-bit Message Length; one that is below 20, not a multiple
 * of 4 or above {@code maxMessageBytes} is not a message) and, to resynchronise, {@code findMessageStart}
 * (version 1, sane length, reserved flag bits zero, no E flag on a request, and a known command or
 * a first AVP that fits). On SCTP a user message is one Diameter message. A payload holding several
 * messages back to back is decoded message by message. It is routed by TCP and SCTP port 3868
 * plus configured ports, SCTP PPID 46 (Diameter) and 47 (Diameter over DTLS, whose records do not
 * parse and are counted), and by a content sniffer for TCP/SCTP payloads on other ports.
 *
 * <h2>What is read, and from where</h2>
 * AVPs are walked in message order; grouped AVPs are entered only when sigmatch reads a member
 * (Subscription-Id, User-Equipment-Info, Experimental-Result, and the 3GPP Subscription-Data,
 * Terminal-Information, User-Identity, User-Identifier, Service-Information, PS-Information),
 * every other AVP is skipped by its padded length. A code counts only with its vendor (0 for IETF,
 * 10415 for 3GPP). Each field comes from the <b>first</b> AVP, in message order, among the places
 * listed:
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>AVPs (where)</th><th>rule</th></tr>
 *   <tr><td>imsi</td><td>User-Name 1 (top level, User-Identifier); Subscription-Id 443 with
 *       Subscription-Id-Type 1 END_USER_IMSI</td><td>6..15 decimal digits. On Cx and Sh the User-Name
 *       is the IMPI: its part before '@' counts (TS 23.003 13.3 "IMSI@ims.mnc..."). A User-Name that
 *       is not digits (a Gx NAI, an IMPI not derived from the IMSI) is not an IMSI and not an error.</td></tr>
 *   <tr><td>msisdn</td><td>Subscription-Id type 0 END_USER_E164 (text, '+' dropped); MSISDN 701 (TBCD;
 *       top level, Subscription-Data in ULA/IDR, User-Identity on Sh, User-Identifier on SGd);
 *       Public-Identity 601 (top level, User-Identity); the User-Data XML of Cx (606: IMSSubscription
 *       Identity elements) and Sh (702: Sh-Data IMSPublicIdentity and MSISDN elements), top level, elements
 *       in document order</td><td>International form, at most 15 digits.
 *       Public-Identity: a tel: URI is a number; a sip:/sips: URI only when its user part starts with
 *       '+' or it has user=phone; separators - . ( ) dropped, the number ends at ; @ ? &gt;. A number
 *       without '+' is national: a leading 0 (trunk prefix) is dropped and
 *       {@link io.sigmatch.decoder.DecoderConfig#countryCode()} put first. A sip: user part of bare
 *       digits is an IMSI-derived temporary IMPU (TS 23.003 13.4B), not a number.</td></tr>
 *   <tr><td>imei, imeisv</td><td>Terminal-Information 1401 (IMEI 1402 + Software-Version 1403); User-Equipment-Info
 *       458 with type 0 IMEISV (value 460); 3GPP-IMEISV 10415/20 (top level)</td><td>imei = first 14 digits (TAC +
 *       SNR); imeisv = 16 digits (IMEI body + 2 SV digits). IMEI 1402 may have 14 or 15 digits. UEI value and
 *       3GPP-IMEISV: ASCII digits (14..16), or 8 octets of TBCD as some gateways copy it from GTP. Anything else
 *       (e.g. magma's one-octet-per-digit values) is bad_imei.</td></tr>
 *   <tr><td>servingPlmn</td><td>Visited-PLMN-Id 1407 (top level, 3 octets TS 24.008); else 3GPP-SGSN-MCC-MNC
 *       10415/18 (top level or PS-Information; 5 or 6 digits text)</td><td>printed as mcc/mnc when no location
 *       PLMN is present</td></tr>
 *   <tr><td>location</td><td>3GPP-User-Location-Info 10415/22 (top level or PS-Information)</td><td>every
 *       Geographic Location Type 0..2, 128..137 of TS 29.061 16.4.7.2 (see {@link
 *       io.sigmatch.decoder.diameter.GeographicLocation}): tac from the TAI (24 bits for a 5GS TAI), eci from the
 *       ECGI, nci (36 bits) from the NCGI, lac + ci from a CGI, lac + sac from a SAI, lac from a RAI; cellPlmn is
 *       the PLMN of the cell/base-station part, else of the TAI. An eNodeB ID gives only a PLMN (it names a base
 *       station, not a cell), as in the GTPv2 decoder. Types 138/139 (NG-RAN node) and others: bad_uli.</td></tr>
 *   <tr><td>rat</td><td>RAT-Type 10415/1032 (top level)</td><td>TS 29.212 5.3.31 onto {@link io.sigmatch.decoder.Rat};
 *       CDMA/HRPD values are left out</td></tr>
 *   <tr><td>apn</td><td>Called-Station-Id 30 (top level or PS-Information)</td><td>printable text, at most 100 octets</td></tr>
 *   <tr><td>outcome</td><td>Result-Code 268 (top level), else Experimental-Result-Code 298 inside Experimental-Result
 *       297, answers only</td><td>2xxx accepted, 3xxx..5xxx rejected, 1xxx (multi-round) none</td></tr>
 *   <tr><td>called, calling</td><td>SM-RP-UI 10415/3301 (top level, SGd)</td><td>the TS 23.040 TPDU: an SMS-SUBMIT's
 *       TP-DA is the called number, an SMS-DELIVER's TP-OA the calling number; a national number (type of
 *       number 2) takes the country code, an alphanumeric address is not a number</td></tr>
 *   <tr><td>msg</td><td>command code + R flag (+ CC-Request-Type 416)</td><td>ULR/ULA, CCR-I/CCA-T, OFR/TFR ...
 *       ({@link io.sigmatch.decoder.diameter.DiameterCommand#name}); "unknown request/answer" otherwise</td></tr>
 * </table>
 * Not read (deliberately): the SMS text and the rest of the TPDU, other User-Data elements, Cx
 * Server-Assignment-Type, Cancellation-Type, MME/SGSN names, Gy usage and quota AVPs.
 *
 * <h2>Events</h2>
 * <ul>
 *   <li>ULR: POWER_ON when ULR-Flags has the Initial-Attach-Indicator (TS 29.272 7.3.7 bit 5); otherwise
 *       ROAMING_REGISTRATION when the Visited-PLMN-Id is not home, else LOCATION_UPDATE. A roaming initial
 *       attach is POWER_ON: power-on rules must see it, and the roaming shows in its serving PLMN, from which
 *       the stateful roaming trigger works on any event (DESIGN §5). <b>Home</b>: the configured
 *       {@link io.sigmatch.decoder.diameter.DiameterConfig#homePlmns()}; with none configured, the IMSI's own
 *       network, i.e. roaming when the IMSI does not begin with the visited MCC + MNC digits.</li>
 *   <li>PUR: POWER_OFF. CLR: NONE — it is the HSS withdrawing the old MME/SGSN; the new node's ULR carries the
 *       touchpoint, and the CLR's IMSI and outcome are still reported.</li>
 *   <li>CCR-I: DATA_SESSION_START; CCR-T: DATA_SESSION_END; CCR-U with a location: LOCATION_UPDATE; CCR-E:
 *       NONE. Gx and Gy both report; a Gx and a Gy session of one PDN connection are two procedures
 *       (deduplication is the match stages').</li>
 *   <li>SGd MO-Forward-Short-Message (8388645): SMS_MO; MT-Forward-Short-Message (8388646): SMS_MT.</li>
 *   <li>Any other message with an IMEI on the wire (a NOR reporting a new handset...): HANDSET_REPORTED.</li>
 *   <li>Everything else (CER, DWR, AIR, IDR, Cx, Sh, Rx): NONE, identities still reported.</li>
 * </ul>
 * A message alone is judged by its own AVPs (a ULA alone, without ULR-Flags, is LOCATION_UPDATE; a CCA
 * carries CC-Request-Type and so its own kind).
 *
 * <h2>Procedures and correlation</h2>
 * <ul>
 *   <li>A request is paired with the answer that has the same Hop-by-Hop and End-to-End identifiers, the
 *       same command code, and comes back between the same two endpoints (RFC 6733 §6.2). A repeated
 *       request with the same ids (T flag) is a retransmission and keeps the first copy. The procedure is
 *       the request completed with what only the answer carried (ULA's MSISDN), at the answer's frame and
 *       time, with the answer's outcome. Unanswered requests complete with outcome unknown after
 *       {@code answerTimeoutNs} of capture time or at flush; an answer without a seen request completes
 *       a procedure on its own.</li>
 *   <li>Session-Id table: the Session-Id (263, FNV-1a hash of its text) of every message that carries
 *       identities learns them (IMSI, MSISDN, IMEI, IMEISV); procedures lacking one get it from the table,
 *       marked resolved (so `sigmatch decode` still prints only what the wire said). An accepted CCA-T or
 *       STA forgets the session; otherwise entries go when idle for {@code sessionIdleExpiryNs} or when the
 *       bounded table evicts the least recently seen.</li>
 * </ul>
 *
 * <h2>Malformed input</h2>
 * Counted under {@code decode.diameter.error.<reason>}, dropping the message: truncated (fewer octets
 * than a header or than the Message Length), bad_version, bad_length (below 20 or not a multiple of 4),
 * too_long (above maxMessageBytes), bad_flags (reserved bits, or E on a request), avp_length (an AVP
 * Length below its own header, zero included — so no AVP can loop), avp_overflow (an AVP or its header
 * past the message or grouped AVP), depth (grouped AVPs nested beyond maxAvpDepth), too_many_avps,
 * trailing (octets after the last message that cannot start another). Dropping just the field:
 * bad_imsi, bad_msisdn, bad_imei, bad_plmn, bad_uli, bad_apn, bad_avp (an Unsigned32 not 4 octets).
 * Missing padding after the last AVP of a message or group is tolerated.
 *
 * <h2>Where Wireshark 4.0 differs</h2>
 * Wireshark shows only the low 32 of the 36 bits of an NCGI's NR Cell Identity in
 * 3GPP-User-Location-Info; sigmatch reads all 36 (listed in fixtures/diameter/KNOWN-DIFFERENCES.tsv).
 * Wireshark shows a User-Equipment-Info IMEISV as text even when it is not digits; sigmatch reports no IMEI
 * then.
 */
package io.sigmatch.decoder.diameter;
