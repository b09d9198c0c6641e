package org.chatapi.platform.idempotency;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.chatapi.platform.CurrentRequest;
import org.chatapi.platform.InvalidRequest;
import org.chatapi.platform.JsonWriter;
import org.chatapi.platform.Metrics;
import org.chatapi.platform.security.Callers;

/**
 * The {@code Idempotency-Key} header on writes (IETF httpapi idempotency-key draft), per caller and key:
 * <ol>
 *   <li>the key is claimed in a transaction of its own, so a concurrent replay sees it at once (409);</li>
 *   <li>the request runs in one transaction with the storing of its 2xx response: either both commit or neither,
 *       so a stored response always means the work is done, and work that is done always has its response;</li>
 *   <li>a failed request frees the key, so the client can retry it; so does a request that died (a killed
 *       instance, a lost database connection): its transaction's lock on the key is gone, and a retry takes the key
 *       over at once;</li>
 *   <li>a replay gets the stored status, body and Location again; the key with another request is 422.</li>
 * </ol>
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class IdempotencyInterceptor {

    public static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    @Inject
    Callers callers;

    @EJB
    IdempotencyKeys keys;

    @Inject
    JsonWriter json;

    @Inject
    Metrics metrics;

    @Resource
    UserTransaction transaction;

    @AroundInvoke
    Object idempotent(InvocationContext invocation) throws Exception {
        String key = CurrentRequest.get().getHeader(HEADER);
        if (key == null) {
            return invocation.proceed();
        }
        checkKey(key);
        String caller = callers.current().subject();
        IdempotencyKeys.Claim claim = keys.claim(caller, key, fingerprint(invocation));
        if (claim instanceof IdempotencyKeys.Replay replay) {
            metrics.idempotentReplay();
            Response.ResponseBuilder response = Response.status(replay.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(replay.body())
                    .header(REPLAYED_HEADER, "true");
            if (replay.location() != null) {
                response.location(URI.create(replay.location()));
            }
            return response.build();
        }
        if (claim instanceof IdempotencyKeys.Running) {
            metrics.idempotencyConflict("running");
            throw IdempotencyConflict.stillRunning();
        }
        if (claim instanceof IdempotencyKeys.Mismatch) {
            metrics.idempotencyConflict("reused");
            throw IdempotencyConflict.reused();
        }
        return runAndStore(invocation, caller, key, (IdempotencyKeys.Claimed) claim);
    }

    private Response runAndStore(InvocationContext invocation, String caller, String key, IdempotencyKeys.Claimed claim)
            throws Exception {
        boolean committed = false;
        transaction.begin();
        try {
            keys.hold(caller, key);
            Response response = (Response) invocation.proceed();
            if (response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
                return response;
            }
            String body = json.toJson(response.getEntity());
            URI location = response.getLocation();
            keys.complete(caller, key, claim, response.getStatus(), body, location == null ? null : location.toString());
            transaction.commit();
            committed = true;
            return Response.fromResponse(response).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
        } finally {
            if (!committed) {
                if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                    transaction.rollback();
                }
                keys.release(caller, key, claim);
            }
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new InvalidRequest("The Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters.");
        }
    }

    /** The request as it reached the resource: method, path, content type and body. */
    private String fingerprint(InvocationContext invocation) throws NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((CurrentRequest.get().getMethod() + ' ' + CurrentRequest.get().getRequestURI() + '\n'
                + String.valueOf(CurrentRequest.get().getHeader(HttpHeaders.CONTENT_TYPE)) + '\n').getBytes(StandardCharsets.UTF_8));
        for (Object parameter : invocation.getParameters()) {
            if (parameter instanceof byte[] body) {
                sha256.update(body);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
