package io.videotranscoder.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.FileChecks;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Checks a multipart upload (streamed to disk by the HTTP server) and its fields, and makes a {@link JobRequest} of
 * it. Nothing is read into memory but the first few KiB of the file.
 */
public class UploadReceiver {

    private static final Set<String> UNSUPPORTED = Set.of("priority");

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
        if (in instanceof HttpMessage http) {
            CutBodies.arrived(http.getRequest()); // whole: storing it may take longer than a cut body is waited for
        }
        disk.requireFree();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("multipart/form-data")) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "Send the video as multipart/form-data with a part named 'file'.", null);
        }
        for (String field : UNSUPPORTED) {
            if (in.getHeader(field) != null) {
                throw Refusal.invalidField(field, field + " is not supported by this server yet.");
            }
        }
        DataHandler part = exchange.getIn(AttachmentMessage.class).getAttachment("file");
        if (part == null || !(part.getDataSource() instanceof FileDataSource source)) {
            throw Refusal.invalidField("file", "A multipart part named 'file' holding the video is required.");
        }
        Path file = source.getFile().toPath();
        FileChecks.requireVideoLike(file);
        String preset = field(in, "preset");
        String codec = field(in, "codec");
        String bitrate = field(in, "bitrate");
        String resolution = field(in, "resolution");
        boolean custom = codec != null || bitrate != null || resolution != null;
        if (preset != null && custom) {
            throw Refusal.invalidField("preset", "Give either a preset or codec/bitrate/resolution, not both.");
        }
        Preset chosen = custom ? TranscodeOptions.parse(codec, bitrate, resolution, encoders).toPreset()
                : presets.usable(preset == null ? PresetCatalog.DEFAULT : preset);
        return new JobRequest("api", file, part.getName(), chosen);
    }

    private static String field(Message in, String name) {
        String value = in.getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }
}
