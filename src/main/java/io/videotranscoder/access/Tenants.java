package io.videotranscoder.access;

import java.util.regex.Pattern;

/** Tenant names: short, lower-case words, so that they can be shown, stored and compared as they are. */
public final class Tenants {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private Tenants() {
    }

    /** @throws IllegalArgumentException saying what a tenant's name may be */
    public static String require(String tenant) {
        if (tenant == null || !NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("A tenant is 1 to 63 lower-case letters, digits, '-' or '_', starting"
                                               + " with a letter or digit.");
        }
        return tenant;
    }
}
