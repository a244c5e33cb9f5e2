package io.videotranscoder.access;

import java.util.EnumSet;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which scope each call needs, and what each scope grants. */
class ScopePolicyTest {

    @ParameterizedTest
    @CsvSource({
            "GET, /jobs, jobs:read",
            "GET, /jobs/58c243b8-e30a-474e-b707-9ef819067e7b, jobs:read",
            "HEAD, /jobs/x/output, jobs:read",
            "HEAD, /uploads/x, jobs:write",
            "POST, /uploads/, jobs:write",
            "PATCH, /uploads/x, jobs:write",
            "GET, /jobs/x/outputs/master.m3u8, jobs:read",
            "GET, /status/x, jobs:read",
            "GET, /events, jobs:read",
            "GET, /jobs/x/events, jobs:read",
            "POST, /events/token, jobs:read",
            "POST, /events, jobs:write",
            "POST, /jobs, jobs:write",
            "POST, /transcode, jobs:write",
            "POST, /jobs/x/retry, jobs:write",
            "GET, /callback-secret, jobs:write",
            "GET, /callback-secret/, jobs:write",
            "GET, /callback-secret//, jobs:write",
            "POST, /events/token/, jobs:read",
            "GET, /admin/, admin",
            "DELETE, /jobs/x, jobs:write",
            "GET, /admin/keys, admin",
            "POST, /admin/keys, admin",
            "DELETE, /admin/keys/0123456789abcdef, admin",
            "GET, /admin, admin",
            "GET, /nothing/here, jobs:read",
            "PUT, /presets, jobs:write"})
    void each_call_needs_its_scope(String method, String path, String scope) {
        assertEquals(Optional.of(Scope.of(scope)), ScopePolicy.required(method, path));
    }

    @Test
    void any_valid_key_reads_the_presets() {
        assertEquals(Optional.empty(), ScopePolicy.required("GET", "/presets"));
        assertEquals(Optional.empty(), ScopePolicy.required("HEAD", "/presets"));
    }

    @Test
    void admin_grants_every_scope_and_others_only_their_own() {
        assertEquals(EnumSet.allOf(Scope.class), Scope.granted(EnumSet.of(Scope.ADMIN)));
        assertEquals(EnumSet.of(Scope.JOBS_READ), Scope.granted(EnumSet.of(Scope.JOBS_READ)));

        Caller writer = new Caller("0123456789abcdef", "acme", EnumSet.of(Scope.JOBS_WRITE));
        assertTrue(writer.may(Scope.JOBS_WRITE));
        assertFalse(writer.may(Scope.JOBS_READ));
        assertFalse(writer.admin());
        assertTrue(Caller.keyless().admin());
        assertEquals("default", Caller.keyless().tenant());
    }

    @Test
    void scopes_are_read_from_commas_or_spaces_and_an_unknown_one_is_named() {
        assertEquals(EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE), Scope.parse("jobs:read,jobs:write"));
        assertEquals(EnumSet.of(Scope.JOBS_READ, Scope.ADMIN), Scope.parse("admin jobs:read"));
        assertEquals("jobs:read jobs:write", Scope.join(Scope.parse("jobs:write,jobs:read")));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Scope.parse("jobs:all"));
        assertTrue(unknown.getMessage().contains("jobs:all"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(" , "));
    }
}
