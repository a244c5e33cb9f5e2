package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks a host name up; the system's DNS unless a {@code webhookResolver} bean says otherwise (tests, DoH). */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
