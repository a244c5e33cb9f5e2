package io.videotranscoder;

import io.videotranscoder.process.FreePort;
import io.videotranscoder.process.StartRefusal;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * First of the configuration classes: the settings are checked, and the ports they name found free, before any bean
 * is made from them, so that a start refused leaves nothing started (no embedded Redis, no data folder).
 */
public class SettingsConfiguration implements CamelConfiguration {

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): one check. */
    private boolean checked;

    /** Bound as a fact for readers of the registry; made first, so that a setting that cannot be taken stops all. */
    @BindToRegistry
    public String settingsChecked(CamelContext context) {
        if (!checked) {
            SettingsCheck.check(context);
            requireFreePorts(context.getPropertiesComponent());
            checked = true;
        }
        return "checked";
    }

    /** The API's port (in a role that serves it) and the management's. */
    private static void requireFreePorts(PropertiesComponent properties) {
        int management = Integer.parseInt(properties.resolveProperty("transcoder.management-port").orElseThrow());
        if (properties.resolveProperty("camel.server.enabled").map(Boolean::parseBoolean).orElse(false)) {
            int api = Integer.parseInt(properties.resolveProperty("transcoder.http-port").orElseThrow());
            if (api == management) {
                // One server would start, and serve health and metrics on the public API's port.
                throw new StartRefusal("HTTP_PORT and MANAGEMENT_PORT must differ: health and metrics are served apart"
                                       + " from the API, not both on " + api + ".");
            }
            FreePort.require(properties.resolveProperty("transcoder.http-host").orElseThrow(), "HTTP_HOST", api,
                    "HTTP_PORT");
        }
        FreePort.require(properties.resolveProperty("camel.management.host").orElse("0.0.0.0"),
                "camel.management.host", management, "MANAGEMENT_PORT");
    }
}
