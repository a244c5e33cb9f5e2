package io.videotranscoder.storage;

import java.net.URI;
import java.util.regex.Pattern;

import io.videotranscoder.process.SettingUri;
import io.videotranscoder.process.StartRefusal;

/**
 * {@code TRANSCODER_STORAGE}: blank for the local data root, or {@code s3://bucket/prefix} for an S3-compatible
 * store, the prefix (optional) put before every key.
 *
 * @param bucket null for the local data root
 * @param prefix empty, or ending in {@code /}
 */
public record StorageUri(String bucket, String prefix) {

    public static final StorageUri LOCAL = new StorageUri(null, "");
    /** S3's own rule for bucket names (3 to 63 lower-case letters, digits, dots and hyphens). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public static StorageUri parse(String value) {
        if (value == null || value.isBlank()) {
            return LOCAL;
        }
        URI uri = SettingUri.parse(value.strip()).filter(u -> "s3".equals(u.getScheme()) && u.getHost() != null)
                .orElse(null);
        if (uri == null || !BUCKET.matcher(uri.getHost()).matches()) {
            throw new StartRefusal("TRANSCODER_STORAGE must be blank (the local data root) or"
                                               + " s3://bucket/prefix, not " + value);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
        return new StorageUri(uri.getHost(), path.isEmpty() ? "" : path + "/");
    }

    public boolean local() {
        return bucket == null;
    }

    /** The routes that move files for this storage: routes/storage/{@code local} or {@code s3}. */
    public String routes() {
        return local() ? "local" : "s3";
    }
}
