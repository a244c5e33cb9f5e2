package io.videotranscoder.queue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/** Adds the body, a map of fields, as one entry (XADD) and sets its id in {@link RedisStreamConstants#ENTRY_ID}. */
public class RedisStreamProducer extends DefaultProducer {

    public RedisStreamProducer(RedisStreamEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public RedisStreamEndpoint getEndpoint() {
        return (RedisStreamEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Map<?, ?> body = exchange.getIn().getBody(Map.class);
        if (body == null || body.isEmpty()) {
            throw new InvalidPayloadException(exchange, Map.class);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        body.forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
        String key = getEndpoint().getKey();
        StreamEntryID id = getEndpoint().redis().xadd(key, XAddParams.xAddParams(), fields);
        exchange.getMessage().setHeader(RedisStreamConstants.STREAM, key);
        exchange.getMessage().setHeader(RedisStreamConstants.ENTRY_ID, id.toString());
    }
}
