package io.videotranscoder.events;

/**
 * One event as a stream sends it: its id, its name ({@code job.started}, ...) and its data, one line of JSON.
 */
public record SentEvent(String id, String type, String data) {
}
