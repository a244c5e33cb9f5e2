package io.videotranscoder;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** First of the configuration classes: the settings are checked before any bean is made from them. */
public class SettingsConfiguration implements CamelConfiguration {

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): one check. */
    private boolean checked;

    /** Bound as a fact for readers of the registry; made first, so that a setting that cannot be taken stops all. */
    @BindToRegistry
    public String settingsChecked(CamelContext context) {
        if (!checked) {
            SettingsCheck.check(context);
            checked = true;
        }
        return "checked";
    }
}
