package io.videotranscoder;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.storage.S3Storage;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.storage.StorageUri;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where jobs' files are kept ({@code TRANSCODER_STORAGE}): the local data root, or an S3-compatible store reached with
 * one S3 client, which the routes' {@code aws2-s3} steps use too ({@code #s3Client}).
 */
public class StorageConfiguration implements CamelConfiguration {

    @PropertyInject("transcoder.storage")
    private String storage;
    @PropertyInject("transcoder.s3-endpoint")
    private String endpoint;
    @PropertyInject("transcoder.s3-region")
    private String region;
    @PropertyInject("transcoder.s3-path-style")
    private boolean pathStyle;
    /** {@code when-required}: for stores that reject the checksums the AWS SDK adds to every upload since 2.30. */
    @PropertyInject("transcoder.s3-checksums")
    private String checksums;
    @PropertyInject("transcoder.s3-access-key-id")
    private String accessKeyId;
    @PropertyInject("transcoder.s3-secret-access-key")
    private String secretAccessKey;
    @PropertyInject("transcoder.s3-request-timeout")
    private Duration requestTimeout;

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): one client. */
    private S3Client client;
    private S3Presigner presigner;
    private AwsCredentialsProvider credentials;

    /** Null (nothing bound) for the local data root. */
    @BindToRegistry(destroyMethod = "close")
    public S3Client s3Client() {
        if (client == null && !where().local()) {
            var builder = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials())
                    .serviceConfiguration(addressing()).overrideConfiguration(requests(requestTimeout));
            endpoint().ifPresent(builder::endpointOverride);
            if (whenRequired()) {
                builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            client = builder.build();
        }
        return client;
    }

    /**
     * Each request to the store is given up after {@code timeout}: the AWS SDK's HTTP client bounds its reads, but not
     * a write that a store (or a proxy before it) stops taking, which held an upload's thread, or a worker's job, for
     * ever.
     */
    static ClientOverrideConfiguration requests(Duration timeout) {
        return ClientOverrideConfiguration.builder().apiCallAttemptTimeout(timeout).build();
    }

    /** Signs URLs for the same store as the client. */
    @BindToRegistry(destroyMethod = "close")
    public S3Presigner s3Presigner() {
        if (presigner == null && !where().local()) {
            var builder = S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials())
                    .serviceConfiguration(addressing());
            endpoint().ifPresent(builder::endpointOverride);
            presigner = builder.build();
        }
        return presigner;
    }

    @BindToRegistry
    public Storage storage(@PropertyInject("transcoder.data-dir") String dataDir) {
        StorageUri where = where();
        return where.local() ? new LocalStorage(Path.of(dataDir)) : new S3Storage(s3Client(), s3Presigner(), where);
    }

    private Optional<URI> endpoint() {
        if (endpoint.isBlank()) {
            requireNoEmptyEndpoint(System.getenv());
            return Optional.empty();
        }
        return Optional.of(URI.create(endpoint));
    }

    /**
     * The AWS SDK reads the endpoint variables itself and takes one set empty (a manifest's {@code AWS_ENDPOINT_URL:
     * ""}) as the store's address: every call would fail with "Custom endpoint `` was not a valid URI".
     */
    static void requireNoEmptyEndpoint(Map<String, String> environment) {
        for (String name : List.of("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3")) {
            String value = environment.get(name);
            if (value != null && value.isBlank()) {
                throw new StartRefusal(name + " is set but empty, which the AWS SDK takes as the store's address: "
                                       + "unset it to reach AWS itself, or give the store's URL.");
            }
        }
    }

    private S3Configuration addressing() {
        return S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build();
    }

    private StorageUri where() {
        return StorageUri.parse(storage);
    }

    private boolean whenRequired() {
        return switch (checksums) {
            case "when-supported" -> false;
            case "when-required" -> true;
            default -> throw new StartRefusal("TRANSCODER_S3_CHECKSUMS must be when-supported or"
                                                          + " when-required, not " + checksums);
        };
    }

    /**
     * The keys given (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), else the SDK's own chain (profiles, IRSA, ...), one
     * for the client and the presigner. The chain renews expiring credentials in the background: a proxied download
     * presigns its request to the store on an event loop, which a renewal's call to the credentials service must not
     * hold.
     */
    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = accessKeyId.isBlank()
                    ? DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build()
                    : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
        }
        return credentials;
    }
}
