package io.videotranscoder.http.tus;

import java.time.Duration;

/**
 * @param maxSize       the largest upload taken ({@code Tus-Max-Size}): the multipart upload's limit
 * @param expiry        how long an unfinished upload is kept after its last bytes arrived
 * @param maxOpenPerKey how many unfinished uploads one API key may have (0: any number)
 */
public record TusSettings(long maxSize, Duration expiry, int maxOpenPerKey) {
}
