/**
 * GTPv2-C (3GPP TS 29.274) on S11, S5/S8, S4, S10, S3: layouts, flyweights and the decoder.
 *
 * <h2>What is read, and from which IE</h2>
 * A message may carry an IE type several times: at message level with different instances, and
 * again inside grouped IEs (Bearer Contexts). sigmatch reads each subscriber field from exactly
 * one place, the first message-level IE of that type with <b>instance 0</b> — the instance TS
 * 29.274 clause 7 gives the subscriber's IMSI, MSISDN, MEI, ULI, Serving Network, RAT Type, APN and
 * the message's Cause in every message that carries them. IEs inside grouped IEs describe bearers,
 * not the subscriber, and are walked (lengths checked, depth bounded) but not read.
 *
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>IE (type, instance)</th><th>rule</th></tr>
 *   <tr><td>imsi</td><td>IMSI (1, 0)</td><td>TBCD, 1..15 digits, else error bad_tbcd</td></tr>
 *   <tr><td>msisdn</td><td>MSISDN (76, 0)</td><td>TBCD, E.164 international form as carried, 1..15 digits</td></tr>
 *   <tr><td>imei, imeisv</td><td>MEI (75, 0)</td><td>15 digits (IMEI) or 16 (IMEISV); imei = first 14 digits,
 *       imeisv only for 16; other counts: error bad_mei</td></tr>
 *   <tr><td>location</td><td>ULI (86, 0)</td><td>tac from TAI; eci (28 bits) from ECGI; ci from CGI; sac from SAI;
 *       lac from CGI, else SAI, else RAI, else LAI; cellPlmn from the most precise part present: ECGI, CGI,
 *       SAI, RAI, TAI, LAI, macro eNodeB ID, extended macro eNodeB ID. The ULI IE has no 5GS TAI or NR CGI
 *       form (8.21), so nci is never set by GTPv2.</td></tr>
 *   <tr><td>servingPlmn</td><td>Serving Network (83, 0)</td><td>MCC + MNC</td></tr>
 *   <tr><td>rat</td><td>RAT Type (82, 0)</td><td>{@link io.sigmatch.decoder.Rat#fromGtpv2}; a code it does not know is left out</td></tr>
 *   <tr><td>apn</td><td>APN (71, 0)</td><td>labels joined with dots (TS 23.003 9.1)</td></tr>
 *   <tr><td>outcome</td><td>Cause (2, 0) of an answer</td><td>16..63 accepted, 64..239 rejected (Table 8.4-1);
 *       a request's cause (Local Detach...) is not an outcome</td></tr>
 *   <tr><td>TEID keys</td><td>F-TEID (87, 0 and 1)</td><td>control-plane interface types only, TEID != 0</td></tr>
 * </table>
 *
 * <h2>Events</h2>
 * Each completed procedure (and, for {@code sigmatch decode}, each message on its own) maps to one
 * {@link io.sigmatch.decoder.EventKind}:
 * <ul>
 *   <li>Create Session Request/Response: DATA_SESSION_START (a PDN connection is set up: attach,
 *       UE-requested PDN connectivity, or an SGW relocation re-creating it on the new SGW);</li>
 *   <li>Delete Session Request/Response: DATA_SESSION_END;</li>
 *   <li>Delete Bearer Request/Response naming the Linked EPS Bearer ID (instance 0, 7.2.9.2): the
 *       whole PDN connection goes, DATA_SESSION_END;</li>
 *   <li>Modify Bearer Request/Response with a ULI or a RAT Type (sent when the location or the RAT
 *       changed: TAU, handover, idle-to-connected): LOCATION_UPDATE;</li>
 *   <li>any other procedure whose request or answer reports a ULI (Change Notification, Create /
 *       Update / Delete Bearer answers, Delete Bearer Command...): LOCATION_UPDATE;</li>
 *   <li>everything else (Echo, Release Access Bearers, Downlink Data Notification, dedicated bearers
 *       without a ULI...): NONE.</li>
 * </ul>
 * A message judged alone uses only its own IEs, so a Modify Bearer Response alone is NONE while
 * its procedure, paired with a request that carried a ULI, is LOCATION_UPDATE. The same PDN
 * connection seen on S11 and on S5/S8 yields two procedures; deduplication belongs to the match
 * stages.
 *
 * <h2>Procedures and correlation</h2>
 * <ul>
 *   <li>A request is paired with the answer that has the same sequence number, comes between the
 *       same two endpoints in the opposite direction, and has the answer type of the request
 *       (Table 6.1-1). A command (Modify/Delete Bearer Command, Bearer Resource Command) is
 *       answered by its failure indication, or accepted by the Create/Update/Delete Bearer Request
 *       it triggers (same sequence number, 7.6).</li>
 *   <li>The procedure is the request, completed with what only the answer carried; its frame and
 *       time are the answer's (when it completed); its outcome is the answer's cause. A request
 *       unanswered within {@link io.sigmatch.decoder.gtpv2.Gtpv2Config#answerTimeoutNs()} of capture
 *       time, or still waiting at {@code flush}, completes with outcome unknown at its own frame.
 *       An answer without a seen request completes a procedure on its own. Indications that no
 *       message answers complete at once.</li>
 *   <li>TEID table: the control-plane F-TEIDs (instance 0: the sender's; instance 1: the PGW's) of
 *       a Create Session Request and of its accepted Response are learned, keyed by TEID and the
 *       F-TEID's address, with the subscriber's identities. Later messages carry only the receiver's
 *       TEID in the header; looked up with the packet's destination address it names the subscriber,
 *       whose identities are added to the procedure and marked resolved. A rejected Create Session
 *       releases what its request taught; an accepted Delete Session releases the TEIDs both its
 *       messages were addressed to. Since one S11 TEID pair serves every PDN connection of a UE,
 *       an entry counts the sessions holding it and goes when the last is deleted, or when idle
 *       for {@link io.sigmatch.decoder.gtpv2.Gtpv2Config#teidIdleExpiryNs()}. A TEID the MME moves to
 *       in a later Modify Bearer Request is not learned (the old one keeps resolving until it expires).</li>
 * </ul>
 *
 * <h2>Malformed input</h2>
 * Counted under {@code decode.gtpv2.error.<reason>}: truncated (datagram shorter than a header),
 * bad_version, bad_length (Message Length shorter than the header or past the datagram),
 * ie_overflow (an IE header or length past its message or grouped IE), depth (grouped IEs nested
 * deeper than the limit), too_many_ies, piggyback (P flag with nothing after it, or more
 * piggybacked messages than allowed), trailing (octets after a message without P flag) — these drop
 * the message — and bad_tbcd, bad_mei, bad_ie (an IE shorter than its content), bad_apn, which drop
 * just the field. GTPv1-C shares UDP port 2123: a version-1 datagram is counted as
 * {@code decode.gtpv2.skipped.gtpv1}, not as an error.
 *
 * <h2>Where Wireshark 4.0 differs</h2>
 * Wireshark masks the ULI flags with 0x3F and so never decodes the macro and extended macro
 * eNodeB ID parts (8.21.7, 8.21.8); sigmatch does. Wireshark also reads IEs past a message's
 * length when the P flag is clear; sigmatch stops at the length.
 */
package io.sigmatch.decoder.gtpv2;
