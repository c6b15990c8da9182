/**
 * SIP (RFC 3261) as the IMS carries it (TS 24.229): the message flyweight
 * ({@link io.sigmatch.decoder.sip.SipMessage}: start line, header lines with folding, compact forms
 * and repeats, body), the URI flyweight ({@link io.sigmatch.decoder.sip.SipUri}: sip, sips and tel URIs
 * with their parameters), methods and response names ({@link io.sigmatch.decoder.sip.SipMethod}), the
 * limits ({@link io.sigmatch.decoder.sip.SipConfig}) and the decoder.
 *
 * <h2>Transport</h2>
 * UDP and TCP port 5060 plus configured ports ({@code --ports sip=5080}), and by content: a UDP
 * datagram on any other port that begins with a SIP start line (IMS cores talk on 4060, 6060 ...).
 * A datagram is one message (18.3: a missing Content-Length means the rest of the datagram; octets after
 * the body are discarded and counted as {@code trailing}). On TCP the decoder is a
 * {@link io.sigmatch.decoder.StreamDecoder}: a message ends at the empty line plus Content-Length octets
 * (a missing Content-Length is an empty body); CRLF keep-alives between messages (RFC 5626 4.4.1) are
 * skipped and counted as {@code decode.sip.keepalives}; to resynchronise after lost bytes it looks for a
 * line that begins with a start line. SIP inside GTP-U (a UE's SIP on S1-U/S5 before it leaves the PGW) is
 * not read: sigmatch does not open the user plane, and the same messages are seen on the P-CSCF's side.
 * TLS (5061) and IPsec-protected SIP (ESP) cannot be read.
 *
 * <h2>What is read, and from where</h2>
 * Header names are case-insensitive, with the compact forms i (Call-ID), m (Contact), f (From), t (To),
 * l (Content-Length), c (Content-Type), v (Via); a line beginning with SP or HT continues the header above
 * it. From, To, Call-ID, CSeq and Content-Length count once (the first); P-Asserted-Identity,
 * P-Preferred-Identity, Contact, Diversion, History-Info and Via keep up to four occurrences, each of which
 * may hold comma-separated entries, read in order.
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>headers (in this order; the first that gives one wins)</th></tr>
 *   <tr><td>calling</td><td>request: P-Asserted-Identity, P-Preferred-Identity, From; response: From.
 *       An SMS-DELIVER's TP-OA in a 3GPP SMS body.</td></tr>
 *   <tr><td>called</td><td>request: Request-URI, To; response: To. An SMS-SUBMIT's TP-DA; a 3xx's
 *       Contact (the forwarding target).</td></tr>
 *   <tr><td>msisdn (the subscriber)</td><td>REGISTER: To (the public identity registered); MT MESSAGE:
 *       called (the recipient); a forwarding (181, 302, 3xx with Diversion, INVITE with Diversion): the
 *       first Diversion number, else the first History-Info number, else To; otherwise calling.</td></tr>
 *   <tr><td>imsi</td><td>the first IMSI-derived public identity among To, From, P-Asserted-Identity
 *       (TS 23.003 13.4B: {@code sip:<IMSI>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org}, the user part 6..15
 *       digits starting with that MCC and MNC).</td></tr>
 *   <tr><td>imei, imeisv</td><td>Contact {@code +sip.instance="<urn:gsma:imei:TAC-SNR-spare[;svn=SV]>"}
 *       (RFC 7254): imei = TAC + SNR (14 digits), imeisv = those + SV.</td></tr>
 *   <tr><td>cell, rat</td><td>the first access of the first P-Access-Network-Info (TS 24.229 7.2A.4):
 *       3GPP-E-UTRAN-FDD/TDD {@code utran-cell-id-3gpp} = MCC, MNC, TAC (4 hex), ECI (7 hex) → mcc/mnc,
 *       tac, eci, EUTRAN; 3GPP-NR-FDD/TDD {@code nr-cell-id-3gpp} (or utran-cell-id-3gpp) = MCC, MNC,
 *       TAC (6 hex), NCI (9 hex) → tac, nci, NR; 3GPP-UTRAN-FDD/TDD utran-cell-id-3gpp = MCC, MNC, LAC
 *       (4 hex), UC-Id (7 hex) → lac, ci, UTRAN; 3GPP-GERAN {@code cgi-3gpp} = MCC, MNC, LAC (4 hex), CI
 *       (4 hex) → lac, ci, GERAN. The MNC has the 2 or 3 digits the fixed-length rest leaves. Other
 *       access types (IEEE-802.11, DSL) give no cell.</td></tr>
 *   <tr><td>msg</td><td>request: the method (INVITE, REGISTER ... or "unknown request"); response:
 *       "200 (INVITE)" from the status and the CSeq method, a status not registered with IANA by its class
 *       ("4xx (INVITE)"); the message type keeps the exact method code or status.</td></tr>
 *   <tr><td>outcome</td><td>final responses: 2xx accepted, 3xx..6xx rejected.</td></tr>
 * </table>
 * <b>Numbers</b> (every field above that is a number) are put in international form once, here. A tel:
 * URI (RFC 3966) is a number; a sip:/sips: URI is one when its user part starts with '+', it has
 * {@code user=phone}, or its user part is digits — unless it is an IMSI-derived identity. '-', '.', '('
 * and ')' are visual separators; any other character (letters, '*', '#') makes it no number. "+CC..."
 * is international. A local number with {@code phone-context=+CC...} takes those digits first; one with
 * a domain phone-context or none: the international prefix ("00") makes it international; the trunk
 * prefix ("0") is dropped and the country code put first ({@code tel:013800000001} → 8613800000001); a
 * number of fewer than {@code nationalMinDigits} (7) digits is a short code and stays as dialled
 * (10086, 114: the hotline lists of the rules name them so). More than 15 digits: {@code bad_number}.
 * The country code is {@link io.sigmatch.decoder.sip.SipConfig#countryCode()}, by default
 * {@link io.sigmatch.decoder.DecoderConfig#countryCode()}.
 *
 * <h2>Events</h2>
 * <ul>
 *   <li>REGISTER: LOCATION_UPDATE (IMS registration, with the cell when P-Access-Network-Info is there),
 *       completed at the final response with its outcome (a 401 challenge is rejected, the REGISTER
 *       that follows with its 200 accepted); NONE for a de-registration (Expires 0).</li>
 *   <li>INVITE: CALL_ATTEMPT with calling and called number — the hotline trigger. It is reported at the
 *       INVITE itself (a hotline campaign must not wait for ringing or answer); the final response then
 *       completes the transaction with its outcome as a procedure of kind NONE. An INVITE carrying
 *       Diversion is the forwarded leg the network sends on: CALL_FORWARDING_SET.</li>
 *   <li>MESSAGE: SMS_MO or SMS_MT, at the MESSAGE. Direction: a 3GPP SMS body
 *       ({@code application/vnd.3gpp.sms}, TS 24.341) by its RP-MTI (RP-DATA MS→network MO, network→MS MT;
 *       RP-ACK, RP-ERROR and RP-SMMA are reports: NONE); else P-Served-User {@code sescase=orig/term};
 *       else MO when the request carries P-Access-Network-Info or P-Preferred-Identity, which only the
 *       sending UE inserts (RFC 3325 9.2, TS 24.229 7.2A.4) and the terminating S-CSCF strips; else MT.</li>
 *   <li>181 Call Is Being Forwarded, 302 Moved Temporarily, any 3xx with Diversion: CALL_FORWARDING_SET
 *       for the diverting subscriber (a 181 at once; a 3xx completes its INVITE).</li>
 *   <li>Everything else (OPTIONS, SUBSCRIBE, NOTIFY, BYE, PRACK, UPDATE, INFO ...): NONE, identities still
 *       reported.</li>
 * </ul>
 *
 * <h2>Procedures and correlation</h2>
 * <ul>
 *   <li>A request waits for its final response, matched by top Via branch and CSeq method (17.1.3) with
 *       the Call-ID and CSeq number folded in; each hop of a proxied request has its own top Via, so
 *       each hop is its own transaction. The same request again is a retransmission (counted, not
 *       reported again). ACK waits for nothing. A request without its final response completes as
 *       unknown after {@code answerTimeoutNs} (32 s, Timer F) — an INVITE after {@code inviteTimeoutNs}
 *       (180 s: it may ring for minutes, Timer C) — or at flush; a final response without a
 *       seen request completes on its own.</li>
 *   <li>The same touchpoint seen on several hops (UE → P-CSCF → S-CSCF, same Call-ID and CSeq) is
 *       reported once ({@code correlate.sip.hop_duplicate}).</li>
 *   <li>Call-ID table: the first identities a dialog's message carries are remembered for the dialog;
 *       procedures lacking one get it from the table, marked resolved.</li>
 * </ul>
 *
 * <h2>Malformed input</h2>
 * Counted under {@code decode.sip.error.<reason>}, dropping the message: truncated (no empty line ends
 * the headers), bad_start_line (not "Method SP URI SP SIP/2.0" or "SIP/2.0 SP 1xx..6xx"), line_too_long
 * (a line above maxLineBytes), folding (more than maxFoldedLines continuation lines, or one before any
 * header), too_many_headers, bad_header (no colon, or a name that is not a token), bad_content_length
 * (not digits), content_overflow (Content-Length beyond the data), too_long (above maxMessageBytes),
 * missing_header (no Call-ID, CSeq, From or To, 8.1.1), bad_cseq. Dropping just the field: bad_number,
 * bad_imei, bad_pani, bad_sms. Octets after a datagram's body: trailing.
 *
 * <h2>Where Wireshark 4.0 differs</h2>
 * Listed with reasons in fixtures/sip/KNOWN-DIFFERENCES.tsv; Wireshark 4.0 shows the cell parameter of
 * P-Access-Network-Info only as text, so the split into MCC, MNC, TAC and cell id is ours alone.
 */
package io.sigmatch.decoder.sip;
