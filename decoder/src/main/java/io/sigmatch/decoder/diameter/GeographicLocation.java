package io.sigmatch.decoder.diameter;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Plmn;

/**
 * Flyweight over the data of a 3GPP-User-Location-Info AVP (vendor 10415, code 22; TS 29.061
 * 16.4.7.2, the RADIUS attribute reused by Gx/Gy): one Geographic Location Type octet, then the
 * location in the coding of TS 29.274 8.21 (CGI/SAI/RAI as TS 29.060 7.7.51, which is the same):
 *
 * <pre>
 *   type  location                 octets after the type octet
 *      0  CGI                      PLMN(3) LAC(2) CI(2)
 *      1  SAI                      PLMN(3) LAC(2) SAC(2)
 *      2  RAI                      PLMN(3) LAC(2) RAC(1, +1 spare in the GTPv2 form)
 *    128  TAI                      PLMN(3) TAC(2)
 *    129  ECGI                     PLMN(3) spare(4 bits) ECI(28 bits)
 *    130  TAI and ECGI             TAI(5) ECGI(7)
 *    131  eNodeB ID                PLMN(3) spare(4 bits) macro eNodeB ID(20 bits)   (29.274 8.21.7)
 *    132  TAI and eNodeB ID        TAI(5) eNodeB ID(6)
 *    133  extended eNodeB ID       PLMN(3) SMeNB(1 bit) spare(2) ID(21 bits, 18 when SMeNB) (8.21.8)
 *    134  TAI and ext. eNodeB ID   TAI(5) extended eNodeB ID(6)
 *    135  NCGI                     PLMN(3) spare(4 bits) NR cell identity(36 bits)  (29.274 8.21.11 / 23.003 19.6A)
 *    136  5GS TAI                  PLMN(3) 5GS TAC(3)                               (23.003 19.4.2.3)
 *    137  5GS TAI and NCGI         5GS TAI(6) NCGI(8)
 *
 *   PLMN: MCC digit 2|1, MNC digit 3|MCC digit 3, MNC digit 2|1 (MNC digit 3 = F for two digits)
 * </pre>
 *
 * The type values are those of TS 29.061 Table 16.4.7.2 as Wireshark 4.0 names them (gtpv2.glt).
 * 138/139 (NG-RAN node ID) carry a variable-length gNB ID and are not read. {@link #wrap} checks
 * the length for the type before anything is read.
 */
public final class GeographicLocation {
    public static final int CGI = 0;
    public static final int SAI = 1;
    public static final int RAI = 2;
    public static final int TAI = 128;
    public static final int ECGI = 129;
    public static final int TAI_ECGI = 130;
    public static final int ENODEB = 131;
    public static final int TAI_ENODEB = 132;
    public static final int EXT_ENODEB = 133;
    public static final int TAI_EXT_ENODEB = 134;
    public static final int NCGI = 135;
    public static final int TAI_5GS = 136;
    public static final int TAI_5GS_NCGI = 137;

    public static final int PLMN_LENGTH = 3;
    public static final int CGI_LENGTH = 7;
    public static final int RAI_MIN_LENGTH = 6;
    public static final int TAI_LENGTH = 5;
    public static final int ECGI_LENGTH = 7;
    public static final int ENODEB_LENGTH = 6;
    public static final int NCGI_LENGTH = 8;
    public static final int TAI_5GS_LENGTH = 6;

    public static final int ECI_MASK = 0x0FFFFFFF;
    public static final long NCI_MASK = 0xFFFFFFFFFL;

    private ByteBuf buffer;
    private int type = -1;
    private int tai = -1;
    private int cell = -1;

