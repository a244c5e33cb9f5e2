package io.videotranscoder;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.videotranscoder.access.AuthMode;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.events.EventLog;
import io.videotranscoder.events.EventPayloads;
import io.videotranscoder.events.EventTokens;
import io.videotranscoder.events.LiveEvents;
import io.videotranscoder.events.TokenKey;
import io.videotranscoder.http.EventStreams;
import io.videotranscoder.http.EventTokenIssuer;
import io.videotranscoder.http.KeyedStreams;
import io.videotranscoder.job.JobEventLog;
import io.videotranscoder.job.JobEvents;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.webhook.Payloads;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import redis.clients.jedis.JedisPooled;

/**
 * Live events (routes/http-events.camel.yaml): the event streams mounted on the API's router, what feeds them, and
 * the tokens that open them from a browser. Made when first needed (lazy), so that a worker makes none.
 */
public class EventConfiguration implements CamelConfiguration {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    @BindToRegistry(value = "eventTokens", lazy = true)
    public EventTokens tokens(@BeanInject("redis") JedisPooled redis,
            @PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.event-token-secret") String secret,
            @PropertyInject("transcoder.event-token-lifetime") Duration lifetime) {
        return new EventTokens(new TokenKey(redis, keyPrefix + "events:token-key", secret), lifetime,
                Clock.systemUTC());
    }

    @BindToRegistry(value = "liveEvents", lazy = true)
    public LiveEvents live(@BeanInject("redis") JedisPooled redis, @BeanInject("jobEvents") JobEvents events,
            @BeanInject("jobStore") JobStore store, @PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.public-url") String publicUrl,
            @PropertyInject("transcoder.event-keepalive") Duration keepAlive,
            @PropertyInject("transcoder.event-replay") Duration replay) {
        return new LiveEvents(events, store, new EventLog(redis, JobEventLog.key(keyPrefix), replay),
                new EventPayloads(new Payloads(publicUrl)), keepAlive, Clock.systemUTC());
    }

    @BindToRegistry(value = "eventStreams", lazy = true)
    public EventStreams streams(@BeanInject("liveEvents") LiveEvents live, @BeanInject("jobStore") JobStore store,
            @BeanInject("eventTokens") EventTokens tokens, @BeanInject("keyStore") KeyStore keys,
            @PropertyInject("transcoder.http-port") int port,
            @PropertyInject("transcoder.max-event-streams") int maxStreams,
            @PropertyInject("transcoder.max-event-streams-per-key") int maxStreamsPerKey,
            @PropertyInject("transcoder.event-keepalive") Duration keepAlive,
            @PropertyInject("transcoder.event-key-recheck") Duration keyRecheck,
            @PropertyInject("transcoder.auth") String auth) {
        KeyedStreams keyed = new KeyedStreams(keys, Clock.systemUTC(), keyRecheck,
                AuthMode.of(auth) == AuthMode.PROTECTED, maxStreamsPerKey);
        return new EventStreams(live, store, tokens, keys, keyed, JSON, Clock.systemUTC(), port, maxStreams,
                keepAlive);
    }

    @BindToRegistry(value = "eventTokenIssuer", lazy = true)
    public EventTokenIssuer issuer(@BeanInject("eventTokens") EventTokens tokens) {
        return new EventTokenIssuer(tokens, JSON);
    }

    /** The streams are mounted once the API's router exists (see {@link EventStreams}). */
    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> started.getRegistry()
                .lookupByNameAndType("eventStreams", EventStreams.class).onCamelContextStarted(started, alreadyStarted));
    }
}
