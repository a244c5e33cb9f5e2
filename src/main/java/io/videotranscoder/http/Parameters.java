package io.videotranscoder.http;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Message;

/**
 * The request's parameters as the routes read them: form fields and query parameters, each a message header; and a
 * JSON body's text.
 */
final class Parameters {

    private Parameters() {
    }

    /**
     * The parameter's value, null when absent or blank; one sent more than once is refused (400, naming it) rather
     * than read as the text of a list ({@code [a, b]}).
     */
    static String single(Message in, String name) {
        if (in.getHeader(name) instanceof Collection<?> values && values.size() > 1) {
            throw repeated(name, values.size());
        }
        String value = in.getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A JSON request body's text, null when there is none. JSON is UTF-8 (RFC 8259): a charset the Content-Type names
     * is not taken, since an unknown one made the conversion fail (a 500).
     */
    static String jsonText(Message in) {
        byte[] bytes = in.getBody(byte[].class);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The refusal of a parameter sent {@code times} times, for those read elsewhere (Vert.x handlers). */
    static Refusal repeated(String name, int times) {
        return Refusal.invalidField(name, name + " was sent " + times + " times; send it once.");
    }
}
