package io.videotranscoder;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.videotranscoder.http.CallbackField;
import io.videotranscoder.http.DeliveryViews;
import io.videotranscoder.http.WebhookAdmin;
import io.videotranscoder.job.JobEventLog;
import io.videotranscoder.metrics.RedisReadings;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.webhook.AddressPolicy;
import io.videotranscoder.webhook.CallbackKeys;
import io.videotranscoder.webhook.Callbacks;
import io.videotranscoder.webhook.CheckedDnsResolver;
import io.videotranscoder.webhook.DeliveryStore;
import io.videotranscoder.webhook.Endpoints;
import io.videotranscoder.webhook.FanOut;
import io.videotranscoder.webhook.HostResolver;
import io.videotranscoder.webhook.Judge;
import io.videotranscoder.webhook.Payloads;
import io.videotranscoder.webhook.RetrySchedule;
import io.videotranscoder.webhook.Sender;
import io.videotranscoder.webhook.TimedLookups;
import io.videotranscoder.webhook.Upkeep;
import io.videotranscoder.webhook.WebhookClient;
import io.videotranscoder.webhook.WebhookMeters;
import io.videotranscoder.webhook.WebhookSettings;
import io.videotranscoder.webhook.WebhookTargets;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import redis.clients.jedis.UnifiedJedis;

/**
 * The beans of the webhooks (routes/webhooks.camel.yaml, routes/http-webhooks.camel.yaml). Each is made when a route
 * first needs it (lazy), so that a role without those routes (a worker) makes none, not even the HTTP client.
 * A bean named {@code webhookResolver} (a {@link HostResolver}) bound before start replaces the system's DNS.
 */
public class WebhookConfiguration implements CamelConfiguration {

    /** Lookups of webhook hosts: at most this many at once, this many waiting, each within this limit. */
    private static final int DNS_THREADS = 8;
    private static final int DNS_QUEUE = 32;
    private static final Duration DNS_LIMIT = Duration.ofSeconds(5);

    @BindToRegistry(value = "webhookSettings", lazy = true)
    public WebhookSettings settings(@PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.webhook-secret") String secret,
            @PropertyInject("transcoder.webhook-allowlist") String allowlist,
            @PropertyInject("transcoder.webhook-timeout") Duration timeout,
            @PropertyInject("transcoder.webhook-retry-scale") double retryScale,
            @PropertyInject("transcoder.webhook-rotation-grace") Duration rotationGrace,
            @PropertyInject("transcoder.retention") Duration retention,
            @PropertyInject("transcoder.public-url") String publicUrl,
            @PropertyInject("transcoder.inbox-callback-url") String inboxCallback) {
        return WebhookSettings.of(keyPrefix, secret, allowlist, timeout, retryScale, rotationGrace, retention,
                publicUrl, inboxCallback);
    }

    @BindToRegistry(value = "webhookDns", lazy = true)
    public CheckedDnsResolver dns(CamelContext context, @BeanInject("webhookSettings") WebhookSettings settings) {
        HostResolver resolver = context.getRegistry().lookupByNameAndType("webhookResolver", HostResolver.class);
        ExecutorService lookups = context.getExecutorServiceManager().newThreadPool(this, "webhook-dns",
                new ThreadPoolProfileBuilder("webhook-dns").poolSize(DNS_THREADS).maxPoolSize(DNS_THREADS)
                        .maxQueueSize(DNS_QUEUE).rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
        return new CheckedDnsResolver(new TimedLookups(resolver == null ? HostResolver.SYSTEM : resolver, lookups,
                DNS_LIMIT), AddressPolicy.allowing(settings.allowlist()));
    }

    /** The HTTP client of the deliveries: {@code webhook-http:} in the route. */
    @BindToRegistry(value = "webhook-http", lazy = true)
    public HttpComponent http(CamelContext context, @BeanInject("webhookDns") CheckedDnsResolver dns,
            @BeanInject("webhookSettings") WebhookSettings settings,
            @PropertyInject("transcoder.webhook-connect-timeout") Duration connectTimeout) {
        return WebhookClient.component(dns, settings.timeout(), connectTimeout,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "webhook-deadlines"));
    }

    @BindToRegistry(value = "webhookTargets", lazy = true)
    public WebhookTargets targets(@BeanInject("webhookDns") CheckedDnsResolver dns) {
        return new WebhookTargets(dns);
    }

