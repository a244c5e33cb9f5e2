package io.videotranscoder.page;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * A reverse proxy that serves the service under a path prefix, as one in front of it would: {@code /video/x} is
 * passed on as {@code /x}, bodies and answers streamed both ways; any other path is a 404.
 */
final class PrefixProxy implements AutoCloseable {

    static final String PREFIX = "/video/";

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    PrefixProxy(int servicePort) throws Exception {
        HttpClient client = vertx.createHttpClient();
        server = vertx.createHttpServer().requestHandler(request -> pass(request, client, servicePort)).listen(0)
                .toCompletionStage().toCompletableFuture().get();
    }

    int port() {
        return server.actualPort();
    }

    private static void pass(HttpServerRequest request, HttpClient client, int servicePort) {
        if (!request.uri().startsWith(PREFIX)) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.pause();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                .setPort(servicePort).setURI(request.uri().substring(PREFIX.length() - 1));
        boolean body = request.headers().contains("Content-Length") || request.headers().contains("Transfer-Encoding");
        client.request(options).compose(forward -> {
            forward.headers().setAll(request.headers());
            if (body) {
                return forward.send(request);
            }
            request.resume();
            return forward.send(); // not chunked: the service refuses a body of unknown length
        }).onSuccess(answer -> {
            request.response().setStatusCode(answer.statusCode()).headers().setAll(answer.headers());
            request.response().send(answer);
        }).onFailure(failure -> request.response().setStatusCode(502).end());
    }

    @Override
    public void close() {
        vertx.close();
    }
}
