package io.videotranscoder.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Renders failures as RFC 9457 problem JSON: the status and a reason, never a stack trace. */
public class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final String TYPE = "application/problem+json";

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    /** The caught exception is a {@link ProblemException}: the client's request was refused. */
    public void refused(Exchange exchange) throws JsonProcessingException {
        ProblemException problem = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ProblemException.class);
        write(exchange, problem.status(), problem.title(), problem.getMessage(), problem.field());
    }

    /** Redis cannot be reached: the request may be sent again later. */
    private void unavailable(Exchange exchange) throws JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Redis unavailable while serving {}: {}", path(exchange), cause.getMessage());
        write(exchange, 503, "Service unavailable", "The job store cannot be reached; try again shortly.", null);
        exchange.getMessage().setHeader("Retry-After", "5");
    }

    /**
     * A fault of the service, not of the request: logged in full, answered briefly; or, when Redis could not be
     * reached, a 503. That is decided here, not by an onException clause of its own: Camel matches clauses from the
     * root cause up, so the socket error inside a JedisConnectionException would reach this clause first anyway.
     */
    public void internal(Exchange exchange) throws JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JedisConnectionException) {
                unavailable(exchange);
                return;
            }
        }
        LOG.error("Failed to serve {}", path(exchange), cause);
        write(exchange, 500, "Internal error", "The service failed to handle this request; it has been logged.", null);
    }

    private void write(Exchange exchange, int status, String title, String detail, String field)
            throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        String instance = path(exchange);
        if (instance != null) {
            body.put("instance", instance);
        }
        Replies.reply(exchange.getMessage(), status, TYPE, json.writeValueAsString(body));
    }

    private static String path(Exchange exchange) {
        return exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
    }
}
