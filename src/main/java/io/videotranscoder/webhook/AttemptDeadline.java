package io.videotranscoder.webhook;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Ends each request of the webhook client by its deadline, the answer's body included. The socket timeouts bound each
 * read, not their sum: a receiver that answers and then trickles a body that never ends would hold a delivery thread
 * for ever (and the lease of its send entry, renewed while the route runs). At the deadline the request is cancelled,
 * which closes its connection, and whatever the client was doing fails. The body is read through {@link CappedBody}.
 */
final class AttemptDeadline implements ExecChainHandler {

    private final Duration deadline;
    private final ScheduledExecutorService timer;

    AttemptDeadline(Duration deadline, ScheduledExecutorService timer) {
        this.deadline = deadline;
        this.timer = timer;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        // camel-http sends an HttpUriRequestBase, the client's own handle for cancelling a request from any thread.
        Cancellable call = (Cancellable) scope.originalRequest;
        ScheduledFuture<?> cancel = timer.schedule(call::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            if (response.getEntity() == null) {
                cancel.cancel(false);
            } else {
                response.setEntity(new CappedBody(response.getEntity(), call, () -> cancel.cancel(false)));
            }
            return response;
        } catch (IOException | HttpException | RuntimeException e) {
            cancel.cancel(false);
            throw e;
        }
    }
}
