package io.sigmatch.matcher.rules;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.matcher.areas.AreaMap;
import io.sigmatch.matcher.lists.TargetList;
import org.agrona.CloseHelper;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One compiled rule snapshot: its version, its target lists and its rules, ordered by priority
 * (highest first, then as written) and indexed by the event kind that can fire them, so a match
 * stage sees at once the few rules an event concerns. Immutable; shared by every shard.
 *
 * <p>Beside the rules, one version's areas (cell to areas), home network (home PLMNs, the MSISDN
 * region table and the home region) and global per-subscriber cap: all switch together on activation.
 *
 * <p>The rule set owns its target lists' and areas' off-heap memory: {@link #close()} frees it, and is
 * called by the owner once no pipeline uses the set any more.
 */
public final class RuleSet implements AutoCloseable {
    private final String version;
    private final UnsafeBuffer versionBytes;
    private final ZoneId timezone;
    private final List<String> listNames;
    private final TargetList[] lists;
    private final Rule[] rules;
    private final Rule[][] byKind;
    private final AreaMap areas;
    private final long[] homePlmns;
    private final RegionTable regions;
    private final int homeRegion;
    private final int globalCapCount;
    private final long globalCapPerNs;
    private final Int2IntHashMap byStableId = new Int2IntHashMap(-1);
    private final boolean[] trackedArea;
    private final int[] trackedAreaList;
    private final boolean timed;

    RuleSet(final String version, final ZoneId timezone, final List<String> listNames, final TargetList[] lists,
        final Rule[] rules) {
        this(version, timezone, listNames, lists, rules, AreaMap.empty(), new long[0], RegionTable.empty(),
            RegionTable.UNKNOWN, 0, 0);
    }

    RuleSet(final String version, final ZoneId timezone, final List<String> listNames, final TargetList[] lists,
        final Rule[] rules, final AreaMap areas, final long[] homePlmns, final RegionTable regions, final int homeRegion,
        final int globalCapCount, final long globalCapPerNs) {
        this.areas = areas;
        this.homePlmns = homePlmns;
        this.regions = regions;
        this.homeRegion = homeRegion;
        this.globalCapCount = globalCapCount;
        this.globalCapPerNs = globalCapPerNs;
        this.trackedArea = new boolean[areas.areaCount()];
        boolean anyTimed = false;
        for (final Rule r : rules) {
            byStableId.put(r.stableId(), r.ordinal());
            if (r.area() >= 0) {
                trackedArea[r.area()] = true;
            }
            anyTimed |= r.trigger().timed();
        }
        this.timed = anyTimed;
        int tracked = 0;
        for (final boolean t : trackedArea) {
            tracked += t ? 1 : 0;
        }
        trackedAreaList = new int[tracked];
        for (int a = 0, n = 0; a < trackedArea.length; a++) {
            if (trackedArea[a]) {
                trackedAreaList[n++] = a;
            }
        }
        this.version = version;
        this.versionBytes = new UnsafeBuffer(version.getBytes(StandardCharsets.US_ASCII));
        this.timezone = timezone;
        this.listNames = Collections.unmodifiableList(new ArrayList<>(listNames));
        this.lists = lists;
        this.rules = rules;
        final EventKind[] kinds = EventKind.values();
        byKind = new Rule[kinds.length][];
        for (final EventKind k : kinds) {
            final List<Rule> firing = new ArrayList<>();
            for (final Rule r : rules) {
                if (r.firesOn(k)) {
                    firing.add(r);
                }
            }
            byKind[k.ordinal()] = firing.toArray(new Rule[0]);
        }
    }

    /** The version the central platform gave the snapshot; journaled with every match. */
    public String version() {
        return version;
    }

    public DirectBuffer versionBytes() {
        return versionBytes;
    }

    /** The snapshot's time zone (for quiet hours); null when it names none. */
    public ZoneId timezone() {
        return timezone;
    }

    public int ruleCount() {
        return rules.length;
    }

    /** The i-th rule in priority order; {@link Rule#ordinal()} == i. */
    public Rule rule(final int i) {
        return rules[i];
    }

    /** How many rules an event of this kind can fire. */
    public int ruleCount(final EventKind kind) {
        return byKind[kind.ordinal()].length;
    }

    /** The i-th rule, in priority order, that an event of this kind can fire. */
    public Rule rule(final EventKind kind, final int i) {
        return byKind[kind.ordinal()][i];
    }

    public int listCount() {
        return lists.length;
    }

    public TargetList list(final int i) {
        return lists[i];
    }

    public String listName(final int i) {
        return listNames.get(i);
    }

    /** Index of the named list, -1 when the snapshot has none of that name. */
    public int listIndex(final String name) {
        return listNames.indexOf(name);
    }

    /** The rule with that {@link Rule#stableId()}, null when this version has none. */
    public Rule ruleByStableId(final int stableId) {
        final int ordinal = byStableId.get(stableId);
        return ordinal < 0 ? null : rules[ordinal];
    }

    /** Cell to areas of this version; empty when the snapshot names no areas. */
    public AreaMap areas() {
        return areas;
    }

    /** True when some area trigger names the area (index in {@link #areas()}): only those are tracked per subscriber. */
    public boolean tracked(final int area) {
        return area >= 0 && area < trackedArea.length && trackedArea[area];
    }

    /** The tracked areas' indices, ascending. */
    public int trackedAreaCount() {
        return trackedAreaList.length;
    }

    public int trackedArea(final int i) {
        return trackedAreaList[i];
    }

    /** True when a rule arms timers (dwell, roaming duration). */
    public boolean hasTimedRules() {
        return timed;
    }

    /** True when the snapshot defines a home network; without one nobody is roaming. */
    public boolean hasHome() {
        return homePlmns.length > 0;
    }

    /** True when the IMSI (packed digits) begins with one of the home PLMNs. */
    public boolean homeImsi(final long imsi) {
        for (final long plmn : homePlmns) {
            if (Digits.startsWith(imsi, plmn)) {
                return true;
            }
        }
        return false;
    }

    public RegionTable regions() {
        return regions;
    }

    /** The home region's index in {@link #regions()}, {@link RegionTable#UNKNOWN} when none is set. */
    public int homeRegion() {
        return homeRegion;
    }

    /** True when a global per-subscriber cap applies across rules. */
    public boolean hasGlobalCap() {
        return globalCapCount > 0;
    }

    public int globalCapCount() {
        return globalCapCount;
    }

    public long globalCapPerNs() {
        return globalCapPerNs;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(lists);
        CloseHelper.close(areas);
    }

    @Override
    public String toString() {
        return "RuleSet{" + version + ", " + rules.length + " rules, " + lists.length + " lists}";
    }
}
