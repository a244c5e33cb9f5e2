package io.videotranscoder.access;

import java.util.Optional;

/**
 * The scope each call needs, from its method and path: {@code /admin/...} needs admin; the presets need only a valid
 * key; every other read (GET, HEAD) needs jobs:read, and so does a token for reading event streams
 * ({@code POST /events/token}); every other call (submit, cancel, retry, delete) jobs:write, and so does every call of
 * a resumable upload, its HEAD included, and reading the tenant's callback secret.
 * The original API's calls follow the same rule: POST /transcode writes, GET /status/{id} reads.
 */
public final class ScopePolicy {

    private ScopePolicy() {
    }

    /**
     * @param rawPath the request's normalised path; trailing slashes do not count (the router takes {@code /x/} for
     *                {@code /x}, so a check that told them apart would let {@code /x/} through with another scope)
     * @return the scope needed, or empty when any valid key may make the call
     */
    public static Optional<Scope> required(String method, String rawPath) {
        String path = rawPath.replaceAll("(?<=.)/+$", ""); // "/" stays
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return Optional.of(Scope.ADMIN);
        }
        if (path.equals("/callback-secret")) {
            return Optional.of(Scope.JOBS_WRITE); // it signs what a key that sets callbacks is sent
        }
        if (path.equals("/uploads") || path.startsWith("/uploads/")) {
            // A resumable upload's HEAD is a step of writing it: a key that may upload must be able to resume.
            return Optional.of(Scope.JOBS_WRITE);
        }
        boolean read = method.equals("GET") || method.equals("HEAD")
                       || method.equals("POST") && path.equals("/events/token");
        if (read && (path.equals("/presets") || path.startsWith("/presets/"))) {
            return Optional.empty();
        }
        return Optional.of(read ? Scope.JOBS_READ : Scope.JOBS_WRITE);
    }
}
