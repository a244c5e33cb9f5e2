package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only way to a host's addresses: each connection resolves the host once, here, and is refused
 * unless every address passes the policy; the client then connects to exactly the addresses returned (TLS still
 * checks the certificate against the host name). So the address checked is the address connected to, and a host
 * whose DNS answer changes between the check at submission and the delivery (rebinding) is checked again.
 */
public final class CheckedDnsResolver implements DnsResolver {

    private final HostResolver resolver;
    private final AddressPolicy policy;

    public CheckedDnsResolver(HostResolver resolver, AddressPolicy policy) {
        this.resolver = resolver;
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(name);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(name);
        }
        policy.check(name, addresses);
        return addresses;
    }

    /** Only Kerberos asks for it, which webhooks never use: no second lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
