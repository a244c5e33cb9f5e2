package io.videotranscoder.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a key may do. {@code admin} may do everything, over every tenant's jobs. */
public enum Scope {
    JOBS_READ("jobs:read"),
    JOBS_WRITE("jobs:write"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** @throws IllegalArgumentException naming the scopes there are, for a value that is none of them */
    public static Scope of(String value) {
        return Arrays.stream(values()).filter(scope -> scope.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("A scope is one of " + names() + ", not '"
                        + value + "'."));
    }

    /** Scopes written {@code jobs:read,jobs:write} (commas or spaces); at least one. */
    public static Set<Scope> parse(String list) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String value : list == null ? new String[0] : list.split("[,\\s]+")) {
            if (!value.isEmpty()) {
                scopes.add(of(value));
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("Give at least one scope: " + names() + ".");
        }
        return scopes;
    }

    /** What {@code held} grants: admin grants every scope. */
    public static Set<Scope> granted(Set<Scope> held) {
        return held.contains(ADMIN) ? EnumSet.allOf(Scope.class) : EnumSet.copyOf(held);
    }

    /** The values, space-separated in declaration order, as stored. */
    public static String join(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::value).collect(Collectors.joining(" "));
    }

    public static String names() {
        return Arrays.stream(values()).map(Scope::value).collect(Collectors.joining(", "));
    }
}
