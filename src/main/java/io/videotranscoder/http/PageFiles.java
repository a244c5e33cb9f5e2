package io.videotranscoder.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * The web page: {@code /} and the files under {@code /page/}, read from the jar's {@code page/} folder once and kept
 * (a few hundred KiB with its libraries). Anyone may load them, as anyone may load a login page: they hold nothing
 * but code, and every call the page makes is checked as any other. Mounted after the body guards, before the access
 * check.
 */
public class PageFiles implements StartupListener {

    static final int ORDER = -997;
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    private final int port;
    private final String policy;
    private final Map<String, PageFile> files = new ConcurrentHashMap<>();

    /** A file of the page and its tag; an empty body for a name the jar lacks. */
    record PageFile(Buffer body, String tag) {
    }

    /** @param store where outputs are redirected to (the object store's origin), if they are */
    public PageFiles(int port, Optional<String> store) {
        this.port = port;
        this.policy = policy(store);
    }

    /**
     * The page loads only what the service serves (no other site, no inline script), and outputs from the object store
     * where downloads are redirected to it: a preview's video, poster or HLS segments, and a download made with a key.
     * No form is ever sent by the browser itself (the key's form would put the key in the page's URL): the page's
     * script sends what it sends.
     */
    static String policy(Optional<String> store) {
        String from = store.map(origin -> " " + origin).orElse("");
        return "default-src 'self'; connect-src 'self'" + from + "; img-src 'self' blob:" + from
               + "; media-src 'self' blob:" + from + "; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
               + "form-action 'none'; frame-ancestors 'none'";
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router == null) {
            return; // no API in this role
        }
        for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
            router.route(method, "/").order(ORDER).handler(ctx -> serve(ctx, "index.html"));
            router.routeWithRegex(method, "/page/([a-z0-9-]+/)?[a-z0-9.-]+").order(ORDER)
                    .handler(ctx -> serve(ctx, ctx.request().path().substring("/page/".length())));
        }
    }

    private void serve(RoutingContext ctx, String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        PageFile file = TYPES.containsKey(ext) ? file(name) : null;
        if (file == null || file.body().length() == 0) {
            ctx.next(); // not a file of the page: 404
            return;
        }
        String tag = file.tag();
        var response = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(ext)).putHeader(HttpHeaders.ETAG, tag)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        guard(response, TYPES.get(ext), policy);
        if (tag.equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
        } else {
            response.end(file.body());
        }
    }

    /**
     * The guards of a file of the page, or of the API's docs (which share its origin, where it keeps its key): a
     * document loads only what {@code policy} allows, is framed by no other site and sends no referrer. (Never read as
     * another type, as no answer is: {@link RouterErrors}.)
     */
    static void guard(HttpServerResponse response, String contentType, String policy) {
        if (contentType.startsWith("text/html")) {
            response.putHeader("Content-Security-Policy", policy).putHeader("Referrer-Policy", "no-referrer");
        }
    }

    /**
     * A file of the page, read once. A name the jar has no file for is read again when asked: anyone may ask for any
     * name, and each kept would stay on the heap.
     */
    PageFile file(String name) {
        PageFile file = files.get(name);
        if (file == null) {
            file = read(name);
            if (file.body().length() > 0) {
                files.put(name, file);
            }
        }
        return file;
    }

    /** How many files are kept. */
    int kept() {
        return files.size();
    }

    private static PageFile read(String name) {
        try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream("page/" + name)) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            return new PageFile(Buffer.buffer(bytes), "\"" + digest(bytes) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
