package io.sigmatch.matcher.rules;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sigmatch.decoder.EventKind;
import io.sigmatch.matcher.lists.TargetList;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One compiled rule snapshot: its version, its target lists and its rules, ordered by priority
 * (highest first, then as written) and indexed by the event kind that can fire them, so a match
 * stage sees at once the few rules an event concerns. Immutable; shared by every shard.
 *
 * <p>The rule set owns its target lists' off-heap memory: {@link #close()} frees it, and is called
 * by the owner once no pipeline uses the set any more.
 */
public final class RuleSet implements AutoCloseable {
    private final String version;
    private final UnsafeBuffer versionBytes;
    private final ZoneId timezone;
    private final List<String> listNames;
    private final TargetList[] lists;
    private final Rule[] rules;
    private final Rule[][] byKind;

    RuleSet(final String version, final ZoneId timezone, final List<String> listNames, final TargetList[] lists,
        final Rule[] rules) {
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

    @Override
    public void close() {
        CloseHelper.closeAll(lists);
    }

    @Override
    public String toString() {
        return "RuleSet{" + version + ", " + rules.length + " rules, " + lists.length + " lists}";
    }
}
