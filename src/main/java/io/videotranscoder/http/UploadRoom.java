package io.videotranscoder.http;

import io.videotranscoder.storage.DiskSpace;
import io.vertx.ext.web.RoutingContext;

/** The disk room a request's body will take, held while the request is served. */
public final class UploadRoom {

    private UploadRoom() {
    }

    /**
     * Holds room for {@code bytes} of the request's body (less what has arrived) until it is answered, or at once
     * given back when it was answered already (the client left while an access check ran: no end handler runs again).
     *
     * @throws io.videotranscoder.refusal.Refusal no space
     */
    public static void hold(RoutingContext ctx, DiskSpace disk, long bytes) {
        DiskSpace.Reservation room = disk.reserve(bytes, ctx.request()::bytesRead);
        ctx.addEndHandler(answered -> room.close());
        if (ctx.response().ended() || ctx.response().closed()) {
            room.close();
        }
    }
}
