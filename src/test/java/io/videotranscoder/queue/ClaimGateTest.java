package io.videotranscoder.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One gate for all the consumers of one Redis: shut by any failure, open a consumer's lease after Redis answers. */
class ClaimGateTest {

    @Test
    void an_outage_shuts_the_gate_for_every_lease_until_redis_answers_and_a_lease_has_passed() {
        ClaimGate gate = new ClaimGate();
        assertTrue(gate.open(60_000), "open at first");

        gate.outage(); // a renewal of one consumer failed
        assertFalse(gate.open(0), "shut while Redis fails, whatever the lease");
        gate.reached(); // a poll of another consumer got through

        assertTrue(gate.open(0));
        assertFalse(gate.open(60_000), "a consumer of a minute's lease waits a minute from now");
        gate.reached();
        assertFalse(gate.open(60_000), "answers without an outage between do not move it");
    }
}
