package io.videotranscoder.support;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.middleware.Middlewares;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A real S3 server (S3Proxy on its filesystem backend, SigV4, on loopback) in this JVM, with one bucket. It can hold
 * the uploads of keys a test names until the test lets them go, so that a test can act while an upload is under way.
 */
public final class S3Server implements AutoCloseable {

    public static final String BUCKET = "transcoder";
    private static final String IDENTITY = "test-access-key";
    private static final String CREDENTIAL = "test-secret-key";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private volatile Hold hold;
    private final AtomicInteger uploadsBegun = new AtomicInteger();
    private final AtomicInteger objectsPut = new AtomicInteger();

    /** Uploads of the keys {@code held} accepts wait at the server until {@link #release()}. */
    private record Hold(Predicate<String> held, CountDownLatch reached, CountDownLatch released) {
    }

    private S3Server(Path dir, int port) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toString());
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("s3proxy."))
                .forEach(name -> properties.setProperty(name, System.getProperty(name)));
        BlobStore store = new Holding(Middlewares.wrap(BlobStores.create("filesystem", properties), properties,
                p -> BlobStores.create("filesystem", p)));
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.proxy = S3Proxy.builder().blobStore(store).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL).build();
        proxy.start();
        this.client = clientOf(endpoint, ClientOverrideConfiguration.builder().build());
        client.createBucket(b -> b.bucket(BUCKET));
    }

    /** A client of the store at {@code endpoint} (path-style, this server's keys), with {@code override}. */
    public static S3Client clientOf(URI endpoint, ClientOverrideConfiguration override) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(override).build();
    }

    /** Starts a server keeping its objects under {@code dir}. */
    public static S3Server start(Path dir) throws Exception {
        return new S3Server(dir, TestApp.freePort());
    }

    /**
     * A server on its own, for the benches (bench/Scale.java): {@code <folder> <port>}; it prints its settings as
     * environment variables, then serves until the process is stopped.
     */
    public static void main(String... args) throws Exception {
        S3Server server = new S3Server(Path.of(args[0]), Integer.parseInt(args[1]));
        server.environment("").forEach((name, value) -> System.out.println(name + "=" + value));
        System.out.println("S3Proxy ready on " + server.endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        Thread.currentThread().join();
    }

    /** The settings that point the service at this server, under {@code prefix} in the bucket, as variables. */
    public Map<String, String> environment(String prefix) {
        return Map.of("TRANSCODER_STORAGE", "s3://" + BUCKET + "/" + prefix, "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL,
                "TRANSCODER_S3_PATH_STYLE", "true");
    }

    /** The same settings as properties, for a service started in this JVM. */
    public Map<String, String> properties(String prefix) {
        Map<String, String> env = environment(prefix);
        Map<String, String> properties = new HashMap<>();
        properties.put("transcoder.storage", env.get("TRANSCODER_STORAGE"));
        properties.put("transcoder.s3-endpoint", env.get("AWS_ENDPOINT_URL"));
        properties.put("transcoder.s3-access-key-id", IDENTITY);
        properties.put("transcoder.s3-secret-access-key", CREDENTIAL);
        properties.put("transcoder.s3-path-style", "true");
        return properties;
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    /** Every key in the bucket under {@code prefix}. */
    public List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** How many multipart uploads were begun in this server so far. */
    public int uploadsBegun() {
        return uploadsBegun.get();
    }

    /** How many objects were sent whole (not in parts) to this server so far. */
    public int objectsPut() {
        return objectsPut.get();
    }

    /** From now on, uploads of keys that {@code held} accepts wait at the server until {@link #release()}. */
    public void holdUploads(Predicate<String> held) {
        hold = new Hold(held, new CountDownLatch(1), new CountDownLatch(1));
    }

    /** Waits until an upload is held. */
    public boolean awaitHeldUpload(long seconds) throws InterruptedException {
        return hold.reached().await(seconds, TimeUnit.SECONDS);
    }

    /** Lets held uploads go on, and holds no more. */
    public void release() {
        Hold current = hold;
        hold = null;
        if (current != null) {
            current.released().countDown();
        }
    }

    @Override
    public void close() throws Exception {
        release();
        client.close();
        proxy.stop();
    }

    private void await(String key) {
        Hold current = hold;
        if (current != null && current.held().test(key)) {
            current.reached().countDown();
            try {
                current.released().await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The filesystem store, with uploads held where a test asks. */
    private final class Holding extends ForwardingBlobStore {

        Holding(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
            uploadsBegun.incrementAndGet();
            return super.initiateMultipartUpload(request);
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
            objectsPut.incrementAndGet();
            await(request.key());
            return super.putBlob(request, input);
        }

        @Override
        public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
                InputStream input) {
            await(request.key());
            return super.uploadMultipartPart(upload, request, input);
        }
    }
}
