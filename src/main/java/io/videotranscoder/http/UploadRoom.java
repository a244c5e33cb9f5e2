package io.videotranscoder.http;

import java.util.concurrent.atomic.AtomicBoolean;

import io.videotranscoder.storage.DiskSpace;
import io.vertx.ext.web.RoutingContext;

/** What an upload holds while its request is served: the disk room its body will take, or a place among others. */
public final class UploadRoom {

    private UploadRoom() {
    }

    /**
     * Holds room for {@code bytes} of the request's body (less what has arrived) until it is answered.
     *
     * @throws io.videotranscoder.refusal.Refusal no space
     */
    public static void hold(RoutingContext ctx, DiskSpace disk, long bytes) {
        whileServed(ctx, disk.reserve(bytes, ctx.request()::bytesRead)::close);
    }

    /**
     * Runs {@code release} once the request is answered, or at once when it was answered already (the client left
     * while an earlier check ran: no end handler runs again); once either way.
     *
     * @return whether the request is still being served
     */
    static boolean whileServed(RoutingContext ctx, Runnable release) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable once = () -> {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        };
        ctx.addEndHandler(answered -> once.run());
        if (ctx.response().ended() || ctx.response().closed()) {
            once.run();
            return false;
        }
        return true;
    }
}
