package io.sigmatch.decoder.s1ap;

/** S1AP protocol IE ids sigmatch reads (TS 36.413 §9.3.7); every other IE is skipped by its length. */
public final class S1apIe {
    public static final int MME_UE_S1AP_ID = 0;
    public static final int ENB_UE_S1AP_ID = 8;
    public static final int E_RAB_TO_BE_SETUP_LIST_CTXT_SU_REQ = 24;
    public static final int NAS_PDU = 26;
    public static final int TAI = 67;
    public static final int SOURCE_MME_UE_S1AP_ID = 88;
    public static final int S_TMSI = 96;
    public static final int UE_S1AP_IDS = 99;
    public static final int EUTRAN_CGI = 100;

    private S1apIe() {
    }
}
