/**
 * The match journal: every match the pipeline produces is appended here, to a Chronicle Queue on
 * disk, before anything downstream sees it (DESIGN §7).
 *
 * <ul>
 *   <li>{@link io.sigmatch.journal.MatchRecord} is the reusable struct a writer fills and a reader is
 *       filled into; {@link io.sigmatch.journal.MatchRecordLayout} is its versioned byte layout.</li>
 *   <li>{@link io.sigmatch.journal.MatchJournal} owns the queue directory;
 *       {@link io.sigmatch.journal.MatchAppender} is one writing thread's handle on it.</li>
 *   <li>{@link io.sigmatch.journal.MatchJournalReader} iterates the records (from the start or from an
 *       index); {@link io.sigmatch.journal.MatchJson} prints one as the JSON line of
 *       {@code ./sigmatch journal DIR} (DESIGN §12).</li>
 * </ul>
 *
 * <p>This module depends on Chronicle and Agrona only. Identities arrive as the decoder's packed
 * digit longs and are written as they are; {@link io.sigmatch.journal.MatchJson} formats them with
 * the same packing (digit count in the top 5 bits, the decimal value below), documented on
 * {@code io.sigmatch.decoder.Digits}.
 */
package io.sigmatch.journal;
