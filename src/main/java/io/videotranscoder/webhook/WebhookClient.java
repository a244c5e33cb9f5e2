package io.videotranscoder.webhook;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The camel-http component the webhooks are sent through: its connections resolve hosts only through the
 * {@link CheckedDnsResolver}, it follows no redirect, keeps no cookies, retries nothing by itself, reads no proxy or
 * other setting from the system, and gives up a request not answered within the timeout, its answer's body included
 * ({@link AttemptDeadline}), of which it reads a few KiB at most ({@link CappedBody}). Its answer's head is bounded
 * too ({@link #HEAD_LIMITS}).
 */
public final class WebhookClient {

    /**
     * The longest line and the most header fields an answer's head may have: unbounded by default, and a receiver that
     * sent one endless header line, or millions of fields, until the timeout would fill the API's memory with them.
     */
    static final Http1Config HEAD_LIMITS = Http1Config.custom().setMaxLineLength(16 * 1024).setMaxHeaderCount(200)
            .build();

    private WebhookClient() {
    }

    /**
     * @param timeout        how long an attempt has in all
     * @param connectTimeout how long of it its connection may take to be accepted (no longer than the timeout)
     * @param timer          cancels the requests that reach the timeout
     */
    public static HttpComponent component(CheckedDnsResolver resolver, Duration timeout, Duration connectTimeout,
            ScheduledExecutorService timer) {
        Timeout limit = Timeout.ofMilliseconds(timeout.toMillis());
        Timeout connectLimit = Timeout.ofMilliseconds(Math.min(connectTimeout.toMillis(), timeout.toMillis()));
        HttpComponent http = new HttpComponent();
        http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder().http1Config(HEAD_LIMITS).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(limit).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connectLimit)
                        .setSocketTimeout(limit)
                        .build())
                .setMaxConnTotal(64).setMaxConnPerRoute(4)
                .build());
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setCookieManagementDisabled(true);
        http.setAutomaticRetriesDisabled(true);
        // The answer's body is read as sent, never decompressed: a compressed stream that ended early made the body
        // look ended, and closing it read the rest of what the receiver sent, for as long as the timeout allowed.
        http.setContentCompressionDisabled(true);
        http.setUseSystemProperties(false);
        http.setConnectTimeout(connectLimit.toMilliseconds());
        http.setResponseTimeout(timeout.toMillis());
        http.setSoTimeout(timeout.toMillis());
        http.setHttpClientConfigurer(client -> client.addExecInterceptorFirst("deadline",
                new AttemptDeadline(timeout, timer)));
        return http;
    }
}
