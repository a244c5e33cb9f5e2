package io.videotranscoder.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells this process when a job ends, whichever node ended it: every status change and every removal is published on
 * one Redis channel (by the scripts of {@link JobTransitions} and {@link JobStore}), and one connection here listens to
 * it. While that connection is down, and each time it comes back, every listener is told, since an end may have been
 * missed: a listener looks at the job again rather than trusting the message.
 */
public class JobEvents extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final UnifiedJedis redis;
    private final String channel;
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private final Subscriber subscriber = new Subscriber();
    private Thread thread;

    /** @param channel the channel {@link JobStore#eventChannel()} names */
    public JobEvents(UnifiedJedis redis, String channel) {
        this.redis = redis;
        this.channel = channel;
    }

    /** The message a script publishes: the job's id, a space, its new status or {@code deleted}. */
    static boolean isEnd(String status) {
        try {
            return "deleted".equals(status) || JobStatus.of(status).terminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Runs {@code listener} once, on the listening thread, when job {@code id} ends or is removed (or may have).
     *
     * @return what removes the listener, if it has not run yet
     */
    public Runnable onEnd(String id, Runnable listener) {
        listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(id, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    private void ended(String id) {
        List<Runnable> ended = listeners.remove(id);
        if (ended != null) {
            ended.forEach(JobEvents::run);
        }
    }

    private void endAll() {
        listeners.keySet().forEach(this::ended);
    }

    private static void run(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("A job event listener failed", e);
        }
    }

    @Override
    protected void doStart() {
        thread = new Thread(this::listen, "job-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (subscriber.isSubscribed()) {
            subscriber.unsubscribe();
        }
        thread.interrupt();
        thread.join(RECONNECT.toMillis() * 2);
        endAll();
    }

    private void listen() {
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                redis.subscribe(subscriber, channel); // returns once unsubscribed
            } catch (JedisException e) {
                LOG.debug("Job events connection lost: {}", e.getMessage());
            }
            endAll();
            try {
                Thread.sleep(RECONNECT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private final class Subscriber extends JedisPubSub {

        @Override
        public void onSubscribe(String subscribed, int count) {
            endAll(); // whatever ended while no one listened
        }

        @Override
        public void onMessage(String from, String message) {
            int space = message.indexOf(' ');
            if (space > 0 && isEnd(message.substring(space + 1))) {
                ended(message.substring(0, space));
            }
        }
    }
}
