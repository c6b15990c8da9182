/**
 * Correlation state shared by the protocol decoders: who a message belongs to when the message
 * itself does not say, and which request an answer completes.
 *
 * <ul>
 *   <li>{@link io.sigmatch.decoder.correlate.SubscriberTable}: a session handle (GTP TEID + node
 *       address, Diameter Session-Id hash, S1AP/NGAP UE ids, TCAP transaction id, SIP Call-ID
 *       hash), folded by the protocol into a {@code long}, to the subscriber's IMSI, MSISDN, IMEI
 *       and IMEISV. Bounded, idle entries expire by capture time, a full table evicts the least
 *       recently seen of a small sample.</li>
 *   <li>{@link io.sigmatch.decoder.correlate.PendingRequestTable}: requests waiting for their
 *       answer, each with a copy of the decoded request, a deadline and a few protocol-defined
 *       attachments; oldest first, so time-outs cost O(expired).</li>
 * </ul>
 *
 * <p>Both are primitive arrays sized at construction, used by one decoding thread, and allocate
 * nothing afterwards. Time is always capture time, handed in by the caller, never the wall clock:
 * a replay at any speed gives the same result.
 */
package io.sigmatch.decoder.correlate;
