package io.videotranscoder;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.videotranscoder.access.AccessMeters;
import io.videotranscoder.access.AccessSettings;
import io.videotranscoder.access.BootstrapKey;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.http.AccessGuard;
import io.videotranscoder.http.Callers;
import io.videotranscoder.http.KeyAdmin;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import redis.clients.jedis.JedisPooled;

/**
 * The access beans: keys in Redis, the check in front of the API, who owns and sees jobs, the admin calls and the
 * meters. Created on first
 * use (lazy), after the beans they take (the Redis client, the meter registry) are bound; {@link #configure} wires
 * what must act at start.
 */
public class AccessConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public AccessSettings accessSettings(CamelContext context) {
        return AccessSettings.from(context.getPropertiesComponent());
    }

    @BindToRegistry(lazy = true)
    public KeyStore keyStore(@BeanInject("redis") JedisPooled redis,
            @BeanInject("accessSettings") AccessSettings settings) {
        return new KeyStore(redis, settings.keyPrefix());
    }

    @BindToRegistry(lazy = true)
    public AccessMeters accessMeters(@BeanInject("metricsRegistry") MeterRegistry registry) {
        return new AccessMeters(registry);
    }

    @BindToRegistry(lazy = true)
    public AccessGuard accessGuard(@BeanInject("vertx") Vertx vertx,
            @BeanInject("accessSettings") AccessSettings settings, @BeanInject("keyStore") KeyStore keys, @BeanInject("accessMeters") AccessMeters meters,
            @PropertyInject("transcoder.http-port") int port) {
        return new AccessGuard(vertx, settings, keys, meters, Clock.systemUTC(), port);
    }

    @BindToRegistry(lazy = true)
    public JobOwners jobOwners(@BeanInject("accessSettings") AccessSettings settings) {
        return new JobOwners(settings.maxActiveJobsPerKey(), settings.inboxTenant());
    }

    @BindToRegistry(lazy = true)
    public Callers callers(@BeanInject("jobOwners") JobOwners owners) {
        return new Callers(owners);
    }

    @BindToRegistry(lazy = true)
    public KeyAdmin keyAdmin(@BeanInject("keyStore") KeyStore keys) {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new KeyAdmin(keys, json, Clock.systemUTC());
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        KeyStore keys = registry.lookupByNameAndType("keyStore", KeyStore.class);
        AccessSettings settings = registry.lookupByNameAndType("accessSettings", AccessSettings.class);
        context.addStartupListener(new BootstrapKey(keys, settings.bootstrapKey(), Clock.systemUTC()));
        context.addStartupListener(registry.lookupByNameAndType("accessMeters", AccessMeters.class));
        context.addStartupListener(registry.lookupByNameAndType("accessGuard", AccessGuard.class));
    }
}
