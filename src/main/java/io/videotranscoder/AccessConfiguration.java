package io.videotranscoder;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.videotranscoder.access.AccessMeters;
import io.videotranscoder.access.AccessSettings;
import io.videotranscoder.access.BootstrapKey;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.http.AccessGuard;
import io.videotranscoder.http.Callers;
import io.videotranscoder.http.CrossSiteGuard;
import io.videotranscoder.http.KeyAdmin;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import redis.clients.jedis.JedisPooled;

/**
 * Who may call the API: keys in Redis, the check in front of the routes (and of keyless changes sent from other sites),
 * who owns and sees jobs, the admin calls and the meters of refusals. After the Redis and HTTP configurations, whose
 * client and Vert.x it takes.
 */
public class AccessConfiguration implements CamelConfiguration {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @PropertyInject("transcoder.http-port")
    private int port;

    @PropertyInject("transcoder.key-prefix")
    private String keyPrefix;

    /** A view of the keys in Redis; holds nothing but the client, so each bean below may make its own. */
    @BindToRegistry
    public KeyStore keyStore(JedisPooled redis) {
        return new KeyStore(redis, keyPrefix);
    }

    @BindToRegistry
    public JobOwners jobOwners(CamelContext context) {
        AccessSettings settings = AccessSettings.from(context.getPropertiesComponent());
        return new JobOwners(settings.maxActiveJobsPerKey(), settings.inboxTenant());
    }

    @BindToRegistry
    public Callers callers(CamelContext context) {
        return new Callers(jobOwners(context));
    }

    @BindToRegistry
    public KeyAdmin keyAdmin(JedisPooled redis) {
        return new KeyAdmin(keyStore(redis), JSON, Clock.systemUTC());
    }

    /**
     * What acts at start, made once every bean is bound: the bootstrap key is stored, the meters appear at zero, the
     * check is mounted on the API's router.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        AccessSettings settings = AccessSettings.from(context.getPropertiesComponent());
        KeyStore keys = registry.lookupByNameAndType("keyStore", KeyStore.class);
        AccessMeters meters = new AccessMeters();
        context.addStartupListener(new BootstrapKey(keys, settings.bootstrapKey(), Clock.systemUTC(),
                Duration.ofSeconds(5)));
        context.addStartupListener(meters);
        context.addStartupListener(new AccessGuard(registry.lookupByNameAndType("vertx", Vertx.class), settings, keys,
                meters, Clock.systemUTC(), port));
        context.addStartupListener(CrossSiteGuard.from(context.getPropertiesComponent(), port));
    }
}
