package io.videotranscoder.http;

import io.videotranscoder.job.JobRequest;
import io.videotranscoder.webhook.Callbacks;
import org.apache.camel.Header;

/** The {@code callbackUrl} form field of {@code POST /jobs}: checked, then carried by the job. */
public class CallbackField {

    private final Callbacks callbacks;

    public CallbackField(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    public JobRequest attach(JobRequest request, @Header(Callbacks.FIELD) String url) {
        return url == null || url.isBlank() ? request : request.withCallbackUrl(callbacks.require(url));
    }
}
