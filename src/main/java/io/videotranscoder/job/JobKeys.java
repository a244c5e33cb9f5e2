package io.videotranscoder.job;

/**
 * Where jobs live in Redis under one key prefix: a hash per job, a sorted index of all jobs, one per status and one per
 * tenant (score: creation time), the set of each API key's active (queued or running) jobs, the channel where each
 * status change and removal is published, and the one where progress is.
 *
 * @param prefix e.g. {@code transcoder:}
 */
record JobKeys(String prefix) {

    String job(String id) {
        return prefix + "job:" + id;
    }

    /** The index of all jobs ({@code status} null), or of the jobs in {@code status}. */
    String index(JobStatus status) {
        return indexes() + (status == null ? "all" : status.value());
    }

    /** What precedes a status in its index's key, for the scripts that name an index from a status they read. */
    String indexes() {
        return prefix + "index:";
    }

    /** The index of one tenant's jobs. */
    String tenantIndex(String tenant) {
        return tenantIndexes() + tenant;
    }

    /** What precedes a tenant in its index's key, for the scripts that read a job's tenant. */
    String tenantIndexes() {
        return prefix + "tenant:";
    }

    /** What precedes a key's id in the key of the set of its active jobs (its quota's count). */
    String activeJobs() {
        return prefix + "active:";
    }

    /** Where each status change ({@code <id> <status>}) and removal ({@code <id> deleted}) is published. */
    String events() {
        return prefix + "events";
    }

    /** Where each write of a running job's progress ({@code <id>}) is published. */
    String progress() {
        return prefix + "progress";
    }

    /** The {@link JobEventLog} stream, which the scripts that change a job append to. */
    String eventLog() {
        return JobEventLog.key(prefix);
    }

    /** The queue of jobs, whose entries ({@code job}: the id) workers take. */
    String queue() {
        return prefix + "jobs";
    }

    /** The queue of split jobs' parts: segments, audio and joins (see {@link SegmentLedger}). */
    String parts() {
        return prefix + "parts";
    }

    /** The inputs stored into an object store whose jobs are not recorded yet, by when ({@link PendingInputs}). */
    String pendingInputs() {
        return prefix + "inputs:pending";
    }
}
