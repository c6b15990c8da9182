package io.sigmatch.admin.forward;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.MatchRecord;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The per-rule counts a forwarder keeps in the shared {@link Counters}: {@code rule.<id>.forwarded}
 * when a record is first sent, {@code rule.<id>.acknowledged} when the downstream acknowledged it
 * (the conversion statistics read both). Several forwarders add to the same counters, so each uses
 * the atomic increment. Rules are found by comparing the record's rule id bytes: no String per record.
 */
final class RuleCounters {
    static final class Rule {
        final byte[] id;
        final AtomicCounter forwarded;
        final AtomicCounter acknowledged;

        Rule(final byte[] id, final AtomicCounter forwarded, final AtomicCounter acknowledged) {
            this.id = id;
            this.forwarded = forwarded;
            this.acknowledged = acknowledged;
        }
    }

    private final Counters counters;
    private final List<Rule> rules = new ArrayList<>();

    RuleCounters(final Counters counters) {
        this.counters = counters;
    }

    Rule of(final MatchRecord r) {
        final int n = r.ruleIdLength();
        for (int k = 0; k < rules.size(); k++) {
            final Rule rule = rules.get(k);
            if (same(rule.id, r, n)) {
                return rule;
            }
        }
        final String id = r.ruleId();
        final Rule rule = new Rule(id.getBytes(StandardCharsets.UTF_8), counters.counter("rule." + id + ".forwarded"),
            counters.counter("rule." + id + ".acknowledged"));
        rules.add(rule);
        return rule;
    }

    private static boolean same(final byte[] id, final MatchRecord r, final int n) {
        if (id.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (id[i] != r.ruleIdByte(i)) {
                return false;
            }
        }
        return true;
    }
}
