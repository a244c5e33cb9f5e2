package io.videotranscoder.access;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.videotranscoder.process.SettingUri;
import io.videotranscoder.process.StartRefusal;

/**
 * The host names a request served without a key (protected mode, or checks off) may give in its {@code Host}:
 * {@code localhost} and its subdomains, any IP address, and the names the operator lists
 * ({@code TRANSCODER_KEYLESS_HOSTS}; the host of {@code TRANSCODER_PUBLIC_URL} is one; {@code *}: any). A page that a
 * visitor of another site opens can point its own name at this machine once it has loaded (DNS rebinding): its
 * requests then come from the visitor's machine, a trusted address, as same-origin requests whose answers the page
 * reads, and they name the page's host. Vite's development server and Django's {@code ALLOWED_HOSTS} refuse them the
 * same way. A request with a key is not concerned: such a page has no key to send.
 */
public record KeylessHosts(Set<String> listed) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+(%25[0-9a-z]+)?]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final String ANY = "*";

    /**
     * @param list      names separated by commas ({@code *}: any)
     * @param publicUrl where clients reach the service (its host is allowed), or blank
     */
    public static KeylessHosts parse(String list, String publicUrl) {
        Set<String> names = Arrays.stream(list.split(",")).map(n -> n.strip().toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty()).collect(Collectors.toSet());
        for (String name : names) {
            if (!name.equals(ANY) && !NAME.matcher(name).matches()) {
                throw new StartRefusal("TRANSCODER_KEYLESS_HOSTS: '" + name + "' is not a host name (names separated by"
                                       + " commas, without ports, or *)");
            }
        }
        String publicHost = publicUrl.isBlank() ? null : hostOf(publicUrl.strip());
        return new KeylessHosts(Stream.concat(names.stream(), Stream.ofNullable(publicHost))
                .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
    }

    /** @param host the {@code Host} header as sent (with or without a port); null when none was sent (not a browser) */
    public boolean allows(String host) {
        if (host == null || listed.contains(ANY)) {
            return true;
        }
        String name = withoutPort(host.strip().toLowerCase(Locale.ROOT));
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals("localhost") || name.endsWith(".localhost") || IPV4.matcher(name).matches()
               || IPV6.matcher(name).matches() || listed.contains(name);
    }

    /** A URL's host, also one {@link URI#getHost} does not take (a name with an underscore, as compose gives). */
    private static String hostOf(String url) {
        URI uri = SettingUri.parse(url).filter(u -> List.of("http", "https").contains(String.valueOf(u.getScheme())))
                .orElse(null);
        String authority = uri == null ? null : uri.getRawAuthority();
        if (authority == null) {
            // Without its scheme the address became no host at all, and the webhooks' links pointed nowhere.
            throw new StartRefusal("TRANSCODER_PUBLIC_URL must be the address clients reach the service at, with"
                                   + " http:// or https:// (https://videos.example.com), not '" + url + "'");
        }
        return withoutPort(authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
    }

    private static String withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.endsWith("]") ? host : host.substring(0, colon);
    }
}
