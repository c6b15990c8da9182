/**
 * The match pipeline (DESIGN §2): completed procedures from the decoder become
 * {@link io.sigmatch.matcher.SubscriberEvent}s in preallocated Disruptor slots, sharded by subscriber
 * ({@link io.sigmatch.matcher.ShardRouter}); each shard runs the stages filter → lookup → trigger →
 * govern → journal against the active {@link io.sigmatch.matcher.rules.RuleSet} and appends every match
 * to the {@link io.sigmatch.journal.MatchJournal}. {@link io.sigmatch.matcher.Pipeline} is the entry
 * point; {@code matcher/README.md} gives the design, the costs and the counters.
 */
package io.sigmatch.matcher;
