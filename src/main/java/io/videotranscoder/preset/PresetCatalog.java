package io.videotranscoder.preset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.refusal.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presets this service offers: those shipped in the jar, then the operator's folder, which adds or replaces by
 * name. Each is available only when this FFmpeg has every encoder it needs.
 */
public class PresetCatalog {

    public static final String DEFAULT = "h264-720p";
    private static final Logger LOG = LoggerFactory.getLogger(PresetCatalog.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, Preset> presets;
    private final Set<String> encoders;

    /** The YAML file's shape: a list under {@code presets}. */
    record PresetFile(List<Preset> presets) {
    }

    public PresetCatalog(Collection<Preset> presets, Set<String> encoders) {
        this.presets = new TreeMap<>();
        presets.forEach(p -> this.presets.put(p.name(), p.validated()));
        this.encoders = encoders;
        this.presets.values().stream().filter(p -> !available(p))
                .forEach(p -> LOG.warn("Preset {} is unavailable: {}", p.name(), unavailableReason(p)));
    }

    /** The shipped presets, then each {@code *.yaml} of {@code operatorDir} (when set) in name order. */
    public static PresetCatalog load(Path operatorDir, Set<String> encoders) throws IOException {
        Map<String, Preset> all = new TreeMap<>();
        try (InputStream in = PresetCatalog.class.getResourceAsStream("/presets.yaml")) {
            read(in, "presets.yaml").forEach(p -> all.put(p.name(), p));
        }
        if (operatorDir != null && !Files.isDirectory(operatorDir)) {
            // A mistyped folder made the shipped presets run instead of the operator's, silently.
            throw new StartRefusal("TRANSCODER_PRESETS_DIR is not a folder: " + operatorDir.toAbsolutePath() + ".");
        }
        if (operatorDir != null) {
            try (var files = Files.list(operatorDir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        read(in, file.toString()).forEach(p -> all.put(p.name(), p));
                    }
                }
            }
        }
        return new PresetCatalog(all.values(), encoders);
    }

    private static List<Preset> read(InputStream in, String source) throws IOException {
        try {
            PresetFile file = YAML.readValue(in, PresetFile.class);
            return file.presets() == null ? List.of() : file.presets();
        } catch (IOException e) {
            throw new IOException("Cannot read presets from " + source + ": " + e.getMessage(), e);
        }
    }

    public Optional<Preset> find(String name) {
        return Optional.ofNullable(presets.get(name));
    }

    /** A preset by name: a refusal of the field when there is none (400), or when this FFmpeg cannot run it (422). */
    public Preset usable(String name) {
        Preset preset = find(name).orElseThrow(() -> Refusal.invalidField("preset",
                "Unknown preset '" + name + "'; available: " + names() + "."));
        if (!available(preset)) {
            throw Refusal.cannotProcess("Preset " + name + " cannot run here: " + unavailableReason(preset) + ".",
                    "preset");
        }
        return preset;
    }

    public Collection<Preset> all() {
        return presets.values();
    }

    public boolean available(Preset preset) {
        return encoders.containsAll(preset.encoders());
    }

    public String unavailableReason(Preset preset) {
        return "this FFmpeg has no " + String.join(", ",
                preset.encoders().stream().filter(e -> !encoders.contains(e)).toList()) + " encoder";
    }

    public String names() {
        return String.join(", ", presets.keySet());
    }
}
