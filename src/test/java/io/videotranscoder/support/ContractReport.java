package io.videotranscoder.support;

import java.util.concurrent.atomic.AtomicLong;

import io.videotranscoder.http.ApiDocs;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/** Says at the end of a test run how many answers {@link Contract} checked and the time it took. */
public class ContractReport implements TestExecutionListener {

    private static final AtomicLong CHECKED = new AtomicLong();
    private static final AtomicLong NANOS = new AtomicLong();

    static void checked(long nanos) {
        CHECKED.incrementAndGet();
        NANOS.addAndGet(nanos);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (CHECKED.get() > 0) {
            System.out.printf("Contract: %d answers checked against %s in %d ms%n", CHECKED.get(), ApiDocs.SPEC,
                    NANOS.get() / 1_000_000);
        }
    }
}
