package io.videotranscoder;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.http.PresetViews;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.process.BoundedExec;
import io.videotranscoder.queue.Admission;
import io.videotranscoder.queue.RedisStreamComponent;
import io.videotranscoder.queue.RedisStreamEndpoint;
import io.videotranscoder.support.Http;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.ReplaceInRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The service as camel-main wires it from its configuration classes, with one bean replaced by the test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(properties = {"transcoder.data-dir=target/wiring-test/videos",
                             "transcoder.inbox-dir=target/wiring-test/inbox", "transcoder.http-port=18183",
                             "transcoder.management-port=18184", "transcoder.queue-block=100ms"})
class WiringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeanInject
    CamelContext context;

    /** The views of a catalog whose FFmpeg has no encoder at all: no preset can run. */
    @ReplaceInRegistry
    PresetViews presetViews() throws Exception {
        return new PresetViews(PresetCatalog.load(null, Set.of()), JSON);
    }

    @Test
    void a_route_calls_the_bean_a_test_put_in_place_of_the_configured_one() throws Exception {
        // Not held to the API's contract: the answer is the test's own bean's, written by a mapper of the test's.
        JsonNode presets = Http.unchecked("http://127.0.0.1:18183").get("/presets").json().path("presets");

        assertFalse(presets.isEmpty());
        presets.forEach(preset -> assertFalse(preset.path("available").asBoolean(), preset.toString()));
    }

    @Test
    void the_queue_component_is_found_by_its_scheme_and_given_the_one_redis_client() {
        RedisStreamComponent component = context.getComponent("redis-stream", RedisStreamComponent.class);

        assertSame(context.getRegistry().lookupByName("redis"), component.getRedis());
    }

    @Test
    void the_consumers_of_jobs_and_inbox_results_ask_for_room_before_they_take_an_entry_and_that_of_parts_does_not() {
        for (String route : List.of("worker", "inbox-results")) {
            Admission room = ((RedisStreamEndpoint) context.getRoute(route).getEndpoint()).getAdmission();

            assertNotNull(room, route);
            assertNull(room.refusal(), route + ": this disk has more than the 1 GiB kept free");
        }
        // A split job's own stored segments may be what fills the disk: its parts and join go on, and give it back.
        assertNull(((RedisStreamEndpoint) context.getRoute("segments").getEndpoint()).getAdmission());
    }

    /** Every program the routes run keeps a bounded share of what it prints, not all of it in the JVM's memory. */
    @Test
    void every_exec_endpoint_of_the_routes_runs_its_program_through_the_bounded_executor() {
        List<ExecEndpoint> endpoints = context.getEndpoints().stream().filter(ExecEndpoint.class::isInstance)
                .map(ExecEndpoint.class::cast).toList();

        assertFalse(endpoints.size() < 3, endpoints.toString()); // ffmpeg and ffprobe, with and without the exit check
        endpoints.forEach(e -> assertInstanceOf(BoundedExec.class, e.getCommandExecutor(), e.getEndpointUri()));
    }
}
