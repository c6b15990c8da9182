package io.sigmatch.tools.generate;

import java.util.List;
import java.util.Map;

/**
 * One rule of the generated snapshot, in the terms of DESIGN §13. The snapshot writer prints these
 * and the oracle evaluates the very same objects, so the file and the ground truth cannot drift.
 */
record RuleDef(String id, String type, Map<String, Object> params, List<String> rat, List<String> apn,
    List<String> direction, List<String> include, List<String> exclude, Long validFromNs, Long validToNs,
    String validFromText, String validToText, QuietHours quietHours, Cap cap, int priority, String payloadJson) {

    record QuietHours(String from, String to, boolean defer) {
    }

    record Cap(int count, String per, long perNs) {
    }

    int intParam(final String name) {
        return ((Number) params.get(name)).intValue();
    }

    String stringParam(final String name) {
        return (String) params.get(name);
    }
}
