package io.videotranscoder.webhook;

import java.time.Duration;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The camel-http component the webhooks are sent through: its connections resolve hosts only through the
 * {@link CheckedDnsResolver}, it follows no redirect, keeps no cookies, retries nothing by itself, reads no proxy or
 * other setting from the system, and gives up a connection or an answer after the timeout.
 */
public final class WebhookClient {

    private WebhookClient() {
    }

    public static HttpComponent component(CheckedDnsResolver resolver, Duration timeout) {
        Timeout limit = Timeout.ofMilliseconds(timeout.toMillis());
        HttpComponent http = new HttpComponent();
        http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(limit).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit)
                        .build())
                .setMaxConnTotal(64).setMaxConnPerRoute(4)
                .build());
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setCookieManagementDisabled(true);
        http.setAutomaticRetriesDisabled(true);
        http.setUseSystemProperties(false);
        http.setConnectTimeout(timeout.toMillis());
        http.setResponseTimeout(timeout.toMillis());
        http.setSoTimeout(timeout.toMillis());
        return http;
    }
}
