package io.videotranscoder.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * The API's description for tools and people, open to anyone: the OpenAPI document at {@code /openapi.yaml} (as kept
 * in the jar) and {@code /openapi.json}, and the {@code /docs} page, Swagger UI from its webjar. Vert.x's
 * StaticHandler would need Vert.x's classpath lookup, which {@link Http1Vertx} turns off, so the few files the page
 * uses are read from the classpath here, off the event loop.
 */
public class ApiDocs implements StartupListener {

    /** The contract of the API, beside the REST DSL in routes/http-*.camel.yaml. */
    public static final String SPEC = "api/openapi.yaml";
    private static final String WEBJAR_VERSION = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    /** Swagger UI's files change only with the service's version: a browser keeps them a day. */
    private static final String KEPT = "public, max-age=86400";
    /** The document and the page are asked again each time: a new version of the service may change them. */
    private static final String ASKED_AGAIN = "no-cache";

    /** Swagger UI sets inline styles and draws its icons from data: URLs. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** A file of the docs page: where it is in the jar, its type, and how long a browser may keep it. */
    record Asset(String resource, String contentType, String cacheControl) {
    }

    private final int port;

    /** Whether a path is the API's description, which anyone may read (no key): {@link AccessGuard} asks. */
    public static boolean open(String path) {
        return path.equals("/openapi.json") || path.equals("/openapi.yaml") || path.equals("/docs")
               || path.startsWith("/docs/");
    }

    public ApiDocs(int port) {
        this.port = port;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws IOException {
        Router router = RouterErrors.apiRouter(context, port);
        if (router == null) {
            return; // no API in this role
        }
        byte[] yaml = read(SPEC);
        Buffer json = Buffer.buffer(new ObjectMapper().writeValueAsBytes(new YAMLMapper().readTree(yaml)));
        serve(router, "/openapi.yaml", ctx -> answer(ctx, "application/yaml", ASKED_AGAIN, Buffer.buffer(yaml)));
        serve(router, "/openapi.json", ctx -> answer(ctx, "application/json", ASKED_AGAIN, json));
        assets().forEach((path, asset) -> serve(router, path, ctx -> send(ctx, asset)));
    }

    /** The page, its script, and the three files of Swagger UI it loads (no top bar, so no standalone preset). */
    static Map<String, Asset> assets() throws IOException {
        String webjar = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
        Map<String, Asset> assets = new LinkedHashMap<>();
        assets.put("/docs", new Asset("api/docs.html", "text/html; charset=utf-8", ASKED_AGAIN));
        assets.put("/docs/init.js", new Asset("api/init.js", "text/javascript; charset=utf-8", ASKED_AGAIN));
        assets.put("/docs/swagger-ui.css", new Asset(webjar + "swagger-ui.css", "text/css; charset=utf-8", KEPT));
        assets.put("/docs/swagger-ui-bundle.js", new Asset(webjar + "swagger-ui-bundle.js",
                "text/javascript; charset=utf-8", KEPT));
        assets.put("/docs/favicon-32x32.png", new Asset(webjar + "favicon-32x32.png", "image/png", KEPT));
        return assets;
    }

    private static String webjarVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = resource(WEBJAR_VERSION)) {
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    private static void serve(Router router, String path, Handler<RoutingContext> handler) {
        router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler);
    }

    /**
     * Read when asked rather than held: the page is rare, Swagger UI's script is 1.7 MB. Vert.x matches /docs/ to
     * /docs too, where the page's relative links would miss: that is sent to /docs.
     */
    private static void send(RoutingContext ctx, Asset asset) {
        if (ctx.request().path().endsWith("/")) {
            ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "../docs").end();
            return;
        }
        ctx.vertx().executeBlocking(() -> Buffer.buffer(read(asset.resource())), false)
                .onSuccess(body -> answer(ctx, asset.contentType(), asset.cacheControl(), body))
                .onFailure(ctx::fail);
    }

    /**
     * With its length, to HEAD too (Vert.x leaves it out of an answer to HEAD ended without the body), and the web
     * page's guards ({@link PageFiles#guard}): framed by another site, a click on "Execute" there would act for its
     * visitor.
     */
    private static void answer(RoutingContext ctx, String contentType, String cacheControl, Buffer body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        PageFiles.guard(ctx.response(), contentType, POLICY);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().end();
        } else {
            ctx.response().end(body);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not in the jar");
        }
        return in;
    }
}