    @BindToRegistry(value = "webhookEndpoints", lazy = true)
    public Endpoints endpoints(@BeanInject("redis") UnifiedJedis redis,
            @BeanInject("webhookSettings") WebhookSettings settings) {
        return new Endpoints(redis, settings.keyPrefix());
    }

    @BindToRegistry(value = "webhookDeliveries", lazy = true)
    public DeliveryStore deliveries(@BeanInject("redis") UnifiedJedis redis,
            @BeanInject("webhookSettings") WebhookSettings settings) {
        return new DeliveryStore(redis, settings.keyPrefix());
    }

    @BindToRegistry(value = "webhookFanOut", lazy = true)
    public FanOut fanOut(@BeanInject("webhookEndpoints") Endpoints endpoints,
            @BeanInject("webhookDeliveries") DeliveryStore deliveries,
            @BeanInject("webhookSettings") WebhookSettings settings) {
        return new FanOut(endpoints, deliveries, new Payloads(settings.publicUrl()), settings.operatorKey() != null);
    }

    @BindToRegistry(value = "webhookMeters", lazy = true)
    public WebhookMeters meters(CamelContext context, @BeanInject("webhookDeliveries") DeliveryStore deliveries,
            @BeanInject("redisReadings") RedisReadings readings) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        return new WebhookMeters(registry, context.getName(), deliveries, readings);
    }

    @BindToRegistry(value = "webhookSender", lazy = true)
    public Sender sender(@BeanInject("webhookDeliveries") DeliveryStore deliveries,
            @BeanInject("webhookEndpoints") Endpoints endpoints, @BeanInject("webhookMeters") WebhookMeters meters,
            @BeanInject("webhookSettings") WebhookSettings settings, @BeanInject("callbackKeys") CallbackKeys keys,
            @PropertyInject("transcoder.webhook-concurrency") int concurrency) {
        RetrySchedule schedule = new RetrySchedule(settings.retryScale(), ThreadLocalRandom.current()::nextDouble);
        Judge judge = new Judge(deliveries, endpoints, schedule, meters, settings.retention(), Clock.systemUTC());
        return new Sender(deliveries, endpoints, judge, keys, settings.timeout(), concurrency, Clock.systemUTC());
    }

    @BindToRegistry(value = "webhookUpkeep", lazy = true)
    public Upkeep upkeep(@BeanInject("redis") UnifiedJedis redis, @BeanInject("webhookDeliveries") DeliveryStore store,
            @BeanInject("webhookSettings") WebhookSettings settings,
            @PropertyInject("transcoder.event-replay") Duration eventReplay) {
        return new Upkeep(store, new GroupBacklog(redis, JobEventLog.key(settings.keyPrefix()), "webhooks"),
                new GroupBacklog(redis, store.sendStream(), "senders"), settings.retention(), eventReplay,
                Clock.systemUTC());
    }

    @BindToRegistry(value = "callbacks", lazy = true)
    public Callbacks callbacks(@BeanInject("webhookTargets") WebhookTargets targets,
            @BeanInject("webhookSettings") WebhookSettings settings) {
        return new Callbacks(targets, settings.operatorKey() != null, settings.inboxCallback());
    }

    @BindToRegistry(value = "callbackKeys", lazy = true)
    public CallbackKeys callbackKeys(@BeanInject("webhookSettings") WebhookSettings settings) {
        return new CallbackKeys(settings.operatorKey());
    }

    @BindToRegistry(value = "callbackField", lazy = true)
    public CallbackField callbackField(@BeanInject("callbacks") Callbacks callbacks,
            @BeanInject("callbackKeys") CallbackKeys keys) {
        return new CallbackField(callbacks, keys, json());
    }

    @BindToRegistry(value = "webhookAdmin", lazy = true)
    public WebhookAdmin admin(@BeanInject("webhookEndpoints") Endpoints endpoints,
            @BeanInject("webhookTargets") WebhookTargets targets,
            @BeanInject("webhookSettings") WebhookSettings settings) {
        return new WebhookAdmin(endpoints, targets, json(), settings.rotationGrace(), Clock.systemUTC());
    }

    @BindToRegistry(value = "deliveryViews", lazy = true)
    public DeliveryViews deliveryViews(@BeanInject("jobStore") JobStore jobs,
            @BeanInject("webhookDeliveries") DeliveryStore deliveries) {
        return new DeliveryViews(jobs, deliveries, json());
    }

    private static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
