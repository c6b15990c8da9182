/**
 * GTPv1-C (3GPP TS 29.060) on Gn/Gp between SGSN and GGSN, UDP 2123: layouts, flyweights, the
 * decoder, and the demultiplexer that shares the port with GTPv2-C by the header's version bits.
 *
 * <h2>What is read, and from which IE</h2>
 * TV IEs (type below 128) have a fixed length by type (Table 37), TLV IEs a two-octet length (the
 * Extension Header Type List, 141, a one-octet one). Each field comes from the first IE of its type
 * in the message; the first GSN Address is the sender's address for signalling (7.3.1-7.3.4).
 *
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>IE (type)</th><th>rule</th></tr>
 *   <tr><td>imsi</td><td>IMSI (2)</td><td>TBCD, 8 octets, F filler; 1..15 digits, else error bad_tbcd</td></tr>
 *   <tr><td>msisdn</td><td>MSISDN (134)</td><td>the nature-of-address octet is skipped, then TBCD digits as carried
 *       (international form on Gn/Gp), 1..15 digits</td></tr>
 *   <tr><td>imei, imeisv</td><td>IMEI(SV) (154)</td><td>16 digits: imeisv, imei = first 14; 15 digits: imei = first 14;
 *       other counts: error bad_imei</td></tr>
 *   <tr><td>location</td><td>ULI (152) else RAI (3)</td><td>ULI type 0 CGI: cellPlmn, lac, ci; type 1 SAI: cellPlmn,
 *       lac, sac; type 2 RAI: cellPlmn, lac (the RAC is the first of its two octets). Without a ULI the RAI IE gives
 *       cellPlmn and lac. The RAI IE's PLMN is also the serving PLMN (the SGSN's network).</td></tr>
 *   <tr><td>rat</td><td>RAT Type (151)</td><td>the code points of TS 29.274 8.17
 *       ({@link io.sigmatch.decoder.Rat#fromGtpv2}); a code Rat does not know is left out</td></tr>
 *   <tr><td>apn</td><td>APN (131)</td><td>labels joined with dots (TS 23.003 9.1)</td></tr>
 *   <tr><td>outcome</td><td>Cause (1) of a response</td><td>128..191 accepted, 192..255 rejected (7.7.1); a request's
 *       cause is not an outcome</td></tr>
 *   <tr><td>TEID keys</td><td>TEID Control Plane (17) + first GSN Address (133)</td><td>TEID != 0; the packet's source
 *       address when no GSN Address is carried</td></tr>
 * </table>
 * The raw values (header TEID and sequence, Cause, RAI with RAC, ULI, TEID-C, TEID Data I, NSAPI)
 * are readable from {@link io.sigmatch.decoder.gtpv1.Gtpv1Decoder} while it delivers a message.
 *
 * <h2>Events</h2>
 * <ul>
 *   <li>Create PDP Context Request/Response: DATA_SESSION_START (PDP context activation, 2G/3G
 *       attach with a data session or a new APN);</li>
 *   <li>Delete PDP Context Request/Response: DATA_SESSION_END;</li>
 *   <li>Update PDP Context Request/Response carrying an RAI, a ULI or a RAT Type (routeing area
 *       update, inter-SGSN change, RAT change, location reporting): LOCATION_UPDATE;</li>
 *   <li>any other procedure whose messages carry a ULI (MS Info Change Notification):
 *       LOCATION_UPDATE;</li>
 *   <li>everything else (Echo, SGSN Context, Error Indication...): NONE.</li>
 * </ul>
 *
 * <h2>Procedures and correlation</h2>
 * <ul>
 *   <li>A request is paired with the response of its type (Table 1) that has the same sequence
 *       number and comes back between the same two endpoints (7.6). The procedure is the request
 *       completed with what only the response carried, at the response's frame and time, with the
 *       response's cause as outcome; a request unanswered within
 *       {@link io.sigmatch.decoder.gtpv1.Gtpv1Config#answerTimeoutNs()} of capture time, or still
 *       waiting at {@code flush}, completes as unknown at its own frame; a response without a seen
 *       request, and messages that expect no response, complete on their own.</li>
 *   <li>TEID table: the SGSN's TEID-C of a Create PDP Context Request is learned at once, the
 *       GGSN's from an accepted Response, keyed by TEID and the GSN address, with the subscriber's
 *       identities. Later messages carry only the receiver's TEID in the header; looked up with the
 *       packet's destination it names the subscriber (identities added, marked resolved). An
 *       accepted Update PDP Context teaches the TEID-Cs its messages announce that are not yet known
 *       (the new SGSN's after an inter-SGSN routeing area update). A rejected Create releases what
 *       its request taught; an accepted Delete releases the TEIDs both its messages were addressed
 *       to; an entry counts the PDP contexts holding it and otherwise goes when idle for
 *       {@link io.sigmatch.decoder.gtpv1.Gtpv1Config#teidIdleExpiryNs()}.</li>
 * </ul>
 *
 * <h2>Malformed input</h2>
 * Counted under {@code decode.gtpv1.error.<reason>}: truncated (shorter than the 8-octet header),
 * bad_version, bad_length (Length shorter than the optional fields the flags announce, or past the
 * datagram), bad_extension (an extension header of length 0, past the message, or more of them than
 * {@link io.sigmatch.decoder.gtpv1.Gtpv1Config#maxExtensionHeaders()}), oversized (longer than
 * {@link io.sigmatch.decoder.gtpv1.Gtpv1Config#maxMessageLength()}), ie_overflow (a TLV header or
 * length past the message), too_many_ies — these drop the message; unknown_tv (a TV type of unknown
 * length: the walk stops, what came before stands), trailing (octets after the message), and
 * bad_tbcd, bad_imei, bad_ie, bad_apn, which drop just the field. GTP' (PT = 0) on the port is
 * counted as {@code decode.gtpv1.skipped.gtp_prime}, not as an error.
 *
 * <h2>Where Wireshark 4.0 differs</h2>
 * Wireshark shows an IMSI of fewer than 15 digits, whose last octet is all filler (7.7.2), with a
 * "?" and marks it malformed; sigmatch reads the digits. GTP' and GTPv0 on UDP 3386 and GTP-U on
 * 2152 are dissected by Wireshark and not decoded by sigmatch (not GTPv1-C).
 */
package io.sigmatch.decoder.gtpv1;
