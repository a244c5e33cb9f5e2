package io.videotranscoder;

import java.io.IOException;
import java.util.List;

import io.videotranscoder.support.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped log layout: nothing a message or an exception carries can start a line of its own; and the shipped
 * levels: a program's non-zero exit, which the worker judges itself, is no ERROR of camel-exec's.
 */
class LogLayoutTest {

    private static final String FORGED = "12:00:00.000 INFO  [main] InboxResults - all is well";

    @Test
    void a_line_break_in_a_message_is_escaped() {
        try (LogCapture log = new LogCapture()) {
            LoggerFactory.getLogger(LogLayoutTest.class).info("Inbox file {} refused", "a.mp4\r\n" + FORGED);

            assertFalse(log.text().lines().anyMatch(line -> line.startsWith(FORGED)), log.text());
            assertTrue(log.text().contains("a.mp4\\r\\n" + FORGED), log.text());
            assertEquals(1, log.text().lines().count(), log.text());
        }
    }

    /** An 8-bit control sequence (C1: U+009B is a terminal's CSI) is replaced as a 7-bit one is. */
    @Test
    void an_eight_bit_control_character_in_a_message_is_replaced() {
        try (LogCapture log = new LogCapture()) {
            LoggerFactory.getLogger(LogLayoutTest.class).info("Inbox file {} refused", "a\u009b2J\u001b[2J.mp4");

            assertFalse(log.text().contains("\u009b"), log.text());
            assertFalse(log.text().contains("\u001b"), log.text());
            assertTrue(log.text().contains("a?2J?[2J.mp4"), log.text());
        }
    }

    @Test
    void a_line_break_in_an_exception_message_is_escaped_and_the_stack_trace_keeps_its_lines() {
        try (LogCapture log = new LogCapture()) {
            LoggerFactory.getLogger(LogLayoutTest.class).warn("Publishing failed", new IllegalStateException("outer",
                    new IOException("/outbox/a\n" + FORGED + "\u001b[2J.mp4: File name too long")));

            String text = log.text();
            assertFalse(text.lines().anyMatch(line -> line.startsWith(FORGED)), text);
            assertFalse(text.contains("\u001b"), text);
            assertTrue(text.contains("Caused by: java.io.IOException: /outbox/a\\n" + FORGED), text);
            assertTrue(text.lines().anyMatch(line -> line.startsWith("\tat io.videotranscoder.LogLayoutTest")), text);
            assertEquals(1, text.lines().filter(line -> line.startsWith("java.lang.IllegalStateException")).count(),
                    "the stack trace is written once");
        }
    }

    /**
     * The probe beside an encode has no exit check (its verdict is judged from its result): camel-exec then logged its
     * ERROR, with the whole command line, for every upload that is not a video, a user's mistake an operator cannot mend.
     */
    @Test
    void a_non_zero_exit_is_judged_by_the_route_not_logged_by_camel_exec() throws Exception {
        try (LogCapture log = new LogCapture(); CamelContext context = new DefaultCamelContext()) {
            context.start();
            ExecResult checked = context.createProducerTemplate().requestBody("exec:false", null, ExecResult.class);
            Exchange unchecked = context.createProducerTemplate().request("exec:false?exitValues=0", exchange -> { });

            assertEquals(1, checked.getExitValue(), "a program that failed");
            assertTrue(unchecked.getException() instanceof ExecException, "and one that failed its route's check");
            assertEquals(List.of(), log.text().lines().filter(line -> line.matches("\\S+ (WARN|ERROR) .*")).toList());
        }
    }
}
