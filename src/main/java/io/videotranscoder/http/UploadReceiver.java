package io.videotranscoder.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.FileChecks;
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

    private static final Set<String> UNSUPPORTED = Set.of("callbackUrl", "priority");

    private final PresetCatalog presets;
    private final Set<String> encoders;
    private final DiskSpace disk;

    public UploadReceiver(PresetCatalog presets, Set<String> encoders, DiskSpace disk) {
        this.presets = presets;
        this.encoders = encoders;
        this.disk = disk;
    }

    public JobRequest receive(Exchange exchange) throws IOException {
        disk.requireFree();
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
        FileChecks.requireVideoLike(file);
        String preset = field(in, "preset");
        String codec = field(in, "codec");
        String bitrate = field(in, "bitrate");
        String resolution = field(in, "resolution");
        boolean custom = codec != null || bitrate != null || resolution != null;
        if (preset != null && custom) {
            throw ProblemException.badField("preset", "Give either a preset or codec/bitrate/resolution, not both.");
        }
        Preset chosen = custom ? TranscodeOptions.parse(codec, bitrate, resolution, encoders).toPreset()
                : usable(presets, preset == null ? PresetCatalog.DEFAULT : preset);
        return new JobRequest("api", file, part.getName(), chosen);
    }

    /** A preset by name: 400 when there is none, 422 when this FFmpeg cannot run it. */
    public static Preset usable(PresetCatalog presets, String name) {
        Preset preset = presets.find(name).orElseThrow(() -> ProblemException.badField("preset",
                "Unknown preset '" + name + "'; available: " + presets.names() + "."));
        if (!presets.available(preset)) {
            throw ProblemException.unprocessable("Preset " + name + " cannot run here: "
                                                 + presets.unavailableReason(preset) + ".", "preset");
        }
        return preset;
    }

    private static String field(Message in, String name) {
        String value = in.getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }
}
