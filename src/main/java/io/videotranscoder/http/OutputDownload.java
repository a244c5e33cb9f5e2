package io.videotranscoder.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.commons.io.input.BoundedInputStream;

/** Streams a job's main output, whole or one byte range of it. */
public class OutputDownload {

    private final JobViews views;
    private final JobFiles files;

    public OutputDownload(JobViews views, JobFiles files) {
        this.views = views;
        this.files = files;
    }

    /** GET /jobs/{id}/output: the preset's main output. */
    public void main(Exchange exchange) throws IOException {
        Job job = succeeded(exchange.getIn());
        send(exchange, job, job.mainOutput());
    }

    /** GET /jobs/{id}/outputs/{name}: any output, named as the job lists it (never a path a client makes up). */
    public void named(Exchange exchange) throws IOException {
        Job job = succeeded(exchange.getIn());
        String name = exchange.getIn().getHeader("name", String.class);
        if (job.outputs().stream().noneMatch(o -> o.name().equals(name))) {
            throw Refusal.notFound("Job " + job.id() + " has no output named '" + name + "'.");
        }
        send(exchange, job, name);
    }

    private Job succeeded(Message in) {
        Job job = views.find(in);
        if (job.status() != JobStatus.SUCCEEDED || job.outputs().isEmpty()) {
            throw Refusal.wrongState("Job " + job.id() + " is " + job.status().value() + "; it has no output yet.");
        }
        return job;
    }

    private void send(Exchange exchange, Job job, String name) throws IOException {
        Message in = exchange.getIn();
        Path file = files.output(job.id(), name);
        if (!Files.isRegularFile(file)) {
            throw new Refusal(Refusal.Kind.GONE, "The output of job " + job.id() + " is no longer stored.", null);
        }
        long size = Files.size(file);
        ByteRange range = ByteRange.parse(in.getHeader("Range", String.class), size);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        Message out = exchange.getMessage();
        String type = ContentTypes.of(name);
        if (range == null) {
            Replies.reply(out, 200, type, Channels.newInputStream(channel));
            out.setHeader("Content-Length", size);
        } else {
            channel.position(range.start());
            InputStream slice = BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel))
                    .setMaxCount(range.length()).get();
            Replies.reply(out, 206, type, slice);
            out.setHeader("Content-Length", range.length());
            out.setHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
        }
        out.setHeader("Accept-Ranges", "bytes");
        out.setHeader("Content-Disposition", "inline; filename=\"" + name + "\"");
    }

}
