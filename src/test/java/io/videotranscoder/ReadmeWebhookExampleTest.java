package io.videotranscoder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import io.videotranscoder.support.Tools;
import io.videotranscoder.webhook.Signer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's webhook example is real: its signature is what the service signs, and its Python verifier, pasted as
 * written, accepts it and refuses a body changed by one byte.
 */
class ReadmeWebhookExampleTest {

    private static String block(String readme, String opening) {
        int start = readme.indexOf(opening);
        return readme.substring(start + opening.length(), readme.indexOf("```", start + opening.length()));
    }

    private static String header(String request, String name) {
        return request.lines().filter(l -> l.startsWith(name + ": ")).findFirst().orElseThrow()
                .substring(name.length() + 2);
    }

    @Test
    void the_example_webhook_is_signed_as_the_service_signs_and_the_python_verifier_accepts_it() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String request = block(readme, "```\nPOST /video-hooks HTTP/1.1\n");
        String body = request.substring(request.indexOf("\n\n") + 2).strip();
        String secret = readme.substring(readme.indexOf("This one is signed with `") + 25).split("`")[0];
        String id = header(request, "webhook-id");
        String timestamp = header(request, "webhook-timestamp");
        String signature = header(request, "webhook-signature");

        assertEquals(signature, Signer.signatures(id, Long.parseLong(timestamp), body,
                List.of(Base64.getDecoder().decode(secret.substring("whsec_".length())))));

        Assumptions.assumeTrue(Tools.onPath("python3"), "python3 is not installed here: the verifier is not run");
        String python = block(readme, "```python\n") + """
                time.time = lambda: %s
                headers = {"webhook-id": "%s", "webhook-timestamp": "%s", "webhook-signature": "%s"}
                body = '''%s'''.encode()
                print(verify("%s", headers, body), verify("%s", headers, body + b" "))
                """.formatted(timestamp, id, timestamp, signature, body, secret, secret);
        Process run = new ProcessBuilder("python3", "-c", python).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, run.waitFor(), output);
        assertEquals("True False", output);
    }
}
