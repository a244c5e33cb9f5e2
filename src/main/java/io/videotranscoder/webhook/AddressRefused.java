package io.videotranscoder.webhook;

import java.net.UnknownHostException;

/**
 * A webhook host that resolves to an address the service does not call (loopback, private, ...). An
 * {@link UnknownHostException}, so that the HTTP client gives up the connection before any socket is opened.
 */
public class AddressRefused extends UnknownHostException {

    public AddressRefused(String reason) {
        super(reason);
    }
}
