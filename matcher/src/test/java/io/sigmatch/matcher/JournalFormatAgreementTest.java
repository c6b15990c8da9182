package io.sigmatch.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import org.junit.jupiter.api.Test;

/**
 * The journal formats identities, PLMNs and times with its own copy of the decoder's packing (it must
 * not depend on the decoder); here, where both are on the class path, the two must agree.
 */
class JournalFormatAgreementTest {
    @Test
    void journalJsonFormatsAsTheDecoderDoes() {
        final long seed = Long.getLong("sigmatch.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            final int length = 1 + random.nextInt(Digits.MAX_DIGITS);
            final long packed = Digits.pack(random.nextLong((long) Math.pow(10, length)), length);
            final int mncDigits = 2 + random.nextInt(2);
            final long plmn = Plmn.of(random.nextInt(1000), random.nextInt(mncDigits == 3 ? 1000 : 100), mncDigits);
            final long time = random.nextLong();
            final MatchRecord r = new MatchRecord().ruleId("r").snapshot("v").imsi(packed).plmn(plmn).timeNs(time);
            final String json = MatchJson.toJson(r);
            final String time2 = SignalingJson.appendEpoch(time, new StringBuilder()).toString();
            assertEquals(true, json.contains("\"imsi\":\"" + Digits.toString(packed) + "\""), "seed " + seed + ": " + json);
            assertEquals(true, json.contains("\"mcc\":" + Plmn.mcc(plmn) + ",\"mnc\":" + Plmn.mnc(plmn) + ","), "seed " + seed);
            assertEquals(true, json.contains("\"time\":\"" + time2 + "\""), "seed " + seed + ": " + json);
        }
    }
}
