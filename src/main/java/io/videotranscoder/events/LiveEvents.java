package io.videotranscoder.events;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobEvents;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The live events of this process's streams. Woken by the job channels ({@link JobEvents}: a status change, a progress
 * write), one thread reads what the log gained since it last read and hands each entry to every open
 * {@link Subscription}, and reads a job's hash when its progress was written; it also reads the log now and then
 * (every {@code sweep}), should a message have been lost. Opening a stream registers it before its replay is read,
 * so that nothing falls between the two.
 */
public class LiveEvents extends ServiceSupport implements JobEvents.Watcher {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final JobEvents events;
    private final JobStore jobs;
    private final EventLog log;
    private final EventPayloads payloads;
    private final Duration sweep;
    private final Clock clock;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean readAsked = new AtomicBoolean();
    private final Set<String> progressed = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService reader;
    private Runnable unwatch;
    /** The last entry read and handed on; null until known. Moved by the reader only, once known. */
    private StreamEntryID position;

    public LiveEvents(JobEvents events, JobStore jobs, EventLog log, EventPayloads payloads, Duration sweep,
            Clock clock) {
        this.events = events;
        this.jobs = jobs;
        this.log = log;
        this.payloads = payloads;
        this.sweep = sweep;
        this.clock = clock;
    }

    /**
     * Registers a stream of the events {@code filter} takes, resuming after {@code lastEventId} (the client's
     * {@code Last-Event-ID}, or null). Blocks on Redis.
     *
     * @throws JedisException when Redis cannot be read: nothing stays registered
     */
    public Opening open(EventFilter filter, String lastEventId, EventSink sink) {
        Subscription subscription = new Subscription(filter, sink, payloads, subscriptions::remove);
        synchronized (this) {
            if (position == null) {
                position = log.head(); // the reader hands on what follows, which the replay may not reach
            }
            subscriptions.add(subscription);
        }
        try {
            EventId from = lastEventId == null ? null : EventId.parse(lastEventId).orElse(null);
            EventLog.Missed missed = from == null ? null : log.missed(from.position(), filter);
            if (missed != null) {
                return new Opening(subscription, Opening.Start.REPLAY, from, missed.events(), missed.readTo());
            }
            // A quiet position, not the head: the head would tell when the last entry, any tenant's, was added.
            return new Opening(subscription, lastEventId == null ? Opening.Start.FRESH : Opening.Start.RESET,
                    EventId.at(log.quiet().position()), List.of(), null);
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
    }

    /** Streams open in this process. */
    public int count() {
        return subscriptions.size();
    }

    @Override
    public void changed(String id, String status) {
        askRead();
        if ("deleted".equals(status)) {
            reader.execute(() -> subscriptions.forEach(s -> s.removed(id)));
        }
    }

    @Override
    public void progressed(String id) {
        askRead(); // the write may have recorded a job.progress
        if (!subscriptions.isEmpty() && progressed.add(id)) {
            reader.execute(() -> readProgress(id));
        }
    }

    @Override
    public void mayHaveMissed() {
        askRead();
    }

    private void askRead() {
        if (reader != null && readAsked.compareAndSet(false, true)) {
            reader.execute(this::read);
        }
    }

    /**
     * On the reader, every {@code sweep}: the log read, should a message have been lost; then, where every entry
     * of the log has been handed on, each stream stands at a quiet position ({@link Subscription#caughtUp}), which its
     * keep-alives send.
     */
    private void sweep() {
        read();
        try {
            EventLog.Quiet quiet = log.quiet();
            synchronized (this) {
                if (position == null || position.compareTo(quiet.lastEntry()) < 0) {
                    return; // entries came meanwhile: at the next sweep
                }
            }
            subscriptions.forEach(s -> s.caughtUp(quiet.position()));
        } catch (JedisException e) {
            LOG.debug("Could not read the job event log's head: {}", e.getMessage());
        }
    }

    /** On the reader: the log's new entries, to every stream. */
    private void read() {
        readAsked.set(false);
        try {
            List<LoggedEvent> page;
            do {
                StreamEntryID from;
                synchronized (this) {
                    if (position == null) {
                        position = log.head();
                        return;
                    }
                    from = position;
                }
                page = log.after(from, EventLog.PAGE);
                for (LoggedEvent event : page) {
                    subscriptions.forEach(s -> s.logged(event));
                    synchronized (this) {
                        position = event.id();
                    }
                }
            } while (page.size() == EventLog.PAGE);
        } catch (JedisException e) {
            LOG.debug("Could not read the job event log: {}", e.getMessage());
        }
    }

    private void readProgress(String id) {
        progressed.remove(id);
        try {
            jobs.find(id).filter(job -> job.status() == JobStatus.RUNNING).map(this::reading)
                    .ifPresent(reading -> subscriptions.forEach(s -> s.progressed(reading)));
        } catch (JedisException | IllegalStateException e) {
            LOG.debug("Could not read the progress of job {}: {}", id, e.getMessage());
        }
    }

    private LiveProgress reading(Job job) {
        Job.Progress p = job.progress();
        return new LiveProgress(job.id(), job.tenant(), p.percent(), p.speed(), p.fps(), p.etaSeconds(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    @Override
    protected void doStart() {
        reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-events");
            thread.setDaemon(true);
            return thread;
        });
        reader.scheduleWithFixedDelay(this::sweep, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
        unwatch = events.watch(this);
    }

    @Override
    protected void doStop() throws InterruptedException {
        unwatch.run();
        subscriptions.forEach(Subscription::close);
        reader.shutdownNow();
        reader.awaitTermination(1, TimeUnit.SECONDS);
    }
}
