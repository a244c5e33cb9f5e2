package io.videotranscoder.webhook;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One attempt of a delivery, as {@code GET /jobs/{id}/deliveries} shows it.
 *
 * @param statusCode what the receiver answered; null when no answer came
 * @param error      why no answer came (refused address, timeout, connection refused); null when one came
 * @param outcome    {@code delivered}, {@code retry}, {@code dead} or {@code gone}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(int attempt, Instant at, Integer statusCode, String error, long durationMs, String outcome) {
}
