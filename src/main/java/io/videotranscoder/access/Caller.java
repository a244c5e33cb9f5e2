package io.videotranscoder.access;

import java.util.EnumSet;
import java.util.Set;

import io.videotranscoder.job.JobOwner;

/**
 * Who makes a request: the key's id (null when no key was needed: protected mode on loopback, or checks off), its
 * tenant, and the scopes it was given.
 */
public record Caller(String keyId, String tenant, Set<Scope> scopes) {

    public static final String DEFAULT_TENANT = JobOwner.DEFAULT_TENANT;

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** A request served without a key: an admin of the default tenant. */
    public static Caller keyless() {
        return new Caller(null, DEFAULT_TENANT, EnumSet.of(Scope.ADMIN));
    }

    public boolean admin() {
        return scopes.contains(Scope.ADMIN);
    }

    public boolean may(Scope scope) {
        return Scope.granted(scopes).contains(scope);
    }
}
