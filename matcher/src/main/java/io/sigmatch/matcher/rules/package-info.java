/**
 * Rule snapshots (DESIGN §13): {@link io.sigmatch.matcher.rules.RuleSnapshotParser} validates the JSON
 * document and the lists it names and compiles them into an immutable
 * {@link io.sigmatch.matcher.rules.RuleSet} of {@link io.sigmatch.matcher.rules.Rule}s the match
 * stages evaluate without allocating.
 *
 * <p>This build evaluates the event triggers ({@code powerOn}, {@code powerOff}, {@code locationUpdate},
 * {@code sms}, {@code dataSession}) and {@code hotlineCall}, with {@code filter} ({@code rat},
 * {@code apn}, {@code direction} for sms), {@code include}/{@code exclude} lists of kind msisdn, imsi
 * or tac, {@code valid}, {@code priority} and {@code payload}. Everything else DESIGN §13 defines is
 * refused as "not supported yet", never ignored.
 */
package io.sigmatch.matcher.rules;
