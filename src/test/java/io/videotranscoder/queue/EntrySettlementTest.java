package io.videotranscoder.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;

import io.videotranscoder.queue.EntrySettlement.Way;
import org.junit.jupiter.api.Test;

/** An entry is settled by the member that still holds it, and acknowledged only when the route completed it. */
class EntrySettlementTest {

    private static final BooleanSupplier OWNED = () -> true;
    private static final BooleanSupplier TAKEN_OVER = () -> false;
    private static final BooleanSupplier NOT_ASKED = () -> fail("a completed exchange needs no ownership check");

    @Test
    void a_completed_entry_is_acknowledged_or_dead_lettered_when_out_of_deliveries() {
        assertEquals(Way.ACKNOWLEDGE, EntrySettlement.way(false, false, NOT_ASKED, true, false, false));
        assertEquals(Way.DEAD_LETTER, EntrySettlement.way(false, false, NOT_ASKED, true, false, true));
    }

    @Test
    void a_lost_lease_leaves_the_entry_to_its_new_owner_whatever_the_route_did() {
        assertEquals(Way.ABANDON, EntrySettlement.way(true, false, NOT_ASKED, true, false, true));
        assertEquals(Way.ABANDON, EntrySettlement.way(true, true, OWNED, false, true, false));
    }

    @Test
    void a_failed_entry_another_member_took_over_is_left_alone() {
        assertEquals(Way.ABANDON, EntrySettlement.way(false, true, TAKEN_OVER, false, true, false));
    }

    @Test
    void a_failed_entry_is_handed_back_on_shutdown_before_any_asked_delay() {
        assertEquals(Way.HAND_BACK, EntrySettlement.way(false, true, OWNED, false, true, false));
    }

    @Test
    void a_failed_entry_waits_for_the_asked_delay_or_else_for_its_lease() {
        assertEquals(Way.DELAY, EntrySettlement.way(false, true, OWNED, true, true, true));
        assertEquals(Way.LEAVE_PENDING, EntrySettlement.way(false, true, OWNED, true, false, true));
    }
}
