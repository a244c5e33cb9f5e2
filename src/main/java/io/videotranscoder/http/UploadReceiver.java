package io.videotranscoder.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.JobRequest;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * Checks a multipart upload (streamed to disk by the HTTP server) and its fields, and makes a {@link JobRequest} of
 * it. Nothing is read into memory but the first few KiB of the file.
 */
public class UploadReceiver {

    public static final String DEFAULT_PRESET = "h264-720p";
    public static final String CUSTOM_PRESET = "custom";
    private static final Set<String> UNSUPPORTED = Set.of("callbackUrl", "priority");
    private static final int SNIFF_BYTES = 4096;

    private final Set<String> encoders;

    public UploadReceiver(Set<String> encoders) {
        this.encoders = encoders;
    }

    public JobRequest receive(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("multipart/form-data")) {
            throw new ProblemException(415, "Unsupported media type",
                    "Send the video as multipart/form-data with a part named 'file'.", null);
        }
        for (String field : UNSUPPORTED) {
            if (in.getHeader(field) != null) {
                throw ProblemException.badField(field, field + " is not supported by this server yet.");
            }
        }
        DataHandler part = exchange.getIn(AttachmentMessage.class).getAttachment("file");
        if (part == null || !(part.getDataSource() instanceof FileDataSource source)) {
            throw ProblemException.badField("file", "A multipart part named 'file' holding the video is required.");
        }
        Path file = source.getFile().toPath();
        if (Files.size(file) == 0) {
            throw ProblemException.unprocessable("The uploaded file is empty.", "file");
        }
        if (looksLikeText(file)) {
            throw ProblemException.unsupportedMedia("The uploaded file is text, not a video.");
        }
        String preset = field(in, "preset");
        String codec = field(in, "codec");
        String bitrate = field(in, "bitrate");
        String resolution = field(in, "resolution");
        boolean custom = codec != null || bitrate != null || resolution != null;
        if (preset != null && custom) {
            throw ProblemException.badField("preset", "Give either a preset or codec/bitrate/resolution, not both.");
        }
        if (preset != null && !DEFAULT_PRESET.equals(preset)) {
            throw ProblemException.badField("preset", "Unknown preset; available: " + DEFAULT_PRESET + ".");
        }
        TranscodeOptions options = TranscodeOptions.parse(codec, bitrate, resolution, encoders);
        return new JobRequest("api", file, part.getName(), custom ? CUSTOM_PRESET : DEFAULT_PRESET, options);
    }

    private static String field(Message in, String name) {
        String value = in.getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }

    /** Every video container has binary headers early on; a start that is valid UTF-8 without NUL bytes is text. */
    static boolean looksLikeText(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        // A file longer than the window may cut a multi-byte character: that is not malformed input, only more to come.
        boolean whole = head.length < SNIFF_BYTES;
        CharBuffer chars = CharBuffer.allocate(head.length);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return !utf8.decode(ByteBuffer.wrap(head), chars, whole).isError() && (!whole || !utf8.flush(chars).isError());
    }
}
