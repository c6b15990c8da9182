package io.sigmatch.decoder.sigtran;

/**
 * What each SIGTRAN layer saw, for diagnostics and the differential tests against Wireshark (which
 * compare M3UA, SCCP and TCAP fields the normalized message has no place for). Called on the
 * decoding thread with primitives only; the default does nothing, so the hot path pays one
 * interface call per layer.
 */
public interface SigtranTap {
    SigtranTap NONE = new SigtranTap() {
    };

    /** One M3UA message (or an M2UA DATA, with class 6); -1 for what it did not carry. */
    default void m3ua(long frame, int messageClass, int messageType, long routingContext, int opc, int dpc, int si,
        int ni) {
    }

    /** One SCCP connectionless message, after reassembly for the last segment. */
    default void sccp(long frame, int messageType, SccpAddress called, SccpAddress calling) {
    }

    /**
     * One TCAP message: type is the tag number (Begin 2, End 4, Continue 5, Abort 7, Unidirectional 1);
     * transaction ids are the octets as an unsigned number with their length ({@code tidLength}
     * 0 when absent); {@code acn} the last two arcs of the application-context name (context << 8 |
     * version), -1 when the dialogue portion names none.
     */
    default void tcap(long frame, int type, long otid, int otidLength, long dtid, int dtidLength, int acn) {
    }

    /** One component: type is the tag number (Invoke 1, ReturnResultLast 2, ReturnError 3, Reject 4, ReturnResult 7). */
    default void component(long frame, boolean cap, int type, int opcode) {
    }
}
