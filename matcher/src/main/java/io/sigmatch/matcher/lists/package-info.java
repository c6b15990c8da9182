/**
 * Target lists: the MSISDNs, IMSIs or handset TACs a campaign includes or excludes, tens of millions
 * each, held off-heap in {@link io.sigmatch.matcher.lists.TargetList} (its class doc gives the layout
 * and what an entry costs) and loaded from plain or gzipped text by
 * {@link io.sigmatch.matcher.lists.TargetListLoader}.
 */
package io.sigmatch.matcher.lists;
