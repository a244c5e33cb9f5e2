package io.videotranscoder.job;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells this process when a job ends, whichever node ended it: every status change and every removal is published on
 * one Redis channel (by the scripts of {@link JobTransitions} and {@link JobStore}), and one connection here listens to
 * it. While that connection is down, and each time it comes back, every listener is told, since an end may have been
 * missed: a listener looks at the job again rather than trusting the message. {@link Watcher}s hear every change,
 * and every progress write (published on a channel of its own, which the same connection listens to).
 */
public class JobEvents extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    private static final Duration RECONNECT = Duration.ofSeconds(1);
    /** The longest between two pings of the listening connection. */
    private static final Duration MOST_BETWEEN_PINGS = Duration.ofSeconds(2);

    private final JedisPooled redis;
    private final String channel;
    private final String progressChannel;
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Subscriber subscriber = new Subscriber();
    private final Duration ping;
    private Thread thread;
    private ScheduledExecutorService pings;

    /** Hears every message, on the listening thread: it must not wait. */
    public interface Watcher {

        /** Job {@code id} moved to {@code status}, or was removed ({@code deleted}). */
        void changed(String id, String status);

        /** Job {@code id}'s progress was written. */
        void progressed(String id);

        /** The connection was down: messages may have been missed. */
        void mayHaveMissed();
    }

    /**
     * Listens on the channels {@link JobStore#eventChannel()} and {@link JobStore#progressChannel()} name.
     *
     * @param replyTimeout the shared client's: a blocking read of it gives up after its block time and this without a
     *                     byte, which an idle subscription would meet; so the connection is pinged twice in that
     *                     time (every two seconds at most), and a Redis host gone without closing it is noticed so
     */
    public JobEvents(JedisPooled redis, JobStore store, Duration replyTimeout) {
        this.redis = redis;
        this.ping = Collections.min(List.of(replyTimeout.dividedBy(2), MOST_BETWEEN_PINGS));
        this.channel = store.eventChannel();
        this.progressChannel = store.progressChannel();
    }

    /** @return what removes the watcher */
    public Runnable watch(Watcher watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
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
        watchers.forEach(w -> run(w::mayHaveMissed));
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
        pings = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread pinging = new Thread(task, "job-events-ping");
            pinging.setDaemon(true);
            return pinging;
        });
        pings.scheduleAtFixedRate(this::ping, ping.toMillis(), ping.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ping() {
        try {
            if (subscriber.isSubscribed()) {
                subscriber.ping();
            }
        } catch (RuntimeException e) { // unsubscribed meanwhile, or the connection lost: the listener reconnects
            LOG.debug("Could not ping the job events connection: {}", e.toString());
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        // No ping after the unsubscribe: its connection goes back to the pool, where a PONG would answer another's.
        pings.shutdownNow();
        pings.awaitTermination(RECONNECT.toMillis(), TimeUnit.MILLISECONDS);
        if (subscriber.isSubscribed()) {
            subscriber.unsubscribe();
        }
        thread.interrupt();
        thread.join(RECONNECT.toMillis() * 2);
        endAll();
    }

    private void listen() {
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            Connection connection = null;
            try {
                connection = redis.getPool().getResource();
                subscriber.proceed(connection, channel, progressChannel); // returns once unsubscribed
            } catch (JedisException e) {
                // A failed subscription's connection may still be subscribed (Redis answers MISCONF to its PING when
                // its disk is full): back in the pool, every command on it failed, and the API answered 500 until
                // restarted. It is closed instead.
                if (connection != null) {
                    connection.setBroken();
                }
                LOG.debug("Job events connection lost: {}", e.getMessage());
            } finally {
                if (connection != null) {
                    connection.close();
                }
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
            if (subscribed.equals(channel)) {
                endAll(); // whatever ended while no one listened
            }
        }

        @Override
        public void onMessage(String from, String message) {
            if (from.equals(progressChannel)) {
                watchers.forEach(w -> run(() -> w.progressed(message)));
                return;
            }
            int space = message.indexOf(' ');
            if (space > 0) {
                String id = message.substring(0, space);
                String status = message.substring(space + 1);
                watchers.forEach(w -> run(() -> w.changed(id, status)));
                if (isEnd(status)) {
                    ended(id);
                }
            }
        }
    }
}
