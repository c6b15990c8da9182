package io.sigmatch.admin;

import io.sigmatch.matcher.rules.RuleSet;

/**
 * The seam between the admin plane and the match pipeline: makes a validated rule set the one the
 * pipeline matches against, atomically, without pausing it, and returns the rule set it replaced.
 *
 * <p>Contract: the returned rule set is no longer used by any shard when this returns (the snapshot
 * store closes it, freeing its lists' off-heap memory). In the appliance this is
 * {@code pipeline::activate}. An activator that cannot swap throws; the store then keeps the
 * active version and closes the rejected set.
 */
@FunctionalInterface
public interface SnapshotActivator {
    RuleSet activate(RuleSet next);
}
