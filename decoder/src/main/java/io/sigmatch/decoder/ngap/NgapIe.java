package io.sigmatch.decoder.ngap;

/** NGAP protocol IE ids sigmatch reads (TS 38.413 §9.4.7); every other IE is skipped by its length. */
public final class NgapIe {
    public static final int AMF_UE_NGAP_ID = 10;
    public static final int FIVE_G_S_TMSI = 26;
    public static final int NAS_PDU = 38;
    public static final int RAN_UE_NGAP_ID = 85;
    public static final int SOURCE_AMF_UE_NGAP_ID = 100;
    public static final int UE_NGAP_IDS = 114;
    public static final int USER_LOCATION_INFORMATION = 121;

    private NgapIe() {
    }
}
