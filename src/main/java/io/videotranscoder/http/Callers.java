package io.videotranscoder.http;

import java.util.EnumSet;
import java.util.Set;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.access.Scope;
import io.videotranscoder.job.JobOwner;
import io.videotranscoder.job.Tenancy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * The caller of a request, as the access check found it, handed from Vert.x to the routes. It rides as the Vert.x
 * user that platform-http puts in the {@value VertxPlatformHttpConstants#AUTHENTICATED_USER} header: a client cannot
 * forge it, as platform-http drops every request header, query parameter and form field whose name starts with
 * {@code Camel}, and what it drops could not be a {@link User} anyway.
 */
public class Callers {

    private static final String PROVIDER = "api-key";

    private final JobOwners owners;

    public Callers(JobOwners owners) {
        this.owners = owners;
    }

    /**
     * The first step of each route that submits or changes a job: who the caller is, in the core's words, as exchange
     * properties (which no request can set): the owner of a job it submits ({@value JobOwner#PROPERTY}) and the jobs
     * it may see ({@value Tenancy#PROPERTY}).
     */
    public void identify(Exchange exchange) {
        Caller caller = of(exchange.getIn());
        exchange.setProperty(JobOwner.PROPERTY, owners.of(caller));
        exchange.setProperty(Tenancy.PROPERTY, JobOwners.tenancy(caller));
    }

    /** The jobs the caller of the request {@code in} came with may see. */
    static Tenancy tenancy(Message in) {
        return JobOwners.tenancy(of(in));
    }

    /** The Vert.x user standing for {@code caller}, with each scope it grants as a permission. */
    static User user(Caller caller) {
        JsonObject principal = new JsonObject().put("sub", caller.keyId() == null ? "" : caller.keyId())
                .put("tenant", caller.tenant())
                .put("scopes", new JsonArray(caller.scopes().stream().map(Scope::value).sorted().toList()));
        User user = User.create(principal);
        for (Scope scope : Scope.granted(caller.scopes())) {
            user.authorizations().add(PROVIDER, PermissionBasedAuthorization.create(scope.value()));
        }
        return user;
    }

    public static Caller caller(User user) {
        JsonObject principal = user.principal();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        principal.getJsonArray("scopes").forEach(value -> scopes.add(Scope.of((String) value)));
        String keyId = principal.getString("sub");
        return new Caller(keyId.isEmpty() ? null : keyId, principal.getString("tenant"), scopes);
    }

    /**
     * The caller of the request {@code in} came with.
     *
     * @throws IllegalStateException for a request that passed no access check: a fault of the service, so no route
     *                               ever serves one as anybody
     */
    public static Caller of(Message in) {
        User user = in.getHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER, User.class);
        if (user == null) {
            throw new IllegalStateException("A request reached " + in.getHeader("CamelHttpUri")
                                            + " without an access check");
        }
        return caller(user);
    }
}
