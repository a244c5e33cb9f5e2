package io.videotranscoder.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import org.apache.camel.Exchange;

/** GET /presets: each preset, what it produces, and whether this service can run it. */
public class PresetViews {

    private final PresetCatalog presets;
    private final ObjectMapper json;

    public PresetViews(PresetCatalog presets, ObjectMapper json) {
        this.presets = presets;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PresetView(String name, String description, boolean available, String unavailableReason,
            String container, String mainOutput, String contentType, Preset.Video video, Preset.Audio audio,
            List<Preset.Rendition> renditions, boolean isDefault) {
    }

    public void list(Exchange exchange) throws JsonProcessingException {
        List<PresetView> views = new ArrayList<>();
        for (Preset p : presets.all()) {
            boolean available = presets.available(p);
            views.add(new PresetView(p.name(), p.description(), available,
                    available ? null : presets.unavailableReason(p), p.container(), p.mainOutput(),
                    ContentTypes.of(p.mainOutput()), p.video(), p.audio(), p.renditions(),
                    PresetCatalog.DEFAULT.equals(p.name())));
        }
        Replies.reply(exchange.getMessage(), 200, "application/json", json.writeValueAsString(Map.of("presets", views)));
    }
}
