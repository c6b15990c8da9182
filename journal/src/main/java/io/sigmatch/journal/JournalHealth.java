package io.sigmatch.journal;

/**
 * The journal's disk as last checked by its housekeeping thread ({@link MatchJournal#health()}): what it
 * holds, what it may hold, and whether it is refusing matches and why. Counts only, no identities.
 *
 * @param bytes          lengths of the journal's files (Chronicle grows a cycle file a block at a time, so
 *                       this runs up to one block ahead of what is written)
 * @param budgetBytes    the disk budget, 0 when there is none
 * @param freeBytes      usable space left on the journal's file system
 * @param minFreeBytes   below this much free space matches are refused
 * @param cycles         cycle files on disk
 * @param oldestCycleStartMs when the oldest cycle on disk began (epoch ms), -1 when there is none
 * @param maxAgeMs       retention by age, 0 when there is none
 * @param heldByForwarder true when a cycle past its age is kept because a forwarder has not passed it
 * @param alarm          null when matches are journaled; else why they are refused: {@code disk_full},
 *                       {@code read_only}, {@code unwritable}, {@code budget}, {@code append_failed}
 * @param alarmSinceMs   when the alarm began (epoch ms), -1 without one
 * @param rollCycle      the roll cycle's name
 */
public record JournalHealth(long bytes, long budgetBytes, long freeBytes, long minFreeBytes, int cycles,
    long oldestCycleStartMs, long maxAgeMs, boolean heldByForwarder, String alarm, long alarmSinceMs, String rollCycle) {
}
