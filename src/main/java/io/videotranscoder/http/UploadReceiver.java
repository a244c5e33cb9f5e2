package io.videotranscoder.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.job.StreamedInput;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.FileChecks;
import io.videotranscoder.webhook.Callbacks;
import io.vertx.core.MultiMap;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Checks a multipart upload (streamed to disk by the HTTP server, or into the object store by {@link StreamedUploads})
 * and its fields, and makes a {@link JobRequest} of it. Nothing is read into memory but the first few KiB of the file.
 */
public class UploadReceiver {

    private static final Set<String> UNSUPPORTED = Set.of("priority");
    /** The form's fields besides the file: this step's, and those the route's next steps read. */
    private static final List<String> FIELDS = List.of("preset", "codec", "bitrate", "resolution", "priority",
            Callbacks.FIELD, SplitField.FIELD);

    private final PresetCatalog presets;
    private final Set<String> encoders;
    private final DiskSpace disk;

    public UploadReceiver(PresetCatalog presets, Set<String> encoders, DiskSpace disk) {
        this.presets = presets;
        this.encoders = encoders;
        this.disk = disk;
    }

    public JobRequest receive(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        UploadStream streamed = null;
        if (in instanceof HttpMessage http) {
            streamed = StreamedUploads.of(http.getRequest());
        }
        if (streamed == null) {
            disk.requireFree(); // a streamed upload is in the object store, on no disk of this server's
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("multipart/form-data")) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "Send the video as multipart/form-data with a part named 'file'.", null);
        }
        formFieldsOnly(in);
        UnaryOperator<String> fields = name -> Parameters.single(in, name);
        refuseUnsupported(fields);
        if (streamed != null) {
            return streamed(streamed, fields);
        }
        // platform-http counts the file parts it received, and keeps one attachment per name.
        requireOneFile(in.getHeader(Exchange.ATTACHMENTS_SIZE, 0, Integer.class));
        DataHandler part = exchange.getIn(AttachmentMessage.class).getAttachment("file");
        if (part == null || !(part.getDataSource() instanceof FileDataSource source)) {
            throw Refusal.invalidField("file", "A multipart part named 'file' holding the video is required.");
        }
        Path file = source.getFile().toPath();
        FileChecks.requireVideoLike(file);
        Preset chosen = preset(fields);
        return new JobRequest("api", file, part.getName(), chosen);
    }

    /** The same checks of an upload streamed into the object store, from its size and first bytes. */
    private JobRequest streamed(UploadStream streamed, UnaryOperator<String> fields) {
        requireOneFile(streamed.files());
        StreamedInput input = streamed.input();
        if (input == null) {
            throw Refusal.invalidField("file", "A multipart part named 'file' holding the video is required.");
        }
        FileChecks.requireVideoLike(input.size(), streamed.head());
        return new JobRequest(input, streamed.clientName(), preset(fields));
    }

    /**
     * The preset a request's fields ask for ({@code preset}, or {@code codec}, {@code bitrate}, {@code resolution}),
     * whichever way they came (multipart form fields, a resumable upload's metadata).
     *
     * @param fields a field's value by its name; null when absent
     * @throws Refusal naming the field that cannot be taken
     */
    public Preset preset(UnaryOperator<String> fields) {
        refuseUnsupported(fields);
        String preset = blankless(fields.apply("preset"));
        String codec = blankless(fields.apply("codec"));
        String bitrate = blankless(fields.apply("bitrate"));
        String resolution = blankless(fields.apply("resolution"));
        boolean custom = codec != null || bitrate != null || resolution != null;
        if (preset != null && custom) {
            throw Refusal.invalidField("preset", "Give either a preset or codec/bitrate/resolution, not both.");
        }
        return custom ? TranscodeOptions.parse(codec, bitrate, resolution, encoders).toPreset()
                : presets.usable(preset == null ? PresetCatalog.DEFAULT : preset);
    }

    /**
     * Leaves the form's fields, and only they, under their names in the message's headers, where this step and the
     * next ones ({@link CallbackField}, {@link SplitField}) read them: platform-http copies every request header and
     * query parameter there too, so a browser's {@code Priority} header (RFC 9218) read as the unsupported field, and
     * {@code ?preset=} chose the preset.
     */
    private static void formFieldsOnly(Message in) {
        if (!(in instanceof HttpMessage http)) {
            return; // a route test's message: its headers are its fields
        }
        MultiMap form = http.getRequest().formAttributes();
        for (String name : FIELDS) {
            List<String> values = form.getAll(name);
            in.removeHeader(name);
            if (!values.isEmpty()) {
                in.setHeader(name, values.size() == 1 ? values.get(0) : List.copyOf(values));
            }
        }
    }

    /** Two files in one upload would make one job, of one of them: the other would be dropped without a word. */
    private static void requireOneFile(int files) {
        if (files > 1) {
            throw Refusal.invalidField("file", "Send one video per upload; this one holds " + files + " files.");
        }
    }

    private static void refuseUnsupported(UnaryOperator<String> fields) {
        for (String field : UNSUPPORTED) {
            if (fields.apply(field) != null) {
                throw Refusal.invalidField(field, field + " is not supported by this server yet.");
            }
        }
    }

    private static String blankless(String value) {
        return value == null || value.isBlank() ? null : value;
    }

}
