package io.sigmatch.tools.generate;

/**
 * What one completed procedure tells the appliance, as the scenario model knows it: the event kind
 * the emitted messages stand for (DESIGN §4), the capture time of the frame that completed it, and
 * only the fields those messages carry or that the capture itself lets a probe resolve (docs/generator.md).
 * Refilled in place; the oracle reads it during {@link Oracle#onEvent}.
 */
final class ConveyedEvent {
    enum Kind { POWER_ON, POWER_OFF, LOCATION_UPDATE, DATA_SESSION_START, DATA_SESSION_END, CALL_ATTEMPT,
        CALL_FORWARDING_SET, SMS_MO, SMS_MT }

    long timeNs;
    Kind kind;
    /** The model's subscriber the identities belong to; null when the event conveys no identity. */
    SubscriberCursor subscriber;
    String imsi;
    String msisdn;
    /** IMEI body: TAC + SNR, 14 digits. */
    String imei;
    /** Cell index in the CellMap, or -1 when the messages carry no location. */
    int cell = -1;
    /** RAT name as rules spell it, or null. */
    String rat;
    String apn;
    String called;

    ConveyedEvent clear() {
        timeNs = 0;
        kind = null;
        subscriber = null;
        imsi = msisdn = imei = rat = apn = called = null;
        cell = -1;
        return this;
    }
}