    /**
     * False when the type is not one sigmatch reads or the AVP is too short for it; then nothing
     * may be read. {@code offset}/{@code length} are the AVP's data.
     */
    public boolean wrap(final ByteBuf buf, final int offset, final int length) {
        buffer = buf;
        type = -1;
        tai = -1;
        cell = -1;
        if (length < 1) {
            return false;
        }
        final int t = buf.getUnsignedByte(offset);
        final int at = offset + 1;
        final int n = length - 1;
        final int need;
        switch (t) {
            case CGI:
            case SAI:
                need = CGI_LENGTH;
                cell = at;
                break;
            case RAI:
                need = RAI_MIN_LENGTH;
                cell = at;
                break;
            case TAI:
                need = TAI_LENGTH;
                tai = at;
                break;
            case ECGI:
                need = ECGI_LENGTH;
                cell = at;
                break;
            case TAI_ECGI:
                need = TAI_LENGTH + ECGI_LENGTH;
                tai = at;
                cell = at + TAI_LENGTH;
                break;
            case ENODEB:
            case EXT_ENODEB:
                need = ENODEB_LENGTH;
                cell = at;
                break;
            case TAI_ENODEB:
            case TAI_EXT_ENODEB:
                need = TAI_LENGTH + ENODEB_LENGTH;
                tai = at;
                cell = at + TAI_LENGTH;
                break;
            case NCGI:
                need = NCGI_LENGTH;
                cell = at;
                break;
            case TAI_5GS:
                need = TAI_5GS_LENGTH;
                tai = at;
                break;
            case TAI_5GS_NCGI:
                need = TAI_5GS_LENGTH + NCGI_LENGTH;
                tai = at;
                cell = at + TAI_5GS_LENGTH;
                break;
            default:
                return false;
        }
        if (n < need) {
            tai = -1;
            cell = -1;
            return false;
        }
        type = t;
        return true;
    }

    public int type() {
        return type;
    }

    public boolean hasTai() {
        return tai >= 0;
    }

    /** True for the 5GS TAI forms, whose TAC is 24 bits. */
    public boolean is5gsTai() {
        return type == TAI_5GS || type == TAI_5GS_NCGI;
    }

    public long taiPlmn() {
        return Plmn.fromTbcd(buffer, tai);
    }

    /** TAC: 16 bits (TS 29.274 8.21.4), 24 bits for a 5GS TAI (TS 23.003 19.4.2.3). */
    public int tac() {
        return is5gsTai() ? buffer.getUnsignedMedium(tai + PLMN_LENGTH) : buffer.getUnsignedShort(tai + PLMN_LENGTH);
    }

    /** True when a part after the TAI names a cell or base station (CGI, SAI, RAI, ECGI, eNodeB, NCGI). */
    public boolean hasCell() {
        return cell >= 0;
    }

    public long cellPlmn() {
        return Plmn.fromTbcd(buffer, cell);
    }

    /** LAC of CGI, SAI or RAI. */
    public int lac() {
        return buffer.getUnsignedShort(cell + PLMN_LENGTH);
    }

    /** CI of a CGI, SAC of a SAI. */
    public int secondCode() {
        return buffer.getUnsignedShort(cell + PLMN_LENGTH + 2);
    }

    /** TS 29.274 8.21.5: 28 bits, the top four bits of the first octet are spare. */
    public long eci() {
        return buffer.getInt(cell + PLMN_LENGTH) & ECI_MASK;
    }

    /** TS 29.274 8.21.11: 36 bits after four spare bits. */
    public long nci() {
        final long hi = buffer.getUnsignedByte(cell + PLMN_LENGTH) & 0x0F;
        return hi << 32 | buffer.getUnsignedInt(cell + PLMN_LENGTH + 1);
    }

    public boolean isEcgi() {
        return type == ECGI || type == TAI_ECGI;
    }

    public boolean isNcgi() {
        return type == NCGI || type == TAI_5GS_NCGI;
    }

    public boolean isEnodeB() {
        return type == ENODEB || type == EXT_ENODEB || type == TAI_ENODEB || type == TAI_EXT_ENODEB;
    }
}
