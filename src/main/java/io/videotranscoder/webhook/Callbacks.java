package io.videotranscoder.webhook;

import io.videotranscoder.job.JobRequest;
import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.refusal.Refusal;

/**
 * A job's own callback URL: taken only when the operator set TRANSCODER_WEBHOOK_SECRET (the callbacks are signed with
 * it), and only when it passes the address policy; inbox jobs get the configured default, if any.
 */
public class Callbacks {

    public static final String FIELD = "callbackUrl";

    private final WebhookTargets targets;
    private final boolean secretSet;
    private final String inboxDefault;

    /** @param inboxDefault the callback URL of inbox jobs; null for none */
    public Callbacks(WebhookTargets targets, boolean secretSet, String inboxDefault) {
        if (inboxDefault != null && !secretSet) {
            throw new StartRefusal("TRANSCODER_INBOX_CALLBACK_URL is set but TRANSCODER_WEBHOOK_SECRET is not:"
                    + " callbacks are signed with it (e.g. TRANSCODER_WEBHOOK_SECRET=whsec_$(openssl rand -base64 32))");
        }
        if (inboxDefault != null) {
            try {
                targets.wellFormed("TRANSCODER_INBOX_CALLBACK_URL", inboxDefault);
            } catch (Refusal e) {
                throw new StartRefusal(e.getMessage());
            }
        }
        this.targets = targets;
        this.secretSet = secretSet;
        this.inboxDefault = inboxDefault;
    }

    /** The callback URL a client gave, as it will be called; a refusal (400) saying why when it cannot be taken. */
    public String require(String url) {
        if (!secretSet) {
            throw Refusal.invalidField(FIELD, "callbackUrl cannot be taken: callbacks are signed with the server's"
                    + " TRANSCODER_WEBHOOK_SECRET, and this server has none set.");
        }
        return targets.require(FIELD, url);
    }

    /** An inbox job's request with the default callback URL, if one is configured. */
    public JobRequest forInbox(JobRequest request) {
        return inboxDefault == null ? request : request.withCallbackUrl(inboxDefault);
    }
}
