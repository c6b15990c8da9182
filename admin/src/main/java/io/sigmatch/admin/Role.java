package io.sigmatch.admin;

import java.util.Locale;

/**
 * What a bearer token may do on the admin plane. Roles are nested: each includes the ones before it
 * ({@code ops} ⊂ {@code platform} ⊂ {@code admin}), so the platform that pushes snapshots can also
 * read health, and an administrator can do everything.
 *
 * <ul>
 *   <li>{@link #OPS}: health, metrics, the status page's figures;</li>
 *   <li>{@link #PLATFORM}: upload, inspect and activate snapshots, read matches;</li>
 *   <li>{@link #ADMIN}: everything, including token management, roll-back and the audit log.</li>
 * </ul>
 */
public enum Role {
    OPS, PLATFORM, ADMIN;

    /** True when a token of this role may call an endpoint that requires {@code required}. */
    public boolean includes(final Role required) {
        return ordinal() >= required.ordinal();
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of that name (ops, platform, admin), null when there is none. */
    public static Role byName(final String name) {
        for (final Role r : values()) {
            if (r.jsonName().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
