package io.sigmatch.decoder.gtpv2;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Plmn;

/**
 * Flyweight over the data of a User Location Info IE (TS 29.274 8.21). One flags octet says which
 * location parts follow; the parts come in this fixed order, each only when its flag is set:
 *
 * <pre>
 *   octet 5:  | EMeNB | MeNB | LAI | ECGI | TAI | RAI | SAI | CGI |   (bit 8 .. bit 1)
 *
 *   CGI   (8.21.1)  7 octets: PLMN(3) LAC(2) CI(2)
 *   SAI   (8.21.2)  7 octets: PLMN(3) LAC(2) SAC(2)
 *   RAI   (8.21.3)  7 octets: PLMN(3) LAC(2) RAC(2)
 *   TAI   (8.21.4)  5 octets: PLMN(3) TAC(2)
 *   ECGI  (8.21.5)  7 octets: PLMN(3) spare(4 bits) ECI(28 bits)
 *   LAI   (8.21.6)  5 octets: PLMN(3) LAC(2)
 *   MeNB  (8.21.7)  6 octets: PLMN(3) spare(4 bits) Macro eNodeB ID(20 bits)
 *   EMeNB (8.21.8)  6 octets: PLMN(3) SMeNB(1 bit) spare(2 bits) ID(21 bits; 18 when SMeNB = 1)
 *
 *   PLMN: MCC digit 2|1, MNC digit 3|MCC digit 3, MNC digit 2|1 (TBCD, MNC digit 3 = F for 2 digits)
 * </pre>
 *
 * {@link #wrap} checks that the IE is long enough for every flagged part before any is read, so
 * the accessors of a part whose flag is set are always within bounds. The ULI IE carries no 5GS
 * TAI or NR CGI (those travel in other protocols' ULI encodings), so none is read here.
 */
public final class UserLocationInfo {
    public static final int FLAGS_OFFSET = 0;
    public static final int CGI = 0x01;
    public static final int SAI = 0x02;
    public static final int RAI = 0x04;
    public static final int TAI = 0x08;
    public static final int ECGI = 0x10;
    public static final int LAI = 0x20;
    public static final int MACRO_ENB = 0x40;
    public static final int EXT_MACRO_ENB = 0x80;

    public static final int CGI_LENGTH = 7;
    public static final int SAI_LENGTH = 7;
    public static final int RAI_LENGTH = 7;
    public static final int TAI_LENGTH = 5;
    public static final int ECGI_LENGTH = 7;
    public static final int LAI_LENGTH = 5;
    public static final int MACRO_ENB_LENGTH = 6;
    public static final int EXT_MACRO_ENB_LENGTH = 6;

    /** Within each part the PLMN comes first, then these. */
    public static final int PLMN_LENGTH = 3;
    public static final int AREA_CODE_OFFSET = 3;
    public static final int SECOND_CODE_OFFSET = 5;

    public static final int ECI_MASK = 0x0FFFFFFF;
    public static final int MACRO_ENB_ID_MASK = 0x0FFFFF;
    public static final int SMENB_FLAG = 0x800000;
    public static final int EXT_MACRO_ENB_ID_MASK = 0x1FFFFF;
    public static final int SHORT_MACRO_ENB_ID_MASK = 0x03FFFF;

    private ByteBuf buffer;
    private int flags;
    private int cgi;
    private int sai;
    private int rai;
    private int tai;
    private int ecgi;
    private int lai;
    private int macroEnb;
    private int extMacroEnb;

    /** False when the IE is too short for the parts its flags announce; then nothing may be read. */
    public boolean wrap(final ByteBuf buf, final int offset, final int length) {
        buffer = buf;
        flags = 0;
        if (length < 1) {
            return false;
        }
        final int f = buf.getByte(offset + FLAGS_OFFSET) & 0xFF;
        int at = offset + 1;
        cgi = at;
        at += (f & CGI) != 0 ? CGI_LENGTH : 0;
        sai = at;
        at += (f & SAI) != 0 ? SAI_LENGTH : 0;
        rai = at;
        at += (f & RAI) != 0 ? RAI_LENGTH : 0;
        tai = at;
        at += (f & TAI) != 0 ? TAI_LENGTH : 0;
        ecgi = at;
        at += (f & ECGI) != 0 ? ECGI_LENGTH : 0;
        lai = at;
        at += (f & LAI) != 0 ? LAI_LENGTH : 0;
        macroEnb = at;
        at += (f & MACRO_ENB) != 0 ? MACRO_ENB_LENGTH : 0;
        extMacroEnb = at;
        at += (f & EXT_MACRO_ENB) != 0 ? EXT_MACRO_ENB_LENGTH : 0;
        if (at > offset + length) {
            return false;
        }
        flags = f;
        return true;
    }

    public int flags() {
        return flags;
    }

    public boolean has(final int part) {
        return (flags & part) != 0;
    }

    public long cgiPlmn() {
        return Plmn.fromTbcd(buffer, cgi);
    }

    public int cgiLac() {
        return buffer.getUnsignedShort(cgi + AREA_CODE_OFFSET);
    }

    public int cgiCi() {
        return buffer.getUnsignedShort(cgi + SECOND_CODE_OFFSET);
    }

    public long saiPlmn() {
        return Plmn.fromTbcd(buffer, sai);
    }

    public int saiLac() {
        return buffer.getUnsignedShort(sai + AREA_CODE_OFFSET);
    }

    public int saiSac() {
        return buffer.getUnsignedShort(sai + SECOND_CODE_OFFSET);
    }

    public long raiPlmn() {
        return Plmn.fromTbcd(buffer, rai);
    }

    public int raiLac() {
        return buffer.getUnsignedShort(rai + AREA_CODE_OFFSET);
    }

    public int raiRac() {
        return buffer.getUnsignedShort(rai + SECOND_CODE_OFFSET);
    }

    public long taiPlmn() {
        return Plmn.fromTbcd(buffer, tai);
    }

    public int tac() {
        return buffer.getUnsignedShort(tai + AREA_CODE_OFFSET);
    }

    public long ecgiPlmn() {
        return Plmn.fromTbcd(buffer, ecgi);
    }

    /** TS 29.274 8.21.5: the E-UTRAN cell identifier is 28 bits; the top 4 bits of the octet are spare. */
    public long eci() {
        return buffer.getInt(ecgi + PLMN_LENGTH) & ECI_MASK;
    }

    public long laiPlmn() {
        return Plmn.fromTbcd(buffer, lai);
    }

    public int laiLac() {
        return buffer.getUnsignedShort(lai + AREA_CODE_OFFSET);
    }

    public long macroEnbPlmn() {
        return Plmn.fromTbcd(buffer, macroEnb);
    }

    /** TS 29.274 8.21.7: 20 bits. */
    public int macroEnbId() {
        return buffer.getUnsignedMedium(macroEnb + PLMN_LENGTH) & MACRO_ENB_ID_MASK;
    }

    public long extMacroEnbPlmn() {
        return Plmn.fromTbcd(buffer, extMacroEnb);
    }

    /** TS 29.274 8.21.8: the SMeNB flag selects an 18-bit short instead of a 21-bit long macro eNodeB ID. */
    public boolean extMacroEnbShort() {
        return (buffer.getUnsignedMedium(extMacroEnb + PLMN_LENGTH) & SMENB_FLAG) != 0;
    }

    public int extMacroEnbId() {
        final int v = buffer.getUnsignedMedium(extMacroEnb + PLMN_LENGTH);
        return (v & SMENB_FLAG) != 0 ? v & SHORT_MACRO_ENB_ID_MASK : v & EXT_MACRO_ENB_ID_MASK;
    }
}
